from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .scheduled_job import JOB_BATCH_SIZE, run_job, schedule_activities

NCR_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent to Department"),
    ("answered", "Answered"),
    ("confirmed", "Actions Confirmed"),
    ("verified", "Effect Verified"),
    ("closed", "Closed"),
]
# what the department's manager may write: the answer, in the "sent" state
ANSWER_FIELDS = {"rectification", "corrective_action_ids"}
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"
# the reminder of an overdue answer; kept when done, it is what the job remembers
OVERDUE_ACTIVITY_TYPE = "aftersales_service.mail_activity_type_nonconformity_overdue"


class AftersalesNonconformity(models.Model):
    """A nonconformity report (不合格报告) from the after-sales service manager to a department."""

    _name = "aftersales.nonconformity"
    _description = "Nonconformity Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(
        "hr.department",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    department_manager_user_id = fields.Many2one(
        "res.users",
        string="Department Manager",
        compute="_compute_department_manager_user_id",
        help="The user of the department's manager, who answers the report.",
    )
    policy_id = fields.Many2one(
        "aftersales.policy",
        string="Policy Revision",
        tracking=True,
        check_company=True,
        index="btree_not_null",
        domain="[('state', 'in', ('published', 'obsolete'))]",
        help="The revision of the policy that was not followed.",
    )
    clause = fields.Char(help="The article or clause of the policy, e.g. 4.2.")
    finding = fields.Html(required=True, help="What was found, where and when.")
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "aftersales_nonconformity_attachment_rel",
        "nonconformity_id",
        "attachment_id",
    )
    raised_by_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    deadline = fields.Date(
        tracking=True, index=True, help="When the department must have answered."
    )
    state = fields.Selection(
        NCR_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    rectification = fields.Html(
        string="Rectification Proposal", help="The department's analysis and rectification."
    )
    corrective_action_ids = fields.One2many(
        "aftersales.corrective.action", "nonconformity_id", string="Corrective Actions"
    )
    sent_date = fields.Date(readonly=True, copy=False)
    answered_date = fields.Date(readonly=True, copy=False)
    confirmed_date = fields.Date(readonly=True, copy=False)
    verified_date = fields.Date(readonly=True, copy=False)
    closed_date = fields.Date(readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    @api.depends("department_id.manager_id.user_id")
    def _compute_department_manager_user_id(self):
        for report in self:
            report.department_manager_user_id = report.department_id.manager_id.user_id

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for report in self:
            report.is_overdue = bool(
                report.deadline and report.deadline < today and report.state == "sent"
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue reports."))
        domain = [("deadline", "<", fields.Date.context_today(self)), ("state", "=", "sent")]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    # ---------------------------------------------------------------------------------------
    # ORM
    # ---------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = vals.get("company_id") or self.env.company.id
                vals["name"] = sequence.with_company(company).next_by_code(
                    "aftersales.nonconformity"
                ) or self.env._("New")
        reports = super().create(vals_list)
        reports._link_evidence()
        return reports

    def _link_evidence(self):
        """Attach the evidence to its report, so whoever reads the report reads the evidence."""
        for report in self:
            loose = report.evidence_ids.filtered(lambda a: not a.res_id)
            if loose:
                # sudo: only files of this very report are re-linked to it
                loose.sudo().write({"res_model": self._name, "res_id": report.id})

    def write(self, vals):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            res = super().write(vals)
            if "evidence_ids" in vals:
                self._link_evidence()
            return res
        # the department's manager answers: only the answer, only while it is awaited
        if set(vals) - ANSWER_FIELDS:
            raise AccessError(
                self.env._("Only an After-Sales manager can change a nonconformity report.")
            )
        self.check_access("write")  # the record rule: the reports of one's own department
        if self.filtered(lambda r: r.state != "sent"):
            raise UserError(
                self.env._("The answer can be changed only while the report awaits it.")
            )
        # sudo: the department manager may lack rights on corrective actions; the record
        # rule was checked above and only the answer fields reach this write
        return super(AftersalesNonconformity, self.sudo()).write(vals)

    # ---------------------------------------------------------------------------------------
    # flow
    # ---------------------------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only an After-Sales manager can do this on a nonconformity report.")
            )

    def _check_state(self, states, message):
        if self.filtered(lambda r: r.state not in states):
            raise UserError(message)

    def _activity_type(self):
        return self.env.ref("aftersales_service.mail_activity_type_nonconformity")

    def action_send(self):
        """Send the report to the department: its manager gets an activity due at the deadline."""
        self._check_manager()
        self._check_state(("draft",), self.env._("Only a draft report can be sent."))
        missing = self.filtered(lambda r: not r.department_manager_user_id)
        if missing:
            raise UserError(
                self.env._(
                    "The department of %(reports)s has no manager with a user to answer: set "
                    "the department's manager first.",
                    reports=", ".join(missing.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        for report in self:
            deadline = report.deadline or today + timedelta(days=7)
            report.write(
                {
                    "state": "sent",
                    "sent_date": today,
                    "deadline": deadline,
                }
            )
            report.activity_schedule(
                act_type_xmlid="aftersales_service.mail_activity_type_nonconformity",
                date_deadline=deadline,
                summary=self.env._("Answer nonconformity report %(name)s", name=report.name),
                user_id=report.department_manager_user_id.id,
            )
        return True

    def _can_answer(self):
        user = self.env.user
        return (
            self.env.su
            or user.has_group(MANAGER_GROUP)
            or all(report.department_manager_user_id == user for report in self)
        )

    def action_answer(self):
        """The department hands in its rectification proposal and corrective actions."""
        if not self._can_answer():
            raise AccessError(
                self.env._("Only the department's manager can answer its nonconformity report.")
            )
        self._check_state(
            ("sent",), self.env._("Only a report sent to the department is answered.")
        )
        for report in self:
            if not report.rectification or not report.corrective_action_ids:
                raise UserError(
                    self.env._(
                        "%(name)s: give the rectification proposal and at least one corrective "
                        "action before answering.",
                        name=report.name,
                    )
                )
        today = fields.Date.context_today(self)
        # sudo: the department manager moves the report on; the rights were checked above
        reports = self.sudo()
        reports.activity_feedback(
            ["aftersales_service.mail_activity_type_nonconformity", OVERDUE_ACTIVITY_TYPE],
            feedback=self.env._("Answered"),
        )
        reports.write({"state": "answered", "answered_date": today})
        for report in reports:
            report.activity_schedule(
                act_type_xmlid="aftersales_service.mail_activity_type_nonconformity",
                date_deadline=today + timedelta(days=3),
                summary=self.env._("Confirm the actions of %(name)s", name=report.name),
                user_id=report.raised_by_id.id,
            )
        return True

    def action_return(self):
        """The manager sends the answer back for a better proposal."""
        self._check_manager()
        self._check_state(("answered",), self.env._("Only an answered report can be returned."))
        self.activity_unlink(["aftersales_service.mail_activity_type_nonconformity"])
        self.write({"state": "sent", "answered_date": False})
        for report in self:
            report.activity_schedule(
                act_type_xmlid="aftersales_service.mail_activity_type_nonconformity",
                date_deadline=report.deadline or fields.Date.context_today(self),
                summary=self.env._("Revise the answer to %(name)s", name=report.name),
                user_id=report.department_manager_user_id.id,
            )
        return True

    def action_confirm(self):
        """The manager confirms the corrective actions: they may now be carried out."""
        self._check_manager()
        self._check_state(
            ("answered",), self.env._("Only an answered report can have its actions confirmed.")
        )
        self.activity_feedback(
            ["aftersales_service.mail_activity_type_nonconformity"],
            feedback=self.env._("Actions confirmed"),
        )
        self.write({"state": "confirmed", "confirmed_date": fields.Date.context_today(self)})
        actions = self.corrective_action_ids.filtered(lambda a: a.state == "draft")
        for action in actions:
            defaults = {}
            if not action.department_id:
                defaults["department_id"] = action.nonconformity_id.department_id.id
            if not action.deadline:
                defaults["deadline"] = action.nonconformity_id.deadline
            if defaults:
                action.write(defaults)
        actions.action_confirm()
        return True

    def action_verify(self):
        """The manager checked the effect of every action: the report is verified."""
        self._check_manager()
        self._check_state(
            ("confirmed",), self.env._("Only a report with confirmed actions is verified.")
        )
        for report in self:
            actions = report.corrective_action_ids.filtered(lambda a: a.state != "cancelled")
            pending = actions.filtered(lambda a: a.state != "done" or not a.effect_date)
            if not actions or pending:
                raise UserError(
                    self.env._(
                        "%(name)s: every corrective action must be done and its effect checked "
                        "first.",
                        name=report.name,
                    )
                )
            if actions.filtered(lambda a: a.effect_result != "effective"):
                raise UserError(
                    self.env._(
                        "%(name)s: an action was not effective; the department proposes a new "
                        "one before the report is verified.",
                        name=report.name,
                    )
                )
        self.write({"state": "verified", "verified_date": fields.Date.context_today(self)})
        return True

    def action_close(self):
        self._check_manager()
        self._check_state(("verified",), self.env._("Only a verified report can be closed."))
        self.write({"state": "closed", "closed_date": fields.Date.context_today(self)})
        return True

    @api.model
    def _cron_remind_overdue(self, batch_size=JOB_BATCH_SIZE):
        """Remind the department's manager of each report whose answer is overdue, once.

        A batched, lock-safe job (scheduled_job.run_job); the overdue reminder itself, kept
        when done, remembers that the report was reminded.
        """
        reports = run_job(
            self,
            [("is_overdue", "=", True)],
            "_give_overdue_activities",
            batch_size=batch_size,
            activity_type=self.env.ref(OVERDUE_ACTIVITY_TYPE),
        )
        return len(reports)

    def _give_overdue_activities(self):
        today = fields.Date.context_today(self)
        schedule_activities(
            self,
            [
                {
                    "user_id": (report.department_manager_user_id or report.raised_by_id).id,
                    "summary": self.env._(
                        "Overdue: answer nonconformity report %(name)s", name=report.name
                    ),
                    "date_deadline": today,
                }
                for report in self
            ],
            self.env.ref(OVERDUE_ACTIVITY_TYPE),
        )

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_corrective_action"
        )
        action["domain"] = [("nonconformity_id", "=", self.id)]
        action["context"] = {
            "default_nonconformity_id": self.id,
            "default_department_id": self.department_id.id,
            "default_company_id": self.company_id.id,
        }
        return action
