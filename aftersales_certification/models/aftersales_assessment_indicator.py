from odoo import api, fields, models

# where the suite finds the records that support an indicator (see aftersales.assessment.line)
EVIDENCE_SOURCES = [
    ("policies", "Published Service Policies"),
    ("trainings", "Policy Trainings"),
    ("outlets", "Service Outlets and Agreements"),
    ("complaints", "Complaint Handling"),
    ("callbacks", "Callbacks"),
    ("corrective_actions", "Corrective Actions"),
    ("nonconformities", "Nonconformity Reports"),
    ("indicators", "Indicators of the Last 12 Months"),
]


class AftersalesAssessmentIndicator(models.Model):
    """An indicator of the GB/T 27922 evaluation system, with the points it weighs.

    The first level (售后服务体系, 商品服务, 顾客服务) groups the second level, which the
    assessment scores; the weights are data the certification coordinator may adjust to the
    standard's own table.
    """

    _name = "aftersales.assessment.indicator"
    _description = "GB/T 27922 Assessment Indicator"
    _parent_store = True
    _order = "parent_path, sequence, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one(
        "aftersales.assessment.indicator", string="Parent Indicator", index=True, ondelete="cascade"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("aftersales.assessment.indicator", "parent_id")
    points = fields.Float(
        digits=(6, 2),
        required=True,
        default=0.0,
        help="The weight of the indicator; the first level weighs the sum of its children.",
    )
    children_points = fields.Float(
        compute="_compute_children_points",
        digits=(6, 2),
        help="The points of the second-level indicators under this one.",
    )
    is_sampled = fields.Boolean(
        string="Sampled",
        help="Checked on samples (staff qualifications, service records, complaint "
        "resolution): the share of failing samples is deducted from the points.",
    )
    evidence_source = fields.Selection(
        EVIDENCE_SOURCES,
        help="The suite's records proposed as evidence of this indicator.",
    )
    description = fields.Text(help="What the auditor checks.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code of an assessment indicator must be unique."),
        ("points_positive", "CHECK(points >= 0)", "An indicator cannot weigh negative points."),
    ]

    @api.depends("child_ids.points")
    def _compute_children_points(self):
        for indicator in self:
            indicator.children_points = sum(indicator.child_ids.mapped("points"))

    @api.depends("code", "name")
    def _compute_display_name(self):
        for indicator in self:
            indicator.display_name = f"{indicator.code} {indicator.name}"

    @api.model
    def _get_scored(self):
        """The active second-level indicators, which an assessment scores."""
        return self.search([("parent_id", "!=", False), ("child_ids", "=", False)])
