# the request and stock extensions of this feature live with it
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, float_compare

from .scheduled_job import JOB_BATCH_SIZE, run_job, schedule_activities

LOAN_STATES = [
    ("draft", "Draft"),
    ("out", "Lent"),
    ("overdue", "Overdue"),
    ("returned", "Returned"),
]


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    aftersales_standby_location_id = fields.Many2one(
        "stock.location",
        string="Standby Units Location",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
        check_company=True,
        help="Where the warehouse keeps the standby units (备机) lent to customers while their "
        "own unit is repaired.",
    )


class AftersalesStandbyLoan(models.Model):
    """A standby unit (备机) lent to a customer while their own unit is repaired (§6).

    Lending and returning are done stock transfers between the warehouse's standby location
    and the customer's location, so the unit is always where the stock says it is.
    """

    _name = "aftersales.standby.loan"
    _description = "Standby Unit Loan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_out desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Request",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    user_id = fields.Many2one(related="ticket_id.user_id", string="Request Owner")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        default=lambda self: self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
    )
    product_id = fields.Many2one(
        "product.product",
        string="Standby Unit",
        required=True,
        domain=[("is_storable", "=", True)],
        tracking=True,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial",
        domain="[('product_id', '=', product_id)]",
        index="btree_not_null",
        tracking=True,
    )
    date_out = fields.Date(string="Lent On", readonly=True, copy=False, tracking=True)
    date_due = fields.Date(string="Due Back", required=True, tracking=True)
    date_returned = fields.Date(string="Returned On", readonly=True, copy=False, tracking=True)
    state = fields.Selection(
        LOAN_STATES, default="draft", required=True, index=True, tracking=True, copy=False
    )
    picking_ids = fields.One2many(
        "stock.picking",
        "aftersales_standby_loan_id",
        string="Transfers",
        readonly=True,
        groups="stock.group_stock_user",
    )
    note = fields.Text()

    @api.constrains("date_out", "date_due")
    def _check_date_due(self):
        for loan in self:
            if loan.date_out and loan.date_due < loan.date_out:
                raise ValidationError(
                    self.env._("%s: the unit is due back after the day it was lent.", loan.name)
                )

    def init(self):
        # two clerks lending one unit at once: the database refuses the second
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS aftersales_standby_loan_lot_out_uniq "
                "ON aftersales_standby_loan (lot_id) "
                "WHERE lot_id IS NOT NULL AND state IN ('out', 'overdue')"
            )
        )

    @api.depends("ticket_id")
    def _compute_partner_id(self):
        for loan in self:
            loan.partner_id = loan.ticket_id.partner_id or loan.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        Sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("aftersales.standby.loan") or "/"
        return super().create(vals_list)

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for loan in self:
            if loan.lot_id and loan.lot_id.product_id != loan.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial %(lot)s is not a %(product)s.",
                        lot=loan.lot_id.name,
                        product=loan.product_id.display_name,
                    )
                )

    def _standby_location(self):
        self.ensure_one()
        location = self.warehouse_id.aftersales_standby_location_id
        if not location:
            raise UserError(
                self.env._(
                    "Warehouse %s has no standby units location: set it on the warehouse first.",
                    self.warehouse_id.name,
                )
            )
        return location

    def _customer_location(self):
        return self.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )

    def _transfer(self, picking_type, source, destination):
        """A done transfer of the standby unit between ``source`` and ``destination``."""
        self.ensure_one()
        values = {
            "product_id": self.product_id.id,
            "product_uom_id": self.product_id.uom_id.id,
            "quantity": 1.0,
            "lot_id": self.lot_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "picked": True,
        }
        # sudo: the clerk lends units without inventory rights; the transfer moves only the
        # loan's own unit, and the loan was checked writable by the caller
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "partner_id": self.partner_id.id,
                    "origin": f"{self.name} {self.ticket_id.name}",
                    "company_id": self.company_id.id,
                    "aftersales_standby_loan_id": self.id,
                    "aftersales_ticket_id": self.ticket_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product_id.display_name,
                                "product_id": self.product_id.id,
                                "product_uom": self.product_id.uom_id.id,
                                "product_uom_qty": 1.0,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                                "partner_id": self.partner_id.id,
                                "company_id": self.company_id.id,
                                "move_line_ids": [Command.create(values)],
                                "picked": True,
                            }
                        )
                    ],
                }
            )
        )
        picking.move_ids._action_confirm(merge=False)
        picking.move_ids._action_done()
        return picking

    def action_lend(self):
        """Send the standby unit to the customer; a unit already lent cannot be lent again."""
        self.check_access("write")
        Quant = self.env["stock.quant"].sudo()
        for loan in self:
            if loan.state != "draft":
                raise UserError(self.env._("%s was already lent.", loan.name))
            if loan.product_id.tracking != "none" and not loan.lot_id:
                raise UserError(
                    self.env._("Choose the serial of the standby unit lent with %s.", loan.name)
                )
            if loan.lot_id and self.search_count(
                [("lot_id", "=", loan.lot_id.id), ("state", "in", ("out", "overdue"))], limit=1
            ):
                raise UserError(
                    self.env._(
                        "Standby unit %s is already lent to a customer: it must come back "
                        "before it is lent again.",
                        loan.lot_id.name,
                    )
                )
            if loan.date_due < fields.Date.context_today(loan):
                raise UserError(
                    self.env._("%s: the date the unit is due back is already past.", loan.name)
                )
            location = loan._standby_location()
            available = Quant._get_available_quantity(
                loan.product_id, location, lot_id=loan.lot_id or None, strict=True
            )
            if (
                float_compare(available, 1.0, precision_rounding=loan.product_id.uom_id.rounding)
                < 0
            ):
                raise UserError(
                    self.env._(
                        "%(unit)s is not in the standby stock of %(location)s.",
                        unit=loan.lot_id.name or loan.product_id.display_name,
                        location=location.display_name,
                    )
                )
            loan._transfer(loan.warehouse_id.out_type_id, location, loan._customer_location())
            loan.write({"state": "out", "date_out": fields.Date.context_today(loan)})
        return True

    def action_return(self):
        """Bring the standby unit back to the standby location."""
        self.check_access("write")
        for loan in self:
            if loan.state not in ("out", "overdue"):
                raise UserError(self.env._("%s is not lent out.", loan.name))
            loan._transfer(
                loan.warehouse_id.in_type_id, loan._customer_location(), loan._standby_location()
            )
            loan.write({"state": "returned", "date_returned": fields.Date.context_today(loan)})
        return True

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("aftersales_standby_loan_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(loan.state != "draft" for loan in self):
            raise UserError(self.env._("Only loans not lent yet can be deleted."))

    @api.model
    def _cron_flag_overdue(self, batch_size=JOB_BATCH_SIZE):
        """Mark loans past their due date overdue and give the request's owner an activity
        (a batched, lock-safe job: the new state takes the loans out of the domain)."""
        today = fields.Date.context_today(self)
        loans = run_job(
            self,
            [("state", "=", "out"), ("date_due", "<", today)],
            "_mark_overdue",
            batch_size=batch_size,
        )
        return len(loans)

    def _mark_overdue(self):
        self.write({"state": "overdue"})
        today = fields.Date.context_today(self)
        schedule_activities(
            self,
            [
                {
                    "user_id": (loan.ticket_id.user_id or loan.create_uid).id,
                    "summary": self.env._(
                        "Standby unit %(unit)s overdue since %(date)s",
                        unit=loan.lot_id.name or loan.product_id.display_name,
                        date=loan.date_due,
                    ),
                    "date_deadline": today,
                }
                for loan in self
            ],
        )


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    standby_loan_count = fields.Integer(
        string="Standby Units", compute="_compute_standby_loan_count"
    )

    def _compute_standby_loan_count(self):
        counts = dict(
            self.env["aftersales.standby.loan"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.standby_loan_count = counts.get(ticket, 0)

    def action_view_standby_loans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_standby_loan"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
