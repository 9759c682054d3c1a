from odoo import api, fields, models

CUSTOMER_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_ticket_count = fields.Integer(
        string="After-Sales Requests", compute="_compute_aftersales_ticket_count"
    )

    def _compute_aftersales_ticket_count(self):
        # one grouped query for the customer companies shown, counting their contacts' requests
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_ticket_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_tickets(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_ticket"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # the customer file (客户档案): class, key-customer flag, callbacks, visits (domain.md §5)
    is_key_customer = fields.Boolean(
        string="Key Customer",
        index=True,
        tracking=True,
        help="Key customers (重点客户) are visited at least once a year under a care plan.",
    )
    customer_class = fields.Selection(
        CUSTOMER_CLASSES,
        index=True,
        tracking=True,
        help="A, B or C from the yearly sales and the units received over the last 12 months "
        "(criteria in the After-Sales settings).",
    )
    aftersales_callback_ids = fields.One2many(
        "aftersales.callback", "commercial_partner_id", string="Callbacks"
    )
    aftersales_visit_ids = fields.One2many("aftersales.visit", "partner_id", string="Visits")
    aftersales_file_ticket_ids = fields.Many2many(
        "aftersales.ticket", compute="_compute_aftersales_file", string="Requests"
    )
    aftersales_file_complaint_ids = fields.Many2many(
        "aftersales.ticket", compute="_compute_aftersales_file", string="Complaints"
    )
    aftersales_lot_ids = fields.Many2many(
        "stock.lot", compute="_compute_aftersales_file", string="Units Delivered"
    )
    aftersales_satisfaction = fields.Float(
        string="Average Satisfaction", compute="_compute_aftersales_file", digits=(3, 2)
    )

    def _compute_aftersales_file(self):
        commercial = self.commercial_partner_id
        Ticket = self.env["aftersales.ticket"]
        tickets = Ticket.search([("commercial_partner_id", "in", commercial.ids)], limit=500)
        lots = {}
        if self.env["stock.move.line"].has_access("read"):
            for partner, lot_ids in self.env["stock.move.line"]._read_group(
                [
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("location_dest_id.usage", "=", "customer"),
                    ("picking_partner_id", "child_of", commercial.ids),
                ],
                ["picking_partner_id"],
                ["lot_id:array_agg"],
            ):
                lots.setdefault(partner.commercial_partner_id, set()).update(lot_ids)
        satisfaction = dict(
            self.env["aftersales.callback"]._read_group(
                [("commercial_partner_id", "in", commercial.ids), ("state", "=", "done")],
                ["commercial_partner_id"],
                ["satisfaction:avg"],
            )
        )
        for partner in self:
            mine = tickets.filtered(
                lambda t, p=partner: t.commercial_partner_id == p.commercial_partner_id
            )
            partner.aftersales_file_ticket_ids = mine
            partner.aftersales_file_complaint_ids = mine.filtered("is_complaint")
            partner.aftersales_lot_ids = self.env["stock.lot"].browse(
                sorted(lots.get(partner.commercial_partner_id, ()))
            )
            partner.aftersales_satisfaction = satisfaction.get(partner.commercial_partner_id, 0.0)

    @api.model
    def _cron_classify_customers(self):
        """Daily: the customers' classes follow the last 12 months (grouped queries; the
        result is the same whoever runs it, so two workers need no lock)."""
        for company in self.env["res.company"].search([("active", "=", True)]):
            self.with_company(company)._classify_customers()

    @api.model
    def _classify_customers(self):
        """Class A, B or C of the customer companies from the last 12 months' sales and units."""
        company = self.env.company
        since = fields.Datetime.subtract(fields.Datetime.now(), days=365)
        sales, units = {}, {}
        for partner, amount in self.env["sale.order"]._read_group(
            [
                ("state", "=", "sale"),
                ("date_order", ">=", since),
                ("company_id", "=", company.id),
            ],
            ["partner_id"],
            ["amount_untaxed:sum"],
        ):
            key = partner.commercial_partner_id
            sales[key] = sales.get(key, 0.0) + amount
        for partner, qty in self.env["sale.order.line"]._read_group(
            [
                ("state", "=", "sale"),
                ("order_id.date_order", ">=", since),
                ("company_id", "=", company.id),
            ],
            ["order_partner_id"],
            ["qty_delivered:sum"],
        ):
            key = partner.commercial_partner_id
            units[key] = units.get(key, 0.0) + qty
        by_class = {"a": [], "b": [], "c": []}
        for partner in set(sales) | set(units):
            amount, qty = sales.get(partner, 0.0), units.get(partner, 0.0)
            if (
                amount >= company.aftersales_class_a_sales
                or qty >= company.aftersales_class_a_units
            ):
                by_class["a"].append(partner.id)
            elif (
                amount >= company.aftersales_class_b_sales
                or qty >= company.aftersales_class_b_units
            ):
                by_class["b"].append(partner.id)
            else:
                by_class["c"].append(partner.id)
        for customer_class, ids in by_class.items():
            todo = self.browse(ids).filtered(lambda p, c=customer_class: p.customer_class != c)
            if todo:
                todo.write({"customer_class": customer_class})
        return by_class

    def action_view_aftersales_callbacks(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_callback"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_filter_done": 1}
        # the customer's satisfaction over time first (domain.md §5, customer files)
        action["views"] = [(False, "graph"), (False, "list"), (False, "form")]
        return action
