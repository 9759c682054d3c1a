# The suite keeps each feature of a shared model in its own file (training here).
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesPolicyTraining(models.Model):
    """A training of an employee on one revision of a service policy (上岗培训记录)."""

    _name = "aftersales.policy.training"
    _description = "Service Policy Training"
    _order = "date desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    policy_id = fields.Many2one(
        "aftersales.policy",
        string="Policy Revision",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('state', 'in', ('published', 'approved'))]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    trainer_id = fields.Many2one("hr.employee", check_company=True, help="Who gave the training.")
    result = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed")],
        required=True,
        default="passed",
        index=True,
    )
    hours = fields.Float(default=1.0)
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    @api.constrains("hours")
    def _check_hours(self):
        for training in self:
            if training.hours < 0:
                raise ValidationError(self.env._("The hours of a training cannot be negative."))

    @api.constrains("employee_id", "trainer_id")
    def _check_trainer(self):
        for training in self:
            if training.trainer_id and training.trainer_id == training.employee_id:
                raise ValidationError(self.env._("An employee cannot train themselves."))

    @api.onchange("employee_id")
    def _onchange_employee_id(self):
        if self.employee_id:
            self.company_id = self.employee_id.company_id


class AftersalesPolicy(models.Model):
    _inherit = "aftersales.policy"

    def _on_published(self, former):
        """The links to the former revision move to this one; its trainees are told."""
        res = super()._on_published(former)
        if former:
            self._move_links_from(former)
        return res

    def _move_links_from(self, former):
        """Jobs, commitments, fee standards and companies now name this revision."""
        self.ensure_one()
        # sudo: publishing is a manager's act; the links are configuration of other models
        # (jobs, companies) that the manager may not write, and only the revision moves
        jobs = self.env["hr.job"].sudo().search([("aftersales_policy_ids", "in", former.ids)])
        if jobs:
            jobs.write(
                {
                    "aftersales_policy_ids": [Command.unlink(p.id) for p in former]
                    + [Command.link(self.id)]
                }
            )
        for model in ("aftersales.team.commitment", "aftersales.fee.standard"):
            linked = self.env[model].sudo().search([("policy_id", "in", former.ids)])
            if linked:
                linked.write({"policy_id": self.id})
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("aftersales_warranty_policy_id", "in", former.ids)])
        )
        if companies:
            companies.write({"aftersales_warranty_policy_id": self.id})
        if jobs:
            self._reopen_training(jobs)

    def _reopen_training(self, jobs):
        """Give each holder of ``jobs`` (or their manager) an activity to train again."""
        self.ensure_one()
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search_fetch([("job_id", "in", jobs.ids)], ["user_id", "parent_id", "name"])
        )
        activity_type = self.env.ref("aftersales_service.mail_activity_type_policy_training")
        model_id = self.env["ir.model"]._get_id("hr.employee")
        deadline = fields.Date.context_today(self)
        activities = []
        # someone trained on the approved revision before its publication is not re-opened
        for employee in employees.filtered(lambda e: self in e.aftersales_missing_policy_ids):
            user = employee.user_id or employee.parent_id.user_id
            if not user:
                continue
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": employee.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": self.env._(
                        "Training needed on %(policy)s", policy=self.display_name
                    ),
                    "date_deadline": deadline,
                }
            )
        # sudo: the holders' employee records are HR data the publisher may not write; the
        # activity is the notice: no e-mail per holder (quick update)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            activities
        )
