# The suite keeps each feature of a shared model in its own file (service policies here).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_policy_review_months = fields.Integer(
        string="Review Policies Every (months)",
        default=12,
        help="The next review date of a published policy is its effective date plus this period.",
    )
    aftersales_policy_review_notice_days = fields.Integer(
        string="Remind Policy Owners (days before the review)",
        default=30,
        help="The owner of a published policy gets an activity this many days before its review "
        "date.",
    )
