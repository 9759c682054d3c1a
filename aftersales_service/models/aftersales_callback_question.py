from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCORES = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


class AftersalesCallbackQuestion(models.Model):
    """A question of the callback questionnaire (response speed, attitude, fees, overall...)."""

    _name = "aftersales.callback.question"
    _description = "Callback Question"
    _order = "sequence, id"

    name = fields.Char(string="Question", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Char(
        translate=True, help="What the caller asks, e.g. How fast did we answer your call?"
    )


class AftersalesCallbackAnswer(models.Model):
    """What a customer expected of one point of the service and what they perceived (1-5)."""

    _name = "aftersales.callback.answer"
    _description = "Callback Answer"
    _order = "sequence, id"

    callback_id = fields.Many2one(
        "aftersales.callback", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="callback_id.company_id", store=True)
    question_id = fields.Many2one("aftersales.callback.question", required=True)
    sequence = fields.Integer(related="question_id.sequence", store=True)
    expected = fields.Selection(SCORES, help="What the customer expected (期望感受), 1 to 5.")
    actual = fields.Selection(SCORES, help="What the customer perceived (实际感受), 1 to 5.")

    _sql_constraints = [
        (
            "question_unique",
            "unique(callback_id, question_id)",
            "A callback asks each question once.",
        ),
    ]

    @api.constrains("expected", "actual")
    def _check_pair(self):
        for answer in self:
            if bool(answer.expected) != bool(answer.actual):
                raise ValidationError(
                    self.env._(
                        "Question %s: give both the expected and the actual score, or neither.",
                        answer.question_id.name,
                    )
                )
