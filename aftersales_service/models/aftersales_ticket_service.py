# The suite keeps each feature of a shared model in its own file (service execution here).
# pylint: disable=consider-merging-classes-inherited
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .aftersales_ticket import WARRANTY_DEPENDS

WARRANTY_STATES = [
    ("in_warranty", "In warranty"),
    ("out_of_warranty", "Out of warranty"),
    ("unknown", "Unknown"),
]
# kinds of request that report a failure of the product (domain.md §6, DAP)
FAILURE_CODES = ("repair", "exchange", "return")


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    delivery_date = fields.Date(
        compute="_compute_delivery_date",
        store=True,
        precompute=True,
        help="When the customer's unit was delivered: the delivery of its serial number, else "
        "the shipping date, else the order's delivery. The warranty starts here.",
    )
    warranty_end_date = fields.Date(
        string="Warranty Until",
        compute="_compute_warranty",
        store=True,
        precompute=True,
        help="The last day covered by the warranty.",
    )
    warranty_state = fields.Selection(
        WARRANTY_STATES,
        compute="_compute_warranty",
        store=True,
        precompute=True,
        index=True,
        help="Warranty of the unit on the day the request was received.",
    )
    is_dap = fields.Boolean(
        string="DAP",
        compute="_compute_warranty",
        store=True,
        precompute=True,
        index=True,
        help="Dead after purchase: a quality failure within the company's DAP period after "
        "delivery. Offer an exchange first.",
    )
    service_record_ids = fields.One2many(
        "aftersales.service.record", "ticket_id", string="Service Records"
    )
    service_record_count = fields.Integer(compute="_compute_service_record_count")
    has_overdue_service_record = fields.Boolean(
        compute="_compute_service_record_count",
        help="A service record was not handed in within 2 days after the technician's return.",
    )
    repair_ids = fields.One2many("repair.order", "ticket_id", string="Repairs")
    repair_count = fields.Integer(compute="_compute_repair_count", groups="stock.group_stock_user")
    repair_state_summary = fields.Char(
        string="Repairs Status", compute="_compute_repair_count", groups="stock.group_stock_user"
    )
    picking_ids = fields.One2many(
        "stock.picking",
        "aftersales_ticket_id",
        string="Transfers",
        groups="stock.group_stock_user",
    )
    picking_count = fields.Integer(
        string="Transfer Count", compute="_compute_picking_count", groups="stock.group_stock_user"
    )

    @api.depends("lot_id", "shipping_date", "sale_order_id", "product_id")
    def _compute_delivery_date(self):
        # the serial number's own delivery to a customer dates this very unit: one grouped query
        # for all the serial numbers of the batch (sudo: only the date is read, for any user)
        lots = self.lot_id._origin  # in a form, lots are new-record wrappers
        lot_dates = (
            dict(
                self.env["stock.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("lot_id", "in", lots.ids),
                        ("state", "=", "done"),
                        ("location_dest_id.usage", "=", "customer"),
                    ],
                    ["lot_id"],
                    ["date:min"],
                )
            )
            if lots
            else {}
        )
        for ticket in self:
            lot_date = lot_dates.get(ticket.lot_id._origin)
            date = fields.Date.to_date(lot_date) if lot_date else False
            if not date and ticket.shipping_date:
                date = ticket.shipping_date
            if not date and ticket.sale_order_id:
                moves = ticket._delivered_moves()
                if moves:
                    date = fields.Date.to_date(min(moves.mapped("date")))
                elif ticket.sale_order_id.effective_date:
                    date = fields.Date.to_date(ticket.sale_order_id.effective_date)
            ticket.delivery_date = date

    @api.depends("delivery_date", *WARRANTY_DEPENDS, "product_id.warranty_months")
    def _compute_warranty(self):
        for ticket in self:
            if not ticket.delivery_date:
                ticket.warranty_state = "unknown"
                ticket.warranty_end_date = False
                ticket.is_dap = False
                continue
            company = ticket.company_id or self.env.company
            months = ticket.product_id.warranty_months or company.aftersales_warranty_months
            # N months from the delivery day: the day before the same date N months later
            end = ticket.delivery_date + relativedelta(months=months, days=-1)
            reported = fields.Date.to_date(ticket.request_date or fields.Datetime.now())
            ticket.warranty_end_date = end
            ticket.warranty_state = "in_warranty" if reported <= end else "out_of_warranty"
            failure = (
                ticket.complaint_category == "quality" or ticket.ticket_type_code in FAILURE_CODES
            )
            age = (reported - ticket.delivery_date).days
            ticket.is_dap = bool(failure and 0 <= age <= company.aftersales_dap_days)

    def _compute_service_record_count(self):
        """The records and whether one is overdue (a draft whose technician was reminded),
        in one query."""
        counts, overdue = defaultdict(int), set()
        for ticket, state, notified, count in self.env["aftersales.service.record"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id", "state", "overdue_notified"], ["__count"]
        ):
            counts[ticket] += count
            if state == "draft" and notified:
                overdue.add(ticket)
        for ticket in self:
            ticket.service_record_count = counts[ticket]
            ticket.has_overdue_service_record = ticket in overdue

    def _compute_repair_count(self):
        repairs = self.env["repair.order"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id", "state"], ["__count"]
        )
        repair_counts = {}
        repair_states = {}
        state_labels = dict(
            self.env["repair.order"]._fields["state"]._description_selection(self.env)
        )
        for ticket, state, count in repairs:
            repair_counts[ticket] = repair_counts.get(ticket, 0) + count
            repair_states.setdefault(ticket, []).append(f"{state_labels.get(state)}: {count}")
        for ticket in self:
            ticket.repair_count = repair_counts.get(ticket, 0)
            ticket.repair_state_summary = ", ".join(repair_states.get(ticket, []))

    def _compute_picking_count(self):
        pickings = dict(
            self.env["stock.picking"]._read_group(
                [("aftersales_ticket_id", "in", self.ids)], ["aftersales_ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.picking_count = pickings.get(ticket, 0)

    # ---------------------------------------------------------------------------------------
    # DAP raises the priority (called by the request's create and write)
    # ---------------------------------------------------------------------------------------
    def _raise_dap_priority(self):
        dap = self.filtered(lambda t: t.is_dap and t.priority < "2")
        if dap:
            dap.write({"priority": "2"})

    # ---------------------------------------------------------------------------------------
    # actions
    # ---------------------------------------------------------------------------------------
    def action_view_service_records(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_service_record"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_technician_ids": [self.user_id.id] if self.user_id else [],
            "default_company_id": self.company_id.id,
        }
        return action

    def _prepare_repair_values(self):
        self.ensure_one()
        return {
            "ticket_id": self.id,
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "product_qty": self.defective_qty or 1.0,
            "partner_id": self.partner_id.id,
            "under_warranty": self.warranty_state == "in_warranty",
            "company_id": self.company_id.id,
            "internal_notes": self.title,
        }

    def action_create_repair(self):
        """Create a repair order for the request's unit and open it."""
        self.ensure_one()
        if not self.product_id:
            raise UserError(self.env._("Give the product to repair on the request first."))
        repair = self.env["repair.order"].create(self._prepare_repair_values())
        self.message_post(
            body=self.env._("Repair order %s created.", repair._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "res_id": repair.id,
            "view_mode": "form",
        }

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "create": False}
        return action

    def _original_delivery(self):
        self.ensure_one()
        if not self.sale_order_id:
            raise UserError(
                self.env._("Give the sale order of the delivered goods on the request first.")
            )
        moves = self._delivered_moves()
        if not moves:
            raise UserError(
                self.env._("Sale order %s has no done delivery to return.", self.sale_order_id.name)
            )
        return moves.picking_id.sorted("date_done")[-1:]

    def action_return_delivery(self):
        """Open Odoo's return of the original delivery, linked to this request."""
        picking = self._original_delivery()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return / Exchange"),
            "res_model": "stock.return.picking",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "stock.picking",
                "active_id": picking.id,
                "active_ids": picking.ids,
                "aftersales_ticket_id": self.id,
            },
        }

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("aftersales_ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_create_credit_note(self):
        """Refund returned goods with the credit note Odoo makes from the sale order."""
        self.ensure_one()
        order = self.sale_order_id
        if not order:
            raise UserError(self.env._("Give the sale order to refund on the request first."))
        if not order.order_line.filtered(lambda line: line.qty_to_invoice < 0):
            raise UserError(
                self.env._(
                    "Nothing to refund on %s: validate the return of the goods first. Products "
                    "invoiced on ordered quantities are refunded with a credit note from their "
                    "invoice.",
                    order.name,
                )
            )
        invoices = order._create_invoices(final=True)
        self.message_post(
            body=self.env._(
                "Credit note %s created from the sale order.",
                ", ".join(invoices.mapped(lambda move: move._get_html_link())),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoices[:1].id,
            "view_mode": "form",
        }
