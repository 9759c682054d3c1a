from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesPolicyReview(models.Model):
    """The yearly review of a policy, with the customers' opinions collected for it."""

    _name = "aftersales.policy.review"
    _description = "Yearly Review of a Service Policy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "aftersales.policy",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', '=', 'published')]",
        tracking=True,
    )
    organiser_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="The dispatcher organises the yearly review and collects the customers' opinions.",
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    line_ids = fields.One2many(
        "aftersales.policy.review.line", "review_id", string="Customer Opinions"
    )
    conclusion = fields.Html()
    outcome = fields.Selection(
        [("confirmed", "Confirmed"), ("revised", "Revised")],
        readonly=True,
        tracking=True,
        copy=False,
        help="Confirmed: the policy stays as it is until next year's review. Revised: a new "
        "revision was opened.",
    )
    new_revision_id = fields.Many2one("aftersales.policy", readonly=True, copy=False)
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, string="Company"
    )

    @api.depends("policy_id", "date")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "Review of %(policy)s on %(date)s",
                policy=review.policy_id.number or "",
                date=review.date or "",
            )

    def _check_open(self):
        for review in self:
            if review.outcome:
                raise UserError(self.env._("This review is already concluded."))
            if review.policy_id.state != "published":
                raise UserError(
                    self.env._("Only the revision in force can be concluded by a review.")
                )

    def action_confirm_policy(self):
        """The policy stays as it is: its next review moves on by the review period."""
        self._check_open()
        for review in self:
            policy = review.policy_id
            months = policy.company_id.aftersales_policy_review_months or 12
            start = max(policy.review_date or review.date, review.date)
            # the organiser (the dispatcher) may not edit a published policy: moving its next
            # review is the documented outcome of the review they concluded
            policy.sudo().write({"review_date": start + relativedelta(months=months)})
            policy.sudo().message_post(
                body=self.env._(
                    "Yearly review confirmed the policy (%(review)s).", review=review.display_name
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.write({"outcome": "confirmed"})
        return True

    def action_revise_policy(self):
        """The policy is revised: open its new revision, the review is kept on it."""
        self.ensure_one()
        self._check_open()
        action = self.policy_id.action_new_revision()
        self.write({"outcome": "revised", "new_revision_id": action["res_id"]})
        return action


class AftersalesPolicyReviewLine(models.Model):
    _name = "aftersales.policy.review.line"
    _description = "Customer Opinion on a Service Policy"
    _order = "review_id, id"

    review_id = fields.Many2one(
        "aftersales.policy.review", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    channel = fields.Selection(
        [("meeting", "Meeting"), ("survey", "Written Survey")],
        required=True,
        default="survey",
    )
    opinion = fields.Text(required=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
