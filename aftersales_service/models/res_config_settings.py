from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_company import INDICATOR_TARGETS


class ResConfigSettings(models.TransientModel):
    """The After-Sales settings page (the company's values)."""

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

    aftersales_training_check = fields.Selection(
        related="company_id.aftersales_training_check", readonly=False
    )
    aftersales_warranty_policy_id = fields.Many2one(
        related="company_id.aftersales_warranty_policy_id", readonly=False
    )

    # customer care
    aftersales_callback_unhappy_score = fields.Integer(
        related="company_id.aftersales_callback_unhappy_score", readonly=False
    )
    aftersales_callback_followup_type_id = fields.Many2one(
        related="company_id.aftersales_callback_followup_type_id", readonly=False
    )
    aftersales_callback_link_days = fields.Integer(
        related="company_id.aftersales_callback_link_days", readonly=False
    )
    aftersales_class_a_sales = fields.Monetary(
        related="company_id.aftersales_class_a_sales", readonly=False
    )
    aftersales_class_a_units = fields.Integer(
        related="company_id.aftersales_class_a_units", readonly=False
    )
    aftersales_class_b_sales = fields.Monetary(
        related="company_id.aftersales_class_b_sales", readonly=False
    )
    aftersales_class_b_units = fields.Integer(
        related="company_id.aftersales_class_b_units", readonly=False
    )
    aftersales_visit_reminder_days = fields.Integer(
        related="company_id.aftersales_visit_reminder_days", readonly=False
    )
    aftersales_care_manager_id = fields.Many2one(
        related="company_id.aftersales_care_manager_id", readonly=False
    )

    @api.constrains(
        "aftersales_callback_unhappy_score",
        "aftersales_callback_link_days",
        "aftersales_visit_reminder_days",
    )
    def _check_aftersales_care(self):
        for settings in self:
            if not 0 <= settings.aftersales_callback_unhappy_score <= 5:
                raise ValidationError(self.env._("The unhappy score goes from 0 to 5."))
            if settings.aftersales_callback_link_days < 1:
                raise ValidationError(self.env._("The survey link is valid at least one day."))
            if settings.aftersales_visit_reminder_days < 0:
                raise ValidationError(self.env._("The visit reminder cannot be negative."))

    # indicators
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
    aftersales_target_satisfaction = fields.Float(
        related="company_id.aftersales_target_satisfaction", readonly=False
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
