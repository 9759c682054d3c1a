from odoo import api, fields, models

TRAINING_STATUSES = [
    ("not_required", "No Training Required"),
    ("trained", "Trained"),
    ("missing", "Training Missing"),
]


class HrEmployee(models.Model):
    """Employees: training before taking the post and the controlled copies they hold."""

    _inherit = "hr.employee"

    aftersales_training_ids = fields.One2many(
        "aftersales.policy.training",
        "employee_id",
        string="After-Sales Trainings",
        groups="hr.group_hr_user",
    )
    aftersales_required_policy_ids = fields.Many2many(
        "aftersales.policy",
        string="Policies Required by the Job",
        compute="_compute_aftersales_required_policy_ids",
        groups="hr.group_hr_user",
    )
    aftersales_missing_policy_ids = fields.Many2many(
        "aftersales.policy",
        "aftersales_employee_missing_policy_rel",
        "employee_id",
        "policy_id",
        string="Missing Trainings",
        compute="_compute_aftersales_training_status",
        store=True,
        groups="hr.group_hr_user",
        help="Current revisions required by the job on which the employee has not passed a "
        "training.",
    )
    aftersales_training_status = fields.Selection(
        TRAINING_STATUSES,
        string="After-Sales Training",
        compute="_compute_aftersales_training_status",
        store=True,
        index=True,
        groups="hr.group_hr_user",
        help="Trained: passed a training on the current revision of every policy the job "
        "requires. An employee with missing trainings may not be assigned requests.",
    )

    @api.depends("job_id.aftersales_policy_ids.state")
    def _compute_aftersales_required_policy_ids(self):
        for employee in self:
            employee.aftersales_required_policy_ids = employee._aftersales_required_policies()

    def _aftersales_required_policies(self):
        self.ensure_one()
        return self.job_id.aftersales_policy_ids.filtered(lambda p: p.state == "published")

    @api.depends(
        "job_id.aftersales_policy_ids.state",
        "aftersales_training_ids.policy_id",
        "aftersales_training_ids.result",
    )
    def _compute_aftersales_training_status(self):
        for employee in self:
            required = employee._aftersales_required_policies()
            passed = employee.aftersales_training_ids.filtered(
                lambda t: t.result == "passed"
            ).policy_id
            missing = required - passed
            employee.aftersales_missing_policy_ids = missing
            if not required:
                employee.aftersales_training_status = "not_required"
            else:
                employee.aftersales_training_status = "missing" if missing else "trained"

    def write(self, vals):
        changed_post = left = self.browse()
        if "job_id" in vals or "department_id" in vals:
            # a first job position or department is taking a post, not changing it
            changed_post = self.filtered(
                lambda e: (
                    ("job_id" in vals and e.job_id and e.job_id.id != vals["job_id"])
                    or (
                        "department_id" in vals
                        and e.department_id
                        and e.department_id.id != vals["department_id"]
                    )
                )
            )
        if "active" in vals and not vals["active"]:
            left = self.filtered("active")
        res = super().write(vals)
        if left or changed_post:
            self._recall_policy_copies(left, changed_post - left)
        return res

    def _recall_policy_copies(self, left, changed_post):
        # HR officers need not have access to the copies: the recall follows from their change
        copies = (
            self.env["aftersales.policy.copy"]
            .sudo()
            .with_context(active_test=False)
            .search([("holder_id", "in", (left | changed_post).ids), ("state", "=", "issued")])
        )
        if not copies:
            return
        left_copies = copies.filtered(lambda c: c.holder_id in left)
        left_copies.action_recall(reason=self.env._("The holder left the company."))
        (copies - left_copies).action_recall(reason=self.env._("The holder changed post."))
