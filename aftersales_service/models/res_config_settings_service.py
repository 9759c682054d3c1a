# The suite keeps each feature of a shared model in its own file (warranty and DAP here).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_warranty_months = fields.Integer(
        related="company_id.aftersales_warranty_months", readonly=False
    )
    aftersales_dap_days = fields.Integer(related="company_id.aftersales_dap_days", readonly=False)

    @api.constrains("aftersales_warranty_months", "aftersales_dap_days")
    def _check_aftersales_warranty_settings(self):
        for settings in self:
            if settings.aftersales_warranty_months < 0 or settings.aftersales_dap_days < 0:
                raise ValidationError(
                    self.env._("The warranty and DAP periods cannot be negative.")
                )
