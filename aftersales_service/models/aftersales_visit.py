from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .scheduled_job import (
    JOB_BATCH_SIZE,
    job_domain,
    report_progress,
    run_job,
    schedule_activities,
)

VISIT_STATES = [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")]
FINDING_CATEGORIES = [
    ("product", "Product quality"),
    ("service", "Service quality"),
    ("delivery", "Delivery"),
    ("price", "Price and fees"),
    ("opportunity", "New needs"),
    ("none", "Nothing to report"),
]


class AftersalesVisit(models.Model):
    """A planned visit of a key customer (重点用户走访): at least once a year (domain.md §4)."""

    _name = "aftersales.visit"
    _description = "Key Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Visitor",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    date_planned = fields.Date(
        string="Planned On",
        required=True,
        index=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_done = fields.Date(string="Visited On", readonly=True, copy=False)
    year = fields.Integer(compute="_compute_year", store=True, index=True, aggregator=None)
    state = fields.Selection(
        VISIT_STATES, default="planned", required=True, index=True, tracking=True, copy=False
    )
    finding_category = fields.Selection(FINDING_CATEGORIES, string="Main Finding")
    findings = fields.Text(help="What the customer said and what was seen on site.")
    report = fields.Html(string="Visit Report")
    is_escalated = fields.Boolean(readonly=True, copy=False, index=True)

    @api.depends("partner_id", "date_planned")
    def _compute_name(self):
        for visit in self:
            visit.name = self.env._(
                "Visit %(partner)s %(date)s",
                partner=visit.partner_id.display_name or "",
                date=visit.date_planned or "",
            )

    @api.depends("date_planned")
    def _compute_year(self):
        for visit in self:
            visit.year = visit.date_planned.year if visit.date_planned else 0

    def action_done(self):
        for visit in self:
            if visit.state != "planned":
                raise UserError(self.env._("%s is not planned.", visit.display_name))
            if not visit.findings and not visit.finding_category:
                raise UserError(
                    self.env._(
                        "%s: write down the findings before closing it.",
                        visit.display_name,
                    )
                )
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})
        self.activity_feedback(["aftersales_service.mail_activity_type_key_customer_visit"])

    def action_cancel(self):
        self.filtered(lambda v: v.state == "planned").write({"state": "cancelled"})

    def action_reset(self):
        self.filtered(lambda v: v.state == "cancelled").write({"state": "planned"})

    # ---------------------------------------------------------------------------------------
    # the daily key-customer care job
    # ---------------------------------------------------------------------------------------
    @api.model
    def _cron_key_customer_care(self, batch_size=JOB_BATCH_SIZE):
        """Plan this year's visit of key customers, remind visitors, escalate the missed.

        Three steps of the suite's batched, lock-safe job; the progress is reported once.
        """
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"]
        plan_domain = self._unplanned_domain(today.year)
        planned = run_job(
            Partner, plan_domain, self._plan_visits, batch_size=batch_size, report=False
        )
        remind_type = self.env.ref("aftersales_service.mail_activity_type_key_customer_visit")
        remind_domain = [
            ("state", "=", "planned"),
            ("user_id", "!=", False),
            (
                "date_planned",
                "<=",
                today + timedelta(days=self.env.company.aftersales_visit_reminder_days),
            ),
        ]
        reminded = run_job(
            self,
            remind_domain,
            "_remind_visitors",
            batch_size=batch_size,
            activity_type=remind_type,
            report=False,
        )
        escalate_domain = [("state", "=", "planned"), ("year", "<", today.year)]
        escalated = run_job(
            self,
            escalate_domain,
            "_escalate",
            batch_size=batch_size,
            flag="is_escalated",
            report=False,
        )
        report_progress(
            self.env,
            len(planned) + len(reminded) + len(escalated),
            (Partner, plan_domain),
            (self, self._remind_pending_domain(remind_domain, remind_type)),
            (self, escalate_domain + [("is_escalated", "=", False)]),
        )
        return len(planned), len(reminded), len(escalated)

    def _remind_pending_domain(self, domain, activity_type):
        return job_domain(self, domain, activity_type=activity_type)

    @api.model
    def _unplanned_domain(self, year):
        """Key customers with no visit (planned or done) in ``year``."""
        return [
            ("is_key_customer", "=", True),
            ("is_company", "=", True),
            (
                "id",
                "not in",
                self._search([("year", "=", year), ("state", "!=", "cancelled")]).subselect(
                    SQL.identifier(self._table, "partner_id")
                ),
            ),
        ]

    def _plan_visits(self, partners):
        today = fields.Date.context_today(self)
        # planned for the middle of what is left of the year; the visitor moves it as needed
        year_end = date(today.year, 12, 31)
        planned_on = today + (year_end - today) / 2
        return self.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": (partner.company_id or self.env.company).id,
                    "user_id": (partner.user_id or self.env.company.aftersales_care_manager_id).id,
                    "date_planned": planned_on,
                }
                for partner in partners
            ]
        )

    def _remind_visitors(self):
        schedule_activities(
            self,
            [
                {
                    "user_id": visit.user_id.id,
                    "date_deadline": visit.date_planned,
                    "summary": self.env._("Visit key customer %s", visit.partner_id.name),
                }
                for visit in self
            ],
            self.env.ref("aftersales_service.mail_activity_type_key_customer_visit"),
        )

    def _escalate(self):
        today = fields.Date.context_today(self)
        visits = self.filtered(lambda v: v.company_id.aftersales_care_manager_id or v.user_id)
        schedule_activities(
            visits,
            [
                {
                    "user_id": (visit.company_id.aftersales_care_manager_id or visit.user_id).id,
                    "date_deadline": today,
                    "summary": self.env._(
                        "Key customer %(partner)s was not visited in %(year)s",
                        partner=visit.partner_id.name,
                        year=visit.year,
                    ),
                }
                for visit in visits
            ],
            self.env.ref("aftersales_service.mail_activity_type_key_customer_escalation"),
        )
