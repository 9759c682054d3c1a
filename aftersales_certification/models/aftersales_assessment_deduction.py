from odoo import fields, models


class AftersalesAssessmentDeduction(models.Model):
    """A special deduction of one point (a breach of law or of service rules, to be corrected)."""

    _name = "aftersales.assessment.deduction"
    _description = "Assessment Special Deduction"
    _order = "assessment_id, id"

    assessment_id = fields.Many2one(
        "aftersales.assessment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [
            ("law", "Breach of Law"),
            ("own_rules", "Breach of the Company's Service Rules"),
            ("industry_rules", "Breach of the Industry's Rules"),
        ],
        required=True,
        default="own_rules",
    )
    reason = fields.Char(required=True)
    corrective_action_id = fields.Many2one(
        "aftersales.corrective.action",
        help="The corrective action that removes the cause of the deduction.",
    )
