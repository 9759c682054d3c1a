# A plain extension of the model in its own file (see conventions.md)
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# (company field, indicator key, default target, whether a higher value is better)
INDICATOR_TARGETS = [
    ("aftersales_target_complaint_rate", "complaint_rate", 0.5, False),
    ("aftersales_target_response_compliance", "response_compliance_rate", 95.0, True),
    ("aftersales_target_complaint_handling", "complaint_handling_rate", 100.0, True),
    ("aftersales_target_repeat_repair", "repeat_repair_rate", 2.0, False),
    ("aftersales_target_dap_rate", "dap_rate", 0.3, False),
    ("aftersales_target_first_time_fix", "first_time_fix_rate", 90.0, True),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_repeat_repair_days = fields.Integer(
        string="Repeat Repair Window (days)",
        default=90,
        help="A repair of a unit repaired within this many days before is a repeat repair.",
    )
    aftersales_target_complaint_rate = fields.Float(
        string="Target Complaint Rate (%)", default=0.5, digits=(6, 2)
    )
    aftersales_target_response_compliance = fields.Float(
        string="Target Response-Time Compliance (%)", default=95.0, digits=(6, 2)
    )
    aftersales_target_complaint_handling = fields.Float(
        string="Target Complaint Handling Rate (%)", default=100.0, digits=(6, 2)
    )
    aftersales_target_repeat_repair = fields.Float(
        string="Target Repeat Repair Rate (%)", default=2.0, digits=(6, 2)
    )
    aftersales_target_dap_rate = fields.Float(
        string="Target DAP Rate (%)", default=0.3, digits=(6, 2)
    )
    aftersales_target_first_time_fix = fields.Float(
        string="Target First-Time Fix Rate (%)", default=90.0, digits=(6, 2)
    )

    def _aftersales_indicator_targets(self):
        """{indicator key: (target as a fraction, whether a higher value is better)}."""
        self.ensure_one()
        return {
            key: (self[field] / 100.0, higher) for field, key, _default, higher in INDICATOR_TARGETS
        }


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_repeat_repair_days = fields.Integer(
        related="company_id.aftersales_repeat_repair_days", readonly=False
    )
    aftersales_target_complaint_rate = fields.Float(
        related="company_id.aftersales_target_complaint_rate", readonly=False
    )
    aftersales_target_response_compliance = fields.Float(
        related="company_id.aftersales_target_response_compliance", readonly=False
    )
    aftersales_target_complaint_handling = fields.Float(
        related="company_id.aftersales_target_complaint_handling", readonly=False
    )
    aftersales_target_repeat_repair = fields.Float(
        related="company_id.aftersales_target_repeat_repair", readonly=False
    )
    aftersales_target_dap_rate = fields.Float(
        related="company_id.aftersales_target_dap_rate", readonly=False
    )
    aftersales_target_first_time_fix = fields.Float(
        related="company_id.aftersales_target_first_time_fix", readonly=False
    )

    @api.constrains(
        "aftersales_repeat_repair_days", *(field for field, *_rest in INDICATOR_TARGETS)
    )
    def _check_aftersales_indicator_settings(self):
        for settings in self:
            if settings.aftersales_repeat_repair_days < 0:
                raise ValidationError(self.env._("The repeat repair window cannot be negative."))
            if any(not 0 <= settings[field] <= 100 for field, *_rest in INDICATOR_TARGETS):
                raise ValidationError(
                    self.env._("The indicators' targets are percentages between 0 and 100.")
                )
