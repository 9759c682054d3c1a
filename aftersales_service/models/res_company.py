from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_at_risk_hours = fields.Float(
        string="Requests at Risk Before (hours)",
        default=4.0,
        help="A request is at risk when one of its commitment deadlines falls within this many "
        "hours.",
    )
