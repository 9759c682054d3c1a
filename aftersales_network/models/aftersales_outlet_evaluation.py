from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

EVALUATION_KINDS = [
    ("admission", "Admission"),
    ("periodic", "Periodic"),
    ("reevaluation", "Re-evaluation"),
]
EVALUATION_METHODS = [("paper", "On Paper"), ("onsite", "On Site"), ("both", "Paper and On Site")]
EVALUATION_STATES = [
    ("draft", "Scoring"),
    ("done", "Scored"),
    ("approved", "Approved"),
    ("cancel", "Cancelled"),
]


class AftersalesOutletEvaluation(models.Model):
    """An evaluation (评价) of an outlet against the admission criteria."""

    _name = "aftersales.outlet.evaluation"
    _description = "Outlet Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    outlet_id = fields.Many2one(
        "aftersales.outlet", required=True, index=True, tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(EVALUATION_KINDS, required=True, default="admission", tracking=True)
    method = fields.Selection(EVALUATION_METHODS, required=True, default="both", tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        EVALUATION_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    evaluator_ids = fields.Many2many(
        "res.users",
        string="Evaluators",
        domain=[("share", "=", False)],
        help="People of several departments (design, production, technical, quality, "
        "purchasing, sales) who each score every criterion.",
    )
    score_ids = fields.One2many(
        "aftersales.outlet.evaluation.score", "evaluation_id", string="Scores", copy=False
    )
    pass_score = fields.Float(
        required=True, default=lambda self: self.env.company.outlet_pass_score
    )
    total_score = fields.Float(compute="_compute_result", store=True, aggregator="avg")
    result = fields.Selection(
        [("pass", "Passed"), ("fail", "Failed")], compute="_compute_result", store=True
    )
    agreement_id = fields.Many2one(
        "aftersales.outlet.agreement",
        string="Expiring Agreement",
        readonly=True,
        index="btree_not_null",
        help="The agreement whose end opened this re-evaluation.",
    )
    # supervision evidence: the outlet's indicators as the evaluators see them
    kpi_ticket_count = fields.Integer(related="outlet_id.kpi_ticket_count")
    kpi_on_time_rate = fields.Float(related="outlet_id.kpi_on_time_rate")
    kpi_accept_hours = fields.Float(related="outlet_id.kpi_accept_hours")
    kpi_repeat_count = fields.Integer(related="outlet_id.kpi_repeat_count")
    kpi_complaint_count = fields.Integer(related="outlet_id.kpi_complaint_count")
    kpi_rating = fields.Float(related="outlet_id.kpi_rating")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Html()

    @api.depends("outlet_id.name", "kind", "date")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for evaluation in self:
            evaluation.name = (
                f"{evaluation.outlet_id.name or ''} – {kinds.get(evaluation.kind, '')}"
            )

    @api.depends("score_ids.score", "score_ids.criterion_id.weight", "pass_score")
    def _compute_result(self):
        for evaluation in self:
            per_criterion = {}
            for line in evaluation.score_ids:
                per_criterion.setdefault(line.criterion_id, []).append(line.score)
            total_weight = sum(criterion.weight for criterion in per_criterion)
            if not total_weight:
                evaluation.total_score = 0.0
                evaluation.result = False
                continue
            evaluation.total_score = (
                sum(
                    criterion.weight * sum(scores) / len(scores)
                    for criterion, scores in per_criterion.items()
                )
                / total_weight
            )
            evaluation.result = (
                "pass" if evaluation.total_score >= evaluation.pass_score else "fail"
            )

    def action_prepare_scores(self):
        """One line per evaluator and active criterion that is not yet on the sheet."""
        criteria = self.env["aftersales.outlet.criterion"].search([("active", "=", True)])
        if not criteria:
            raise UserError(self.env._("Define the admission criteria first (Configuration)."))
        vals = []
        for evaluation in self:
            if not evaluation.evaluator_ids:
                raise UserError(self.env._("Choose the evaluators first."))
            existing = {(s.evaluator_id.id, s.criterion_id.id) for s in evaluation.score_ids}
            vals += [
                {
                    "evaluation_id": evaluation.id,
                    "evaluator_id": user.id,
                    "criterion_id": criterion.id,
                }
                for user in evaluation.evaluator_ids
                for criterion in criteria
                if (user.id, criterion.id) not in existing
            ]
        self.env["aftersales.outlet.evaluation.score"].create(vals)
        return True

    def action_done(self):
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(self.env._("Only evaluations being scored can be closed."))
            if not evaluation.score_ids:
                raise UserError(self.env._("Score the criteria before closing the evaluation."))
        self.write({"state": "done"})
        return True

    def action_approve(self):
        """The Service Network Manager approves the result; the outlet follows it."""
        if not self.env.user.has_group("aftersales_service.group_network_manager"):
            raise UserError(self.env._("Only a Service Network Manager approves evaluations."))
        for evaluation in self:
            if evaluation.state != "done":
                raise UserError(self.env._("Close the scoring before approving the evaluation."))
            outlet = evaluation.outlet_id
            if evaluation.result == "pass" and outlet.state in ("candidate", "evaluating"):
                outlet.state = "approved"
            elif evaluation.result == "fail" and evaluation.kind == "admission":
                outlet.state = "candidate"
            elif evaluation.result == "fail" and outlet.state == "authorized":
                outlet.action_suspend()
            outlet.message_post(
                body=self.env._(
                    "%(evaluation)s approved: %(score).1f / %(pass).1f, %(result)s.",
                    evaluation=evaluation.name,
                    score=evaluation.total_score,
                    result=dict(evaluation._fields["result"]._description_selection(self.env))[
                        evaluation.result
                    ],
                    **{"pass": evaluation.pass_score},
                )
            )
        self.write({"state": "approved", "approved_by_id": self.env.uid})
        return True

    def action_cancel(self):
        self.filtered(lambda e: e.state != "approved").write({"state": "cancel"})
        return True


class AftersalesOutletEvaluationScore(models.Model):
    """The score an evaluator gives an outlet on one criterion."""

    _name = "aftersales.outlet.evaluation.score"
    _description = "Outlet Evaluation Score"
    _order = "evaluation_id, criterion_id, evaluator_id"

    evaluation_id = fields.Many2one(
        "aftersales.outlet.evaluation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    criterion_id = fields.Many2one("aftersales.outlet.criterion", required=True)
    weight = fields.Float(related="criterion_id.weight")
    evaluator_id = fields.Many2one("res.users", required=True)
    department_id = fields.Many2one(
        "hr.department", compute="_compute_department_id", store=True, readonly=False
    )
    score = fields.Float(help="From 0 to 100.")
    comment = fields.Char()

    _sql_constraints = [
        (
            "score_unique",
            "unique(evaluation_id, criterion_id, evaluator_id)",
            "An evaluator scores each criterion once per evaluation.",
        ),
    ]

    @api.depends("evaluator_id")
    def _compute_department_id(self):
        for line in self:
            line.department_id = line.evaluator_id.employee_id.department_id

    @api.constrains("score")
    def _check_score(self):
        if any(not 0 <= line.score <= 100 for line in self):
            raise ValidationError(self.env._("Scores go from 0 to 100."))

    def write(self, vals):
        if any(line.evaluation_id.state != "draft" for line in self):
            raise UserError(self.env._("The scores of a closed evaluation cannot change."))
        return super().write(vals)
