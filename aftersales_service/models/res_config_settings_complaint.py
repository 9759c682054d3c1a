# The suite keeps each feature of a shared model in its own file (complaint handling here).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_approval_department_ids = fields.Many2many(
        related="company_id.aftersales_approval_department_ids", readonly=False
    )
    aftersales_action_reminder_days = fields.Integer(
        related="company_id.aftersales_action_reminder_days", readonly=False
    )

    @api.constrains("aftersales_action_reminder_days")
    def _check_aftersales_action_reminder_days(self):
        if any(settings.aftersales_action_reminder_days < 0 for settings in self):
            raise ValidationError(self.env._("The reminder of actions cannot be negative."))
