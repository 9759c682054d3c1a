from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    certification_reminder_days = fields.Integer(
        related="company_id.certification_reminder_days", readonly=False
    )
