from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Warranty period counted from the delivery of the customer's unit; 0 uses the "
        "company's default warranty period.",
    )
    aftersales_ticket_count = fields.Integer(
        string="After-Sales Requests", compute="_compute_aftersales_ticket_count"
    )

    def _compute_aftersales_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["__count"],
            )
        )
        for template in self:
            template.aftersales_ticket_count = sum(
                count for product, count in counts.items() if product.product_tmpl_id == template
            )

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_ticket"
        )
        action["domain"] = [("product_id.product_tmpl_id", "=", self.id)]
        action["context"] = {}
        return action
