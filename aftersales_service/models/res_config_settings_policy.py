# The suite keeps each feature of a shared model in its own file (service policies here).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_policy_review_months = fields.Integer(
        related="company_id.aftersales_policy_review_months", readonly=False
    )
    aftersales_policy_review_notice_days = fields.Integer(
        related="company_id.aftersales_policy_review_notice_days", readonly=False
    )

    @api.constrains("aftersales_policy_review_months", "aftersales_policy_review_notice_days")
    def _check_aftersales_policy_review(self):
        for settings in self:
            if settings.aftersales_policy_review_months < 1:
                raise ValidationError(self.env._("Policies are reviewed at least every month."))
            if settings.aftersales_policy_review_notice_days < 0:
                raise ValidationError(
                    self.env._("The reminder of policy reviews cannot be negative.")
                )
