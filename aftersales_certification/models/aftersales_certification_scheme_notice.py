from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.aftersales_service.models.scheduled_job import run_job, schedule_activities

from .common import CRON_BATCH_SIZE


class AftersalesCertificationSchemeNotice(models.Model):
    """A body's notice that a certification scheme or its rules change (domain.md §9)."""

    _name = "aftersales.certification.scheme.notice"
    _description = "Scheme Change Notice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "notice_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    body_id = fields.Many2one(
        "res.partner",
        string="Certification Body",
        required=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    standard_id = fields.Many2one(
        "aftersales.certification.standard", string="Standard / Scheme", tracking=True
    )
    notice_date = fields.Date(
        string="Received On", required=True, default=fields.Date.context_today, tracking=True
    )
    reference = fields.Char(help="The reference of the body's notice.")
    description = fields.Html(string="Text of the Notice")
    transition_deadline = fields.Date(required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Coordinator",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    certificate_ids = fields.Many2many(
        "aftersales.certificate",
        "aftersales_cert_scheme_notice_rel",
        "notice_id",
        "certificate_id",
        string="Affected Certificates",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "In Transition"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    tasks_created = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="Technical: the transition tasks of every affected certificate exist.",
    )
    task_ids = fields.One2many("aftersales.certification.transition.task", "notice_id")
    task_count = fields.Integer(compute="_compute_task_progress")
    task_done_count = fields.Integer(compute="_compute_task_progress")

    @api.depends("task_ids.state")
    def _compute_task_progress(self):
        for notice in self:
            notice.task_count = len(notice.task_ids)
            notice.task_done_count = len(notice.task_ids.filtered(lambda t: t.state == "done"))

    @api.onchange("body_id", "standard_id")
    def _onchange_affected(self):
        """Propose the valid certificates of this body and scheme as affected."""
        if not self.body_id:
            return
        domain = [
            ("company_id", "=", self.company_id.id),
            ("body_id", "=", self.body_id.id),
            ("state", "in", ("valid", "expiring", "suspended")),
        ]
        if self.standard_id:
            domain.append(("standard_id", "=", self.standard_id.id))
        self.certificate_ids = self.env["aftersales.certificate"].search(domain)

    def write(self, vals):
        if "certificate_ids" in vals:
            # new affected certificates get their tasks at the next run
            vals = dict(vals, tasks_created=False)
        return super().write(vals)

    def action_confirm(self):
        """Start the transition: every affected certificate gets its task."""
        if self.filtered(lambda n: n.state != "draft"):
            raise UserError(self.env._("Only draft notices can be confirmed."))
        if self.filtered(lambda n: not n.certificate_ids):
            raise UserError(self.env._("Choose the certificates the scheme change affects."))
        self.write({"state": "confirmed", "tasks_created": False})
        self._create_transition_tasks()

    def action_done(self):
        if self.filtered(lambda n: n.state != "confirmed"):
            raise UserError(self.env._("Only notices in transition can be closed."))
        if self.task_ids.filtered(lambda t: t.state == "todo"):
            raise UserError(self.env._("Finish or cancel the open transition tasks first."))
        self.write({"state": "done"})

    def action_cancel(self):
        self.task_ids.filtered(lambda t: t.state == "todo").write({"state": "cancelled"})
        self.write({"state": "cancelled"})

    def action_view_tasks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transition Tasks"),
            "res_model": "aftersales.certification.transition.task",
            "view_mode": "list,form",
            "domain": [("notice_id", "=", self.id)],
            "context": {"default_notice_id": self.id},
        }

    def _create_transition_tasks(self):
        """Create the missing tasks (one per notice and certificate), idempotently."""
        tasks = self.env["aftersales.certification.transition.task"]
        existing = set(
            tasks.search_fetch(
                [("notice_id", "in", self.ids)], ["notice_id", "certificate_id"]
            ).mapped(lambda t: (t.notice_id.id, t.certificate_id.id))
        )
        vals_list = [
            {
                "notice_id": notice.id,
                "certificate_id": cert.id,
                "name": self.env._(
                    "Transition of %(cert)s: %(notice)s",
                    cert=cert.display_name,
                    notice=notice.name,
                ),
                "deadline": notice.transition_deadline,
                "user_id": (notice.user_id or cert._get_coordinator()).id,
            }
            for notice in self.filtered(lambda n: n.state == "confirmed")
            for cert in notice.certificate_ids
            if (notice.id, cert.id) not in existing
        ]
        created = tasks.create(vals_list)
        schedule_activities(
            created,
            [
                {
                    "date_deadline": task.deadline or fields.Date.context_today(self),
                    "summary": self.env._("Scheme transition"),
                    "note": self.env._(
                        "%(body)s changes the scheme: bring %(cert)s to the new rules by %(date)s.",
                        body=task.notice_id.body_id.display_name,
                        cert=task.certificate_id.display_name,
                        date=format_date(self.env, task.deadline),
                    ),
                    "user_id": task.user_id.id or self.env.uid,
                }
                for task in created
            ],
        )
        self.filtered(lambda n: n.state == "confirmed").write({"tasks_created": True})
        return created

    @api.model
    def _cron_transition_tasks(self, batch_size=CRON_BATCH_SIZE):
        """Create the transition tasks of the confirmed notices, a batch of notices at a time."""
        tasks = self.env["aftersales.certification.transition.task"]

        def create_tasks(notices):
            nonlocal tasks
            tasks = notices._create_transition_tasks()

        run_job(
            self,
            [("state", "=", "confirmed")],
            create_tasks,
            batch_size=batch_size,
            flag="tasks_created",
        )
        return tasks
