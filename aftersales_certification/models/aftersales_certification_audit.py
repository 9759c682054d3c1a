from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.aftersales_service.models.scheduled_job import run_job, schedule_activities

from .common import CRON_BATCH_SIZE, SURVEILLANCE_REMINDER_DAYS


class AftersalesCertificationAudit(models.Model):
    """An audit of the certification body: initial, surveillance or recertification."""

    _name = "aftersales.certification.audit"
    _description = "Certification Audit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: "/"
    )
    certificate_id = fields.Many2one(
        "aftersales.certificate",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="certificate_id.company_id", store=True, index=True)
    standard_id = fields.Many2one(related="certificate_id.standard_id")
    body_id = fields.Many2one(related="certificate_id.body_id")
    audit_type = fields.Selection(
        [
            ("initial", "Initial"),
            ("surveillance", "Surveillance"),
            ("recertification", "Recertification"),
            ("special", "Special"),
        ],
        string="Type",
        required=True,
        default="surveillance",
        tracking=True,
        index=True,
    )
    planned_date = fields.Date(required=True, tracking=True, index=True)
    start_date = fields.Date(tracking=True)
    end_date = fields.Date(tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Coordinator",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    auditor_ids = fields.Many2many(
        "res.partner",
        string="Auditors",
        help="The auditors the certification body sends (the lead auditor first).",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("confirmed", "Confirmed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        tracking=True,
        index=True,
    )
    result = fields.Selection(
        [
            ("recommended", "Recommended"),
            ("conditional", "Recommended after Corrective Actions"),
            ("not_recommended", "Not Recommended"),
        ],
        tracking=True,
        help="The audit team's conclusion on maintaining or granting the certificate.",
    )
    summary = fields.Html(string="Audit Report Summary")
    finding_ids = fields.One2many("aftersales.certification.audit.finding", "audit_id")
    major_count = fields.Integer(string="Major NCs", compute="_compute_finding_counts")
    minor_count = fields.Integer(string="Minor NCs", compute="_compute_finding_counts")
    corrective_action_ids = fields.One2many("aftersales.corrective.action", "audit_id")
    corrective_action_count = fields.Integer(compute="_compute_finding_counts")
    reminder_date = fields.Date(
        string="Reminder Sent On",
        readonly=True,
        copy=False,
        help="When the coordinator was reminded that the audit is near.",
    )

    _sql_constraints = [
        (
            "dates_check",
            "CHECK(end_date IS NULL OR start_date IS NULL OR end_date >= start_date)",
            "An audit cannot end before it starts.",
        ),
    ]

    @api.depends("finding_ids.severity", "corrective_action_ids")
    def _compute_finding_counts(self):
        for audit in self:
            severities = audit.finding_ids.mapped("severity")
            audit.major_count = severities.count("major")
            audit.minor_count = severities.count("minor")
            audit.corrective_action_count = len(audit.corrective_action_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.certification.audit") or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if "planned_date" in vals:
            # a new date deserves a new reminder
            vals = dict(vals, reminder_date=False)
        return super().write(vals)

    # ------------------------------------------------------------------------------------
    # workflow
    # ------------------------------------------------------------------------------------
    def action_confirm(self):
        """The body confirmed the dates and the audit team."""
        if self.filtered(lambda a: a.state != "planned"):
            raise UserError(self.env._("Only planned audits can be confirmed."))
        self.write({"state": "confirmed"})

    def action_done(self):
        """Close the audit: its nonconformities become corrective actions."""
        if self.filtered(lambda a: a.state not in ("planned", "confirmed")):
            raise UserError(self.env._("Only planned or confirmed audits can be closed."))
        missing = self.filtered(lambda a: not a.result)
        if missing:
            raise UserError(
                self.env._(
                    "Record the audit team's result before closing: %s",
                    ", ".join(missing.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        self.filtered(lambda a: not a.start_date).start_date = today
        self.filtered(lambda a: not a.end_date).end_date = today
        self.write({"state": "done"})
        self.finding_ids._create_corrective_actions()

    def action_cancel(self):
        if self.filtered(lambda a: a.state == "done"):
            raise UserError(self.env._("A done audit cannot be cancelled."))
        self.write({"state": "cancelled"})

    def action_reset_planned(self):
        if self.filtered(lambda a: a.state != "cancelled"):
            raise UserError(self.env._("Only cancelled audits can be planned again."))
        self.write({"state": "planned"})

    def action_create_corrective_actions(self):
        """Turn the nonconformities found so far into corrective actions."""
        actions = self.finding_ids._create_corrective_actions()
        if not actions:
            raise UserError(
                self.env._("Every nonconformity of this audit already has a corrective action.")
            )
        return self.action_view_corrective_actions()

    def action_view_corrective_actions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Corrective Actions"),
            "res_model": "aftersales.corrective.action",
            "view_mode": "list,form",
            "domain": [("audit_id", "=", self.id)],
            "context": {"default_audit_id": self.id, "default_company_id": self.company_id.id},
        }

    # ------------------------------------------------------------------------------------
    # scheduled job: surveillance audits due within 30 days raise activities
    # ------------------------------------------------------------------------------------
    @api.model
    def _surveillance_reminder_domain(self):
        today = fields.Date.context_today(self)
        return [
            ("audit_type", "=", "surveillance"),
            ("state", "in", ("planned", "confirmed")),
            ("planned_date", "<=", today + timedelta(days=SURVEILLANCE_REMINDER_DAYS)),
            ("planned_date", ">=", today),
            ("certificate_id.state", "in", ("valid", "expiring")),
        ]

    @api.model
    def _cron_surveillance_reminders(self, batch_size=CRON_BATCH_SIZE):
        """Give the coordinator an activity for each surveillance audit due within 30 days."""
        return run_job(
            self,
            self._surveillance_reminder_domain(),
            "_give_surveillance_activities",
            batch_size=batch_size,
            order="planned_date, id",
            flag="reminder_date",
        )

    def _give_surveillance_activities(self):
        schedule_activities(
            self,
            [
                {
                    "date_deadline": audit.planned_date,
                    "summary": self.env._("Prepare the surveillance audit"),
                    "note": self.env._(
                        "The surveillance audit of certificate %(cert)s is planned on "
                        "%(date)s: confirm the dates with %(body)s and prepare the records.",
                        cert=audit.certificate_id.display_name,
                        date=format_date(self.env, audit.planned_date),
                        body=audit.body_id.display_name,
                    ),
                    "user_id": (audit.user_id or audit.certificate_id._get_coordinator()).id
                    or self.env.uid,
                }
                for audit in self
            ],
        )
