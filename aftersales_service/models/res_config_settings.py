from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_aftersales_network = fields.Boolean(
        string="Service Network",
        help="Manage the authorised service outlets and providers that work on the company's "
        "behalf, and dispatch requests to them.",
    )
    module_aftersales_certification = fields.Boolean(
        string="Certification",
        help="Keep the company's after-sales certificates valid through audits, change and "
        "recertification applications.",
    )
    aftersales_at_risk_hours = fields.Float(
        related="company_id.aftersales_at_risk_hours", readonly=False
    )

    @api.constrains("aftersales_at_risk_hours")
    def _check_aftersales_at_risk_hours(self):
        if any(settings.aftersales_at_risk_hours < 0 for settings in self):
            raise ValidationError(self.env._("The at-risk warning time cannot be negative."))
