from odoo import fields, models


class AftersalesTicketType(models.Model):
    """A kind of after-sales request (咨询, 投诉, 维修...) of domain.md §2."""

    _name = "aftersales.ticket.type"
    _inherit = ["aftersales.name.cache.mixin"]
    _description = "After-Sales Request Kind"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical code used by integrations (e.g. complaint, repair).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    concerns_product = fields.Boolean(
        string="Concerns a Product",
        default=True,
        help="Requests of this kind record the registration data: order, product, shipping "
        "date, quantities and what the customer asks for.",
    )
    is_complaint = fields.Boolean(
        string="Is a Complaint",
        help="Requests of this kind are classified by category and severity.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each request kind must have a unique code."),
    ]
