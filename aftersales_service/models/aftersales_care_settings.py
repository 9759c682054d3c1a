# The suite keeps each feature of a shared model in its own file (customer care here).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Customer care settings: callbacks, online surveys and key customers (domain.md §4, §5)."""

    _inherit = "res.company"

    aftersales_callback_unhappy_score = fields.Integer(
        string="Unhappy at Actual Score",
        default=2,
        help="An answer whose actual score for a question is at or below this value is "
        "unhappy: a follow-up request is opened.",
    )
    aftersales_callback_followup_type_id = fields.Many2one(
        "aftersales.ticket.type",
        string="Follow-up Request Kind",
        help="Kind of the request opened for an unhappy answer (a complaint when empty).",
    )
    aftersales_callback_link_days = fields.Integer(
        string="Survey Link Valid (days)",
        default=14,
        help="How long the link sent to the customer for the online answer stays valid.",
    )
    aftersales_class_a_sales = fields.Monetary(
        string="Class A from Yearly Sales",
        currency_field="currency_id",
        default=1000000,
        help="Customers who bought at least this much over the last 12 months are class A.",
    )
    aftersales_class_a_units = fields.Integer(
        string="Class A from Units",
        default=50,
        help="Customers who received at least this many units over the last 12 months are class A.",
    )
    aftersales_class_b_sales = fields.Monetary(
        string="Class B from Yearly Sales", currency_field="currency_id", default=200000
    )
    aftersales_class_b_units = fields.Integer(string="Class B from Units", default=10)
    aftersales_visit_reminder_days = fields.Integer(
        string="Remind Visitors (days before)",
        default=7,
        help="The visitor of a key customer gets an activity this many days before the visit.",
    )
    aftersales_care_manager_id = fields.Many2one(
        "res.users",
        string="Key Customer Care Manager",
        help="Escalations of key customers not visited by year end go to this person.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
