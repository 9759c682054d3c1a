from odoo import fields, models


class AftersalesOutletLevel(models.Model):
    """A repair level (维修级别): the kinds of request an outlet of that level may handle."""

    _name = "aftersales.outlet.level"
    _description = "Outlet Repair Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(
        default=10, help="Lower levels first: the proposal prefers the lowest level that fits."
    )
    active = fields.Boolean(default=True)
    ticket_type_ids = fields.Many2many(
        "aftersales.ticket.type",
        string="Allowed Request Kinds",
        help="Requests of these kinds may be dispatched to outlets of this level.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each repair level must have a unique code."),
    ]
