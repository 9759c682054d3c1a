from odoo import fields, models


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
