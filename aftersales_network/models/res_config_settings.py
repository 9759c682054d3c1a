from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    outlet_pass_score = fields.Float(related="company_id.outlet_pass_score", readonly=False)
    outlet_reevaluation_days = fields.Integer(
        related="company_id.outlet_reevaluation_days", readonly=False
    )
