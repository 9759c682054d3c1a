from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_ticket_count = fields.Integer(
        string="After-Sales Requests",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_aftersales_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        for lot in self:
            lot.aftersales_ticket_count = counts.get(lot, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_ticket"
        )
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id, "default_product_id": self.product_id.id}
        return action
