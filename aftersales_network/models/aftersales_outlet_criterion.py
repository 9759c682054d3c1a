from odoo import fields, models


class AftersalesOutletCriterion(models.Model):
    """An admission criterion (准入标准) scored by the evaluators, with its weight."""

    _name = "aftersales.outlet.criterion"
    _description = "Outlet Admission Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    weight = fields.Float(default=1.0, required=True, help="Relative weight in the total score.")
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("weight_positive", "CHECK(weight > 0)", "The weight of a criterion must be positive."),
    ]
