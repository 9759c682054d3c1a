from odoo import fields

from .common import AftersalesCase


class CareCase(AftersalesCase):
    """Shared setup of the customer care tests: the questionnaire shipped as data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.questions = cls.env["aftersales.callback.question"].search([])
        cls.Callback = cls.env["aftersales.callback"]

    def create_callback(self, **values):
        vals = {
            "partner_id": self.customer.id,
            "user_id": self.user.id,
            "date_planned": fields.Date.today(),
        }
        vals.update(values)
        return self.Callback.create(vals)

    def answer(self, callback, pairs):
        """Score the questions in order with ``(expected, actual)`` pairs."""
        for line, (expected, actual) in zip(callback.answer_ids, pairs, strict=True):
            line.write({"expected": expected and str(expected), "actual": actual and str(actual)})
