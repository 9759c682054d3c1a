from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL


class AftersalesInstalledUnit(models.Model):
    """The installed base: what each customer holds, read from the done stock moves.

    One row per customer (commercial partner), product and serial / lot, with the quantity
    delivered to the customer's locations less what came back from them. Nothing is copied:
    the rows are a view over ``stock_move_line``, so they can never drift from the stock.
    Standby units lent to a customer are the company's and are left out.
    """

    _name = "aftersales.installed.unit"
    _description = "Installed Unit"
    _auto = False
    _order = "delivery_date desc, id desc"
    _rec_name = "lot_id"
    # what the view reads: flushed before any search of the installed base
    _depends = {
        "stock.move.line": [
            "state",
            "picking_id",
            "location_id",
            "location_dest_id",
            "quantity_product_uom",
            "product_id",
            "lot_id",
            "company_id",
            "date",
        ],
        "stock.move": ["picking_id"],
        "stock.picking": ["partner_id", "aftersales_standby_loan_id"],
        "stock.location": ["usage"],
        "res.partner": ["commercial_partner_id"],
        "product.product": ["product_tmpl_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site",
        readonly=True,
        help="The address of the latest delivery of the unit: where it is installed.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Model", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial / Lot", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    delivery_date = fields.Date(readonly=True)
    warranty_end_date = fields.Date(compute="_compute_warranty_end_date")
    ticket_ids = fields.Many2many(
        "aftersales.ticket", compute="_compute_history", string="Requests"
    )
    repair_ids = fields.Many2many(
        "repair.order",
        compute="_compute_stock_history",
        string="Repairs",
        groups="stock.group_stock_user",
    )
    move_line_ids = fields.Many2many(
        "stock.move.line",
        compute="_compute_stock_history",
        string="Deliveries and Returns",
        groups="stock.group_stock_user",
    )
    service_record_ids = fields.Many2many(
        "aftersales.service.record", compute="_compute_history", string="Service Records"
    )
    recall_line_ids = fields.Many2many(
        "aftersales.recall.line", compute="_compute_history", string="Recalls"
    )
    loan_ids = fields.Many2many(
        "aftersales.standby.loan", compute="_compute_history", string="Standby Loans"
    )

    @api.model
    def _installed_query(self):
        """The net quantity per customer, product and lot, from done moves to and from the
        customers' locations (deliveries, returns, exchanges)."""
        return SQL(
            """
            SELECT MIN(sml.id) AS id,
                   partner.commercial_partner_id AS partner_id,
                   (ARRAY_AGG(picking.partner_id ORDER BY sml.date DESC, sml.id DESC)
                       FILTER (WHERE dest.usage = 'customer'))[1] AS site_partner_id,
                   sml.product_id AS product_id,
                   product.product_tmpl_id AS product_tmpl_id,
                   sml.lot_id AS lot_id,
                   sml.company_id AS company_id,
                   SUM(CASE WHEN dest.usage = 'customer' THEN sml.quantity_product_uom
                            ELSE -sml.quantity_product_uom END) AS quantity,
                   (MAX(sml.date) FILTER (WHERE dest.usage = 'customer'))::date AS delivery_date
              FROM stock_move_line sml
              LEFT JOIN stock_move move ON move.id = sml.move_id
              JOIN stock_picking picking ON picking.id = COALESCE(sml.picking_id, move.picking_id)
              JOIN res_partner partner ON partner.id = picking.partner_id
              JOIN stock_location src ON src.id = sml.location_id
              JOIN stock_location dest ON dest.id = sml.location_dest_id
              JOIN product_product product ON product.id = sml.product_id
             WHERE sml.state = 'done'
               AND picking.aftersales_standby_loan_id IS NULL
               AND (src.usage = 'customer') <> (dest.usage = 'customer')
             GROUP BY partner.commercial_partner_id, sml.product_id, product.product_tmpl_id,
                      sml.lot_id, sml.company_id
            HAVING SUM(CASE WHEN dest.usage = 'customer' THEN sml.quantity_product_uom
                            ELSE -sml.quantity_product_uom END) > 0
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._installed_query(),
            )
        )

    @api.depends("delivery_date", "product_id")
    def _compute_warranty_end_date(self):
        for unit in self:
            months = (
                unit.product_tmpl_id.warranty_months or unit.company_id.aftersales_warranty_months
            )
            unit.warranty_end_date = (
                unit.delivery_date + relativedelta(months=months) if unit.delivery_date else False
            )

    def _compute_history(self):
        Ticket = self.env["aftersales.ticket"]
        RecallLine = self.env["aftersales.recall.line"]
        Loan = self.env["aftersales.standby.loan"]
        for unit in self:
            by_unit = [("product_id", "=", unit.product_id.id), ("lot_id", "=", unit.lot_id.id)]
            customer = [("partner_id", "child_of", unit.partner_id.id)]
            unit.ticket_ids = Ticket.search(
                by_unit + [("commercial_partner_id", "=", unit.partner_id.id)]
            )
            unit.service_record_ids = unit.ticket_ids.service_record_ids
            unit.recall_line_ids = RecallLine.search(by_unit + customer)
            unit.loan_ids = Loan.search([("ticket_id", "in", unit.ticket_ids.ids)])

    def _compute_stock_history(self):
        Repair = self.env["repair.order"]
        MoveLine = self.env["stock.move.line"]
        for unit in self:
            by_unit = [("product_id", "=", unit.product_id.id), ("lot_id", "=", unit.lot_id.id)]
            customer = [("partner_id", "child_of", unit.partner_id.id)]
            unit.repair_ids = Repair.search(by_unit + customer)
            unit.move_line_ids = MoveLine.search(
                by_unit
                + [
                    ("state", "=", "done"),
                    "|",
                    ("picking_id.partner_id", "child_of", unit.partner_id.id),
                    ("move_id.picking_id.partner_id", "child_of", unit.partner_id.id),
                    "|",
                    ("location_id.usage", "=", "customer"),
                    ("location_dest_id.usage", "=", "customer"),
                ]
            )
