import io

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round, format_date

from odoo.addons.aftersales_service.report.xlsx import XLSX_MIMETYPE, Column

# (level, lowest score) from the highest level down (domain.md §11)
STAR_THRESHOLDS = [("five", 95.0), ("four", 90.0), ("three", 80.0), ("compliant", 70.0)]
STAR_LEVELS = [
    ("none", "Not Compliant"),
    ("compliant", "Compliant"),
    ("three", "Three Stars"),
    ("four", "Four Stars"),
    ("five", "Five Stars"),
]
# a star level needs fewer special deductions than this
MAX_DEDUCTIONS_FOR_STARS = 5
# and this long at compliant first
COMPLIANT_PERIOD = relativedelta(years=1)


def level_of_score(score):
    """The level a score reaches by itself, before the deduction and compliance rules."""
    for level, threshold in STAR_THRESHOLDS:
        if float_compare(score, threshold, precision_digits=2) >= 0:
            return level
    return "none"


class AftersalesAssessment(models.Model):
    """A GB/T 27922 self-assessment: the company scores itself against the standard's
    indicators before a surveillance or recertification audit (domain.md §11)."""

    _name = "aftersales.assessment"
    _description = "GB/T 27922 Self-Assessment"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.xlsx.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: "/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assessor",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    certificate_id = fields.Many2one(
        "aftersales.certificate",
        check_company=True,
        index=True,
        domain="[('standard_id.has_star_level', '=', True)]",
    )
    audit_id = fields.Many2one(
        "aftersales.certification.audit",
        check_company=True,
        index=True,
        tracking=True,
        domain="[('certificate_id', '=?', certificate_id),"
        " ('audit_type', 'in', ('surveillance', 'recertification'))]",
        help="The surveillance or recertification audit this assessment prepares.",
    )
    line_ids = fields.One2many("aftersales.assessment.line", "assessment_id", copy=True)
    deduction_ids = fields.One2many(
        "aftersales.assessment.deduction", "assessment_id", string="Special Deductions"
    )
    deduction_count = fields.Integer(compute="_compute_score", store=True)
    has_bonus = fields.Boolean(
        string="Special Bonus", help="One point for clearly leading practice (one at most)."
    )
    bonus_reason = fields.Char()
    points_applicable = fields.Float(compute="_compute_score", store=True, digits=(6, 2))
    points_earned = fields.Float(compute="_compute_score", store=True, digits=(6, 2))
    score = fields.Float(
        compute="_compute_score",
        store=True,
        digits=(6, 2),
        help="Points earned ÷ points applicable × 100, plus the bonus, minus the deductions.",
    )
    compliant_since = fields.Date(
        compute="_compute_compliant_since",
        store=True,
        readonly=False,
        help="Since when the company has been assessed compliant without a break: from the "
        "previous done assessments, or set by hand (e.g. from an earlier certificate).",
    )
    star_level = fields.Selection(
        STAR_LEVELS, compute="_compute_star_level", store=True, index=True, tracking=True
    )
    star_reason = fields.Char(string="Why this Level", compute="_compute_star_level", store=True)
    note = fields.Html()

    _sql_constraints = [
        (
            "bonus_reason_required",
            "CHECK(NOT has_bonus OR bonus_reason IS NOT NULL)",
            "Give the reason of the special bonus.",
        ),
    ]

    @api.depends(
        "line_ids.applicable",
        "line_ids.max_points",
        "line_ids.earned_points",
        "deduction_ids",
        "has_bonus",
    )
    def _compute_score(self):
        for assessment in self:
            lines = assessment.line_ids.filtered("applicable")
            applicable = sum(lines.mapped("max_points"))
            earned = sum(lines.mapped("earned_points"))
            base = earned / applicable * 100 if applicable else 0.0
            deductions = len(assessment.deduction_ids)
            assessment.points_applicable = applicable
            assessment.points_earned = earned
            assessment.deduction_count = deductions
            assessment.score = float_round(
                base + (1 if assessment.has_bonus else 0) - deductions, precision_digits=2
            )

    @api.depends("date", "company_id")
    def _compute_compliant_since(self):
        for assessment in self:
            assessment.compliant_since = assessment._previous_compliant_since()

    def _previous_compliant_since(self):
        """The date of the earliest done assessment in the unbroken run of compliant ones
        just before this one (False if the last one was not compliant)."""
        self.ensure_one()
        if not self.date or not self.company_id:
            return False
        previous = self.search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("date", "<", self.date),
                ("id", "!=", self._origin.id or 0),
            ],
            ["date", "score"],
            order="date desc, id desc",
        )
        since = False
        for assessment in previous:
            if level_of_score(assessment.score) == "none":
                break
            since = assessment.date
        return since

    @api.depends("score", "deduction_count", "compliant_since", "date")
    def _compute_star_level(self):
        labels = dict(self._fields["star_level"]._description_selection(self.env))
        for assessment in self:
            level = level_of_score(assessment.score)
            # formatted out of the translation calls (the term extraction reads no f-strings)
            score = f"{assessment.score:.2f}"
            reason = self.env._(
                "A score of %(score)s reaches the level %(level)s.",
                score=score,
                level=labels[level],
            )
            if level == "none":
                reason = self.env._("A score of %(score)s is below 70: not compliant.", score=score)
            elif level != "compliant":
                if assessment.deduction_count >= MAX_DEDUCTIONS_FOR_STARS:
                    reason = self.env._(
                        "A score of %(score)s would reach %(level)s, but a star level needs "
                        "fewer than five special deductions (%(count)s here): the level stays "
                        "compliant.",
                        score=score,
                        level=labels[level],
                        count=assessment.deduction_count,
                    )
                    level = "compliant"
                elif not assessment.compliant_since or (
                    assessment.compliant_since + COMPLIANT_PERIOD > assessment.date
                ):
                    since = assessment.compliant_since
                    reason = self.env._(
                        "A score of %(score)s would reach %(level)s, but a star level needs a "
                        "year at compliant first (compliant since %(since)s): the level stays "
                        "compliant.",
                        score=score,
                        level=labels[level],
                        since=format_date(self.env, since) if since else self.env._("never"),
                    )
                    level = "compliant"
            assessment.star_level = level
            assessment.star_reason = reason

    @api.constrains("has_bonus", "bonus_reason")
    def _check_bonus_reason(self):
        for assessment in self:
            if assessment.has_bonus and not (assessment.bonus_reason or "").strip():
                raise ValidationError(self.env._("Give the reason of the special bonus."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.assessment") or "/"
        assessments = super().create(vals_list)
        # a new assessment scores every indicator of the standard unless given its lines
        indicators = self.env["aftersales.assessment.indicator"]._get_scored()
        self.env["aftersales.assessment.line"].create(
            [
                {"assessment_id": assessment.id, "indicator_id": indicator.id}
                for assessment in assessments.filtered(lambda a: not a.line_ids)
                for indicator in indicators
            ]
        )
        return assessments

    # ------------------------------------------------------------------------------------
    # workflow
    # ------------------------------------------------------------------------------------
    def action_done(self):
        """Close the assessment: its score and level count for the next ones."""
        if self.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._("Only draft assessments can be marked as done."))
        empty = self.filtered(lambda a: not a.points_applicable)
        if empty:
            raise UserError(
                self.env._(
                    "Mark at least one indicator as applicable before closing: %s",
                    ", ".join(empty.mapped("name")),
                )
            )
        self.write({"state": "done"})

    def action_reset_draft(self):
        if self.filtered(lambda a: a.state != "done"):
            raise UserError(self.env._("Only done assessments can go back to draft."))
        self.write({"state": "draft"})

    def action_recompute_compliant_since(self):
        """Take the compliance run again from the done assessments before this one."""
        for assessment in self:
            assessment.compliant_since = assessment._previous_compliant_since()

    # ------------------------------------------------------------------------------------
    # evidence
    # ------------------------------------------------------------------------------------
    def action_propose_evidence(self):
        """Link to each line the suite's records that support its indicator."""
        self.line_ids.filtered("applicable")._propose_evidence()

    # ------------------------------------------------------------------------------------
    # documents: PDF, spreadsheet, attached to the audit and the application
    # ------------------------------------------------------------------------------------
    def action_print(self):
        return self.env.ref(
            "aftersales_certification.action_report_aftersales_assessment"
        ).report_action(self)

    def action_export_xlsx(self):
        return self._xlsx_download_action()

    @api.model
    def _xlsx_filename(self, domain):
        return self.env._("self-assessment")

    @api.model
    def _xlsx_write(self, writer, domain):
        """One sheet per assessment of ``domain``: the summary, then the scored lines."""
        levels = dict(self._fields["star_level"]._description_selection(self.env))
        Line = self.env["aftersales.assessment.line"]
        line_fields = [
            "indicator_id",
            "applicable",
            "max_points",
            "points",
            "sample_size",
            "sample_failed",
            "earned_points",
            "evidence_count",
            "note",
        ]
        columns = [Line._fields[name]._description_string(self.env) for name in line_fields] + [
            self.env._("Parent Indicator")
        ]
        for assessment in self.search(domain, order="date, id"):
            sheet = writer.add_sheet(assessment.name, title=assessment._xlsx_title())
            for label, kind, value in (
                (self.env._("Date"), "date", assessment.date),
                (self.env._("Points Applicable"), "decimal", assessment.points_applicable),
                (self.env._("Points Earned"), "decimal", assessment.points_earned),
                (self.env._("Special Deductions"), "number", assessment.deduction_count),
                (
                    self.env._("Special Bonus"),
                    "char",
                    assessment.has_bonus and assessment.bonus_reason,
                ),
                (self.env._("Score"), "decimal", assessment.score),
                (self.env._("Star Level"), "char", levels.get(assessment.star_level)),
                (self.env._("Why this Level"), "char", assessment.star_reason),
            ):
                sheet.write_row([("label", label), (kind, value)])
            sheet.skip()
            sheet.write_header([Column(header, header, 18) for header in columns])
            for line in assessment.line_ids:
                sheet.write_row(
                    [
                        ("char", line.indicator_id.display_name),
                        ("bool", line.applicable),
                        ("decimal", line.max_points),
                        ("decimal", line.points),
                        ("number", line.sample_size),
                        ("number", line.sample_failed),
                        ("decimal", line.earned_points),
                        ("number", line.evidence_count),
                        ("char", line.note),
                        ("char", line.parent_indicator_id.display_name),
                    ]
                )
            if assessment.deduction_ids:
                sheet.skip()
                sheet.write_row([("label", self.env._("Special Deductions"))])
                kinds = dict(
                    assessment.deduction_ids._fields["kind"]._description_selection(self.env)
                )
                for deduction in assessment.deduction_ids:
                    sheet.write_row(
                        [("char", kinds.get(deduction.kind)), ("char", deduction.reason)]
                    )

    def _xlsx_title(self):
        return self.env._(
            "GB/T 27922 self-assessment %(name)s of %(company)s",
            name=self.name,
            company=self.company_id.name,
        )

    def _render_documents(self):
        """The PDF and the spreadsheet of this assessment: [(filename, content, mimetype)]."""
        self.ensure_one()
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "aftersales_certification.action_report_aftersales_assessment", self.ids
        )
        fileobj = io.BytesIO()
        self._xlsx_export([("id", "=", self.id)], fileobj)
        base = f"{self.name.replace('/', '-')}"
        return [
            (f"{base}.pdf", pdf, "application/pdf"),
            (f"{base}.xlsx", fileobj.getvalue(), XLSX_MIMETYPE),
        ]

    def action_attach_documents(self):
        """Attach the PDF and the spreadsheet to the audit and to the certificate's
        application being prepared, which go to the certification body."""
        self.ensure_one()
        if not self.audit_id:
            raise UserError(self.env._("Choose the audit this assessment prepares first."))
        targets = [self.audit_id]
        application = self.audit_id.certificate_id.recertification_application_id
        if application and application.state in ("draft", "submitted", "review"):
            targets.append(application)
        documents = self._render_documents()
        self.env["ir.attachment"].create(
            [
                {
                    "name": filename,
                    "raw": content,
                    "mimetype": mimetype,
                    "res_model": target._name,
                    "res_id": target.id,
                }
                for target in targets
                for filename, content, mimetype in documents
            ]
        )
        self.message_post(
            body=self.env._(
                "PDF and spreadsheet attached to %s.",
                ", ".join(target.display_name for target in targets),
            )
        )
        return True
