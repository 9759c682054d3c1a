from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_date

from odoo.addons.aftersales_service.models.scheduled_job import (
    job_domain,
    report_progress,
    run_job,
    schedule_activities,
)

from .aftersales_certificate import compact_uscc
from .common import CRON_BATCH_SIZE

CHANGE_KINDS = [
    ("certificate_info", "(a) Certificate Information"),
    ("service_provision", "(b) Service Provision"),
    ("certified_service", "(c) Certified Service"),
]
NEW_VALUE_FIELDS = {
    "new_registered_name": "registered_name",
    "new_registered_code": "registered_code",
    "new_registered_address": "registered_address",
}


class AftersalesCertificationApplication(models.Model):
    """A change or recertification application to the certification body (domain.md §9)."""

    _name = "aftersales.certification.application"
    _description = "Certification Application"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: "/"
    )
    certificate_id = fields.Many2one(
        "aftersales.certificate",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="certificate_id.company_id", store=True, index=True)
    holder_id = fields.Many2one(related="certificate_id.holder_id")
    body_id = fields.Many2one(related="certificate_id.body_id")
    standard_id = fields.Many2one(related="certificate_id.standard_id")
    user_id = fields.Many2one(
        "res.users",
        string="Coordinator",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    application_type = fields.Selection(
        [("change", "Change"), ("recertification", "Recertification")],
        string="Type",
        required=True,
        default="change",
        tracking=True,
        index=True,
    )
    change_kind = fields.Selection(
        CHANGE_KINDS,
        string="Kind of Change",
        tracking=True,
        help="(a) registered name, unified social credit code or address; (b) management "
        "system, organisation, service environment, facilities or processes; (c) the certified "
        "service itself.",
    )
    provision_area = fields.Selection(
        [
            ("management_system", "Management System"),
            ("organisation", "Organisation Structure"),
            ("environment", "Service Environment"),
            ("facilities", "Service Facilities"),
            ("processes", "Service Processes"),
        ],
        string="What Changes",
    )
    origin = fields.Selection(
        [
            ("manual", "Entered by Hand"),
            ("company_change", "Company Data Changed"),
            ("schedule", "Recertification Schedule"),
        ],
        default="manual",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("review", "Under Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    description = fields.Text(string="Description of the Change")
    impact_description = fields.Text(
        string="Impact on Service Provision",
        help="How the change affects the provision of the certified service.",
    )
    current_registered_name = fields.Char(related="certificate_id.registered_name")
    current_registered_code = fields.Char(related="certificate_id.registered_code")
    current_registered_address = fields.Char(related="certificate_id.registered_address")
    new_registered_name = fields.Char(tracking=True)
    new_registered_code = fields.Char(string="New Unified Social Credit Code", tracking=True)
    new_registered_address = fields.Char(tracking=True)
    due_date = fields.Date(
        tracking=True,
        index=True,
        help="Latest date to submit the application (recertification: three months before expiry).",
    )
    cycle_expiry_date = fields.Date(
        string="Expiry Date of the Cycle",
        readonly=True,
        copy=False,
        help="The expiry date of the certificate this recertification application renews.",
    )
    submitted_date = fields.Date(string="Submitted On", tracking=True, copy=False)
    submission_reference = fields.Char(
        tracking=True, copy=False, help="The reference of the submission (letter or portal)."
    )
    decision_date = fields.Date(tracking=True, copy=False)
    decision_reference = fields.Char(
        tracking=True, copy=False, help="The reference of the body's decision."
    )
    decision_note = fields.Text(string="Decision of the Body", copy=False)
    new_number = fields.Char(string="New Certificate Number", copy=False)
    new_issue_date = fields.Date(copy=False)
    new_expiry_date = fields.Date(copy=False)
    escalation_date = fields.Date(string="Escalated On", readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    history_ids = fields.One2many("aftersales.certificate.history", "application_id")

    @api.depends("due_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for application in self:
            application.is_overdue = bool(
                application.state == "draft"
                and application.due_date
                and application.due_date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue applications."))
        domain = [("state", "=", "draft"), ("due_date", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends("name", "application_type", "certificate_id")
    def _compute_display_name(self):
        for application in self:
            application.display_name = application.name

    # ------------------------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------------------------
    @api.constrains("application_type", "change_kind")
    def _check_change_kind(self):
        for application in self:
            if application.application_type == "change" and not application.change_kind:
                raise ValidationError(
                    self.env._("Choose the kind of change: (a), (b) or (c) (%s).", application.name)
                )

    @api.constrains("new_registered_code")
    def _check_new_registered_code(self):
        for application in self:
            self.env["aftersales.certificate"]._check_uscc(application.new_registered_code)

    @api.constrains("new_issue_date", "new_expiry_date")
    def _check_new_dates(self):
        for application in self:
            if (
                application.new_issue_date
                and application.new_expiry_date
                and application.new_expiry_date <= application.new_issue_date
            ):
                raise ValidationError(
                    self.env._("The new expiry date must come after the new issue date.")
                )

    @api.onchange("application_type")
    def _onchange_application_type(self):
        if self.application_type == "recertification":
            self.change_kind = False
            self.due_date = self.certificate_id.recertification_due_date

    @api.onchange("certificate_id")
    def _onchange_certificate_id(self):
        if self.application_type == "recertification":
            self.due_date = self.certificate_id.recertification_due_date
        if self.certificate_id.user_id:
            self.user_id = self.certificate_id.user_id

    # ------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        certificates = self.env["aftersales.certificate"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.certification.application")
                    or "/"
                )
            if vals.get("new_registered_code"):
                vals["new_registered_code"] = compact_uscc(vals["new_registered_code"])
            if vals.get("application_type") == "recertification":
                cert = certificates.browse(vals.get("certificate_id"))
                vals.setdefault("cycle_expiry_date", cert.expiry_date)
                vals.setdefault("due_date", cert.recertification_due_date)
        applications = super().create(vals_list)
        for application in applications.filtered(
            lambda a: (
                a.application_type == "recertification"
                and not a.certificate_id.recertification_application_id
            )
        ):
            application.certificate_id.recertification_application_id = application
        return applications

    def write(self, vals):
        if vals.get("new_registered_code"):
            vals = dict(vals, new_registered_code=compact_uscc(vals["new_registered_code"]))
        return super().write(vals)

    def init(self):
        # the last guard against two workers opening the same recertification application
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_certification_application_recert_uniq
            ON aftersales_certification_application (certificate_id, cycle_expiry_date)
            WHERE application_type = 'recertification' AND state != 'rejected'
            """
        )
        # one pending proposal per certificate after changes of the company's data
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_certification_application_proposal_uniq
            ON aftersales_certification_application (certificate_id)
            WHERE origin = 'company_change' AND state = 'draft'
            """
        )

    # ------------------------------------------------------------------------------------
    # workflow
    # ------------------------------------------------------------------------------------
    def _check_state(self, allowed, message):
        if self.filtered(lambda a: a.state not in allowed):
            raise UserError(message)

    def _check_ready_to_submit(self):
        for application in self:
            if application.application_type == "recertification":
                continue
            if application.change_kind == "certificate_info":
                changes = application._get_certificate_changes()
                if not changes:
                    raise UserError(
                        self.env._(
                            "%s: give the new registered name, unified social credit code or "
                            "address (different from the certificate's).",
                            application.name,
                        )
                    )
            elif application.change_kind == "service_provision":
                if not application.provision_area or not application.impact_description:
                    raise UserError(
                        self.env._(
                            "%s: say what changes in the service provision and describe its "
                            "impact before submitting.",
                            application.name,
                        )
                    )
            elif not application.description:
                raise UserError(
                    self.env._(
                        "%s: describe the change of the certified service.", application.name
                    )
                )

    def action_submit(self):
        """Send the application to the body: it gets its submission date."""
        self._check_state(("draft",), self.env._("Only draft applications can be submitted."))
        self._check_ready_to_submit()
        today = fields.Date.context_today(self)
        for application in self:
            application.write(
                {"state": "submitted", "submitted_date": application.submitted_date or today}
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self.filtered(
            lambda a: a.application_type == "recertification"
        )._plan_recertification_audits()

    def _plan_recertification_audits(self):
        """Plan the recertification audit of each cycle, a month before expiry at the latest.

        The body fixes the real dates; the plan puts the audit on the calendar meanwhile.
        """
        audits = self.env["aftersales.certification.audit"]
        today = fields.Date.context_today(self)
        vals_list = []
        for application in self:
            cert = application.certificate_id
            expiry = application.cycle_expiry_date or cert.expiry_date
            already = audits.search_count(
                [
                    ("certificate_id", "=", cert.id),
                    ("audit_type", "=", "recertification"),
                    ("state", "!=", "cancelled"),
                    ("planned_date", ">", expiry - timedelta(days=365)),
                ]
            )
            if already or expiry < today:
                continue
            vals_list.append(
                {
                    "certificate_id": cert.id,
                    "audit_type": "recertification",
                    "planned_date": max(today, expiry - timedelta(days=30)),
                    "user_id": application.user_id.id or cert.user_id.id,
                }
            )
        return audits.create(vals_list)

    def action_start_review(self):
        """The body acknowledged the application and is reviewing it."""
        self._check_state(
            ("submitted",), self.env._("Only submitted applications can go under review.")
        )
        self.write({"state": "review"})

    def _check_decision(self):
        missing = self.filtered(lambda a: not a.decision_reference)
        if missing:
            raise UserError(
                self.env._(
                    "Enter the reference of the body's decision first: %s",
                    ", ".join(missing.mapped("name")),
                )
            )

    def _record_decision(self, state):
        self._check_state(
            ("submitted", "review"),
            self.env._("Only submitted applications or applications under review are decided."),
        )
        self._check_decision()
        today = fields.Date.context_today(self)
        for application in self:
            application.write({"state": state, "decision_date": application.decision_date or today})

    def action_approve(self):
        """Record the body's approval; a change of kind (a) updates the certificate."""
        self._record_decision("approved")
        for application in self:
            application._apply_to_certificate()

    def action_reject(self):
        """Record the body's rejection: the certificate stays as it is."""
        self._record_decision("rejected")

    def action_reset_draft(self):
        """A rejected application can be corrected and submitted again."""
        self._check_state(
            ("rejected",), self.env._("Only rejected applications can go back to draft.")
        )
        self.write({"state": "draft", "decision_date": False, "decision_reference": False})

    def _get_certificate_changes(self):
        """The printed data this application changes: {certificate field: new value}."""
        self.ensure_one()
        changes = {}
        if self.application_type == "change" and self.change_kind == "certificate_info":
            for new_field, cert_field in NEW_VALUE_FIELDS.items():
                value = self[new_field] and self[new_field].strip()
                if value and value != (self.certificate_id[cert_field] or ""):
                    changes[cert_field] = value
        elif self.application_type == "recertification":
            for new_field, cert_field in (
                ("new_number", "number"),
                ("new_issue_date", "issue_date"),
                ("new_expiry_date", "expiry_date"),
            ):
                if self[new_field]:
                    changes[cert_field] = self[new_field]
        return changes

    def _apply_to_certificate(self):
        self.ensure_one()
        changes = self._get_certificate_changes()
        if not changes:
            return
        cert = self.certificate_id.with_context(aftersales_certification_application_id=self.id)
        if self.application_type == "recertification" and "expiry_date" in changes:
            # a new cycle: the next recertification will be opened by the schedule
            changes["recertification_application_id"] = False
        cert.write(changes)
        cert.message_post(
            body=self.env._("Certificate updated by the approved application %s.", self.name)
        )

    def action_print_letter(self):
        return self.env.ref(
            "aftersales_certification.action_report_certification_application_letter"
        ).report_action(self)

    # ------------------------------------------------------------------------------------
    # rule: recertification applications open by themselves, and escalate when overdue
    # ------------------------------------------------------------------------------------
    @api.model
    def _recertification_to_open_domain(self):
        today = fields.Date.context_today(self)
        # one term per distinct number of days, not per company
        groups = self.env["res.company"]._read_group(
            [], ["certification_reminder_days"], ["id:array_agg"]
        )
        per_company = [
            [
                ("company_id", "in", company_ids),
                ("recertification_due_date", "<=", today + timedelta(days=days or 0)),
            ]
            for days, company_ids in groups
        ]
        return expression.AND(
            [
                [
                    ("state", "in", ("valid", "expiring")),
                    ("expiry_date", ">=", today),
                    ("recertification_application_id", "=", False),
                ],
                expression.OR(per_company) if per_company else expression.FALSE_DOMAIN,
            ]
        )

    @api.model
    def _escalation_domain(self):
        return [
            ("application_type", "=", "recertification"),
            ("state", "=", "draft"),
            ("due_date", "<", fields.Date.context_today(self)),
        ]

    @api.model
    def _cron_recertification(self, batch_size=CRON_BATCH_SIZE):
        """Open the recertification applications that come due and escalate late ones."""
        opened = self._open_recertification_applications(batch_size, report=False)
        escalated = self._escalate_overdue_applications(batch_size, report=False)
        report_progress(
            self.env,
            len(opened) + len(escalated),
            (self.env["aftersales.certificate"], self._recertification_to_open_domain()),
            (self, job_domain(self, self._escalation_domain(), flag="escalation_date")),
        )
        return opened, escalated

    @api.model
    def _open_recertification_applications(self, batch_size=CRON_BATCH_SIZE, report=True):
        """A batch of the certificates due: their application and the coordinator's activity.

        The application linked to the certificate is what makes each certificate handled once.
        """
        applications = self.browse()

        def open_applications(certificates):
            nonlocal applications
            applications = self._create_recertification_applications(certificates)

        run_job(
            self.env["aftersales.certificate"],
            self._recertification_to_open_domain(),
            open_applications,
            batch_size=batch_size,
            order="recertification_due_date, id",
            report=report,
        )
        return applications

    @api.model
    def _create_recertification_applications(self, certificates):
        applications = self.create(
            [
                {
                    "certificate_id": cert.id,
                    "application_type": "recertification",
                    "origin": "schedule",
                    "user_id": cert._get_coordinator().id,
                    "description": self.env._(
                        "Recertification of %(cert)s, expiring on %(date)s.",
                        cert=cert.display_name,
                        date=format_date(self.env, cert.expiry_date),
                    ),
                }
                for cert in certificates
            ]
        )
        schedule_activities(
            applications,
            [
                {
                    "date_deadline": application.due_date,
                    "summary": self.env._("Submit the recertification application"),
                    "note": self.env._(
                        "Certificate %(cert)s expires on %(expiry)s: the recertification "
                        "application must reach %(body)s by %(due)s.",
                        cert=application.certificate_id.display_name,
                        expiry=format_date(self.env, application.cycle_expiry_date),
                        body=application.body_id.display_name,
                        due=format_date(self.env, application.due_date),
                    ),
                    "user_id": application.user_id.id or self.env.uid,
                }
                for application in applications
            ],
        )
        return applications

    @api.model
    def _escalate_overdue_applications(self, batch_size=CRON_BATCH_SIZE, report=True):
        """Warn the managers of the recertification applications not submitted in time."""
        return run_job(
            self,
            self._escalation_domain(),
            "_escalate",
            batch_size=batch_size,
            order="due_date, id",
            flag="escalation_date",
            report=report,
        )

    def _escalate(self):
        today = fields.Date.context_today(self)
        targets, values_list = self.browse(), []
        for application in self:
            # nobody above the coordinator: the coordinator still gets the warning
            managers = (
                application.certificate_id._get_escalation_users(application.user_id)
                or application.user_id
            )
            for manager in managers:
                targets += application
                values_list.append(
                    {
                        "date_deadline": today,
                        "summary": self.env._("Overdue recertification application"),
                        "note": self.env._(
                            "The recertification application %(name)s for %(cert)s was due "
                            "on %(due)s and has not been submitted. The certificate expires "
                            "on %(expiry)s.",
                            name=application.name,
                            cert=application.certificate_id.display_name,
                            due=format_date(self.env, application.due_date),
                            expiry=format_date(self.env, application.cycle_expiry_date),
                        ),
                        "user_id": manager.id,
                    }
                )
            application.message_post(
                body=self.env._(
                    "Not submitted by its due date %(due)s: escalated to %(managers)s.",
                    due=format_date(self.env, application.due_date),
                    managers=", ".join(managers.mapped("name")) or "-",
                )
            )
        schedule_activities(targets, values_list)

    # ------------------------------------------------------------------------------------
    # rule: a change of the company's data proposes a kind (a) change application
    # ------------------------------------------------------------------------------------
    @api.model
    def _propose_certificate_info_changes(self, company, old, new):
        """Propose a change application for each valid certificate printing an old value.

        ``old`` and ``new`` map ``name``, ``codes`` (set of codes) and ``address`` to the
        company's values before and after the change.
        """
        certificates = self.env["aftersales.certificate"].search(
            [
                ("company_id", "=", company.id),
                ("holder_id", "=", company.partner_id.id),
                ("state", "in", ("valid", "expiring")),
            ]
        )
        proposals = self.browse()
        pending = self.search(
            [
                ("certificate_id", "in", certificates.ids),
                ("change_kind", "=", "certificate_info"),
                ("origin", "=", "company_change"),
                ("state", "=", "draft"),
            ]
        ).grouped("certificate_id")
        created = []
        for cert in certificates:
            vals = cert._proposed_new_values(old, new)
            if not vals:
                continue
            existing = pending.get(cert)
            if existing:
                existing[:1].write(vals)
                proposals |= existing[:1]
                continue
            created.append(
                {
                    "certificate_id": cert.id,
                    "application_type": "change",
                    "change_kind": "certificate_info",
                    "origin": "company_change",
                    "user_id": cert._get_coordinator().id,
                    "description": self.env._(
                        "The company's registered data changed in Odoo; the certificate still "
                        "prints the former data."
                    ),
                    **vals,
                }
            )
        new_applications = self.create(created)
        schedule_activities(
            new_applications,
            [
                {
                    "date_deadline": fields.Date.context_today(self),
                    "summary": self.env._("Report the change of certificate information"),
                    "note": self.env._(
                        "The company's name, unified social credit code or address changed: "
                        "check the proposed change application and submit it to %s.",
                        application.body_id.display_name,
                    ),
                    "user_id": application.user_id.id or self.env.uid,
                }
                for application in new_applications
            ],
        )
        return proposals | new_applications
