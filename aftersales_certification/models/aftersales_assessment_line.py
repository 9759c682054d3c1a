from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

# evidence proposed per line: the most recent records
EVIDENCE_LIMIT = 20


class AftersalesAssessmentLine(models.Model):
    """The score of one indicator in a self-assessment."""

    _name = "aftersales.assessment.line"
    _description = "Self-Assessment Line"
    _order = "assessment_id, sequence, id"

    assessment_id = fields.Many2one(
        "aftersales.assessment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    state = fields.Selection(related="assessment_id.state")
    indicator_id = fields.Many2one(
        "aftersales.assessment.indicator",
        required=True,
        ondelete="restrict",
        domain="[('parent_id', '!=', False)]",
    )
    parent_indicator_id = fields.Many2one(
        related="indicator_id.parent_id", store=True, string="First-Level Indicator"
    )
    sequence = fields.Integer(default=10)
    applicable = fields.Boolean(
        default=True, help="An indicator that does not apply is left out and the score normalised."
    )
    max_points = fields.Float(
        string="Points Applicable",
        digits=(6, 2),
        help="The indicator's weight when the line was created.",
    )
    points = fields.Float(
        string="Points Awarded",
        digits=(6, 2),
        help="The points the indicator earns before the sampled deduction: all of them when "
        "it is met.",
    )
    is_sampled = fields.Boolean(string="Sampled")
    sample_size = fields.Integer(help="How many samples were checked.")
    sample_failed = fields.Integer(string="Failed Samples")
    sample_deduction = fields.Float(compute="_compute_earned_points", store=True, digits=(6, 2))
    earned_points = fields.Float(
        string="Points Earned",
        compute="_compute_earned_points",
        store=True,
        digits=(6, 2),
        help="Points awarded less the share of failing samples.",
    )
    evidence_source = fields.Selection(related="indicator_id.evidence_source")
    evidence_ids = fields.One2many("aftersales.assessment.evidence", "line_id")
    evidence_count = fields.Integer(compute="_compute_evidence_count", string="Evidence Records")
    note = fields.Text(string="Findings")

    _sql_constraints = [
        (
            "indicator_unique",
            "UNIQUE(assessment_id, indicator_id)",
            "An indicator is scored once per assessment.",
        ),
    ]

    @api.depends("applicable", "points", "is_sampled", "sample_size", "sample_failed")
    def _compute_earned_points(self):
        for line in self:
            deduction = 0.0
            if line.is_sampled and line.sample_size:
                deduction = line.points * line.sample_failed / line.sample_size
            line.sample_deduction = deduction
            line.earned_points = line.points - deduction if line.applicable else 0.0

    @api.depends("evidence_ids")
    def _compute_evidence_count(self):
        for line in self:
            line.evidence_count = len(line.evidence_ids)

    @api.constrains("points", "max_points", "sample_size", "sample_failed")
    def _check_points(self):
        for line in self:
            if line.points < 0 or float_compare(line.points, line.max_points, 2) > 0:
                raise ValidationError(
                    self.env._(
                        "%(indicator)s: the points awarded must lie between 0 and %(points)s.",
                        indicator=line.indicator_id.display_name,
                        points=line.max_points,
                    )
                )
            if line.sample_size < 0 or not 0 <= line.sample_failed <= line.sample_size:
                raise ValidationError(
                    self.env._(
                        "%s: the failed samples must lie between 0 and the samples checked.",
                        line.indicator_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        indicators = self.env["aftersales.assessment.indicator"].browse(
            [vals["indicator_id"] for vals in vals_list if vals.get("indicator_id")]
        )
        by_id = {indicator.id: indicator for indicator in indicators}
        for vals in vals_list:
            indicator = by_id.get(vals.get("indicator_id"))
            if not indicator:
                continue
            # the weight of the day: a later change of the table leaves done assessments as is
            vals.setdefault("max_points", indicator.points)
            vals.setdefault("points", vals["max_points"])
            vals.setdefault("is_sampled", indicator.is_sampled)
            vals.setdefault("sequence", indicator.sequence + 100 * (indicator.parent_id.sequence))
        return super().create(vals_list)

    # ------------------------------------------------------------------------------------
    # evidence proposed from the suite's records
    # ------------------------------------------------------------------------------------
    def _propose_evidence(self):
        """Link the records of each line's evidence source not linked yet."""
        existing = {
            (evidence.line_id.id, evidence.res_model, evidence.res_id)
            for evidence in self.evidence_ids
        }
        values = []
        for line in self.filtered("evidence_source"):
            assessment = line.assessment_id
            date_to = assessment.date
            date_from = date_to - relativedelta(years=1)
            if line.evidence_source == "indicators":
                note = line._indicator_summary(date_from, date_to)
                if note:
                    values.append({"line_id": line.id, "name": note, "res_model": False})
                continue
            for record in line._evidence_records(assessment.company_id, date_from, date_to):
                if (line.id, record._name, record.id) in existing:
                    continue
                values.append(
                    {
                        "line_id": line.id,
                        "name": record.display_name,
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                )
        return self.env["aftersales.assessment.evidence"].create(values)

    def _evidence_records(self, company, date_from, date_to):
        """The records (a list) of the line's source for ``company`` over the year to
        ``date_to``."""
        self.ensure_one()
        env, source = self.env, self.evidence_source
        company_term = [("company_id", "=", company.id)]
        searches = {
            "policies": ("aftersales.policy", [("state", "=", "published")], "review_date desc"),
            "trainings": (
                "aftersales.policy.training",
                [("date", ">=", date_from), ("date", "<=", date_to)],
                "date desc",
            ),
            "outlets": (
                "aftersales.outlet.agreement",
                [("date_start", "<=", date_to), ("date_end", ">=", date_from)],
                "date_start desc",
            ),
            "complaints": (
                "aftersales.ticket",
                [
                    ("is_complaint", "=", True),
                    ("is_closed", "=", True),
                    ("closed_date", ">=", date_from),
                    ("closed_date", "<=", date_to),
                ],
                "closed_date desc",
            ),
            "callbacks": (
                "aftersales.callback",
                [
                    ("state", "=", "done"),
                    ("date_done", ">=", date_from),
                    ("date_done", "<=", date_to),
                ],
                "date_done desc",
            ),
            "corrective_actions": (
                "aftersales.corrective.action",
                [("create_date", ">=", date_from)],
                "create_date desc",
            ),
            "nonconformities": (
                "aftersales.nonconformity",
                [("date", ">=", date_from), ("date", "<=", date_to)],
                "date desc",
            ),
        }
        model, domain, order = searches[source]
        # a source the suite lacks, or the user may not read, proposes nothing
        if model not in env or not env[model].has_access("read"):
            return []
        if "company_id" not in env[model]._fields:
            company_term = []
        records = env[model].search(company_term + domain, order=order, limit=EVIDENCE_LIMIT)
        if source == "outlets":
            # the outlets themselves, then their agreements
            return list(records.outlet_id) + list(records)
        return list(records)

    def _indicator_summary(self, date_from, date_to):
        """The company-wide indicators of the year as a line of text, if the suite has them."""
        if "aftersales.indicator" not in self.env:
            return False
        figures = (
            self.env["aftersales.indicator"]
            .with_company(self.assessment_id.company_id)
            .get_indicators(date_from, date_to)
        )
        return self.env["aftersales.indicator"]._format_indicators(figures)
