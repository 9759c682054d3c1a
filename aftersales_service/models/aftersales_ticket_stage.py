from odoo import fields, models


class AftersalesTicketStage(models.Model):
    """A step of a request's life: confirm, analyse, agree, carry out, done or cancelled."""

    _name = "aftersales.ticket.stage"
    _inherit = ["aftersales.name.cache.mixin"]
    _description = "After-Sales Request Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(
        string="Folded in Kanban", help="Folded in the kanban view when it has no request."
    )
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Requests in this stage are finished: their resolution time stops.",
    )
    is_cancel = fields.Boolean(
        string="Cancelled Stage",
        help="Requests in this stage were cancelled; they count as closed.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail to the Customer",
        domain=[("model", "=", "aftersales.ticket")],
        help="Sent to the customer, in their language, when a request reaches this stage.",
    )
    team_ids = fields.Many2many(
        "aftersales.team",
        string="Teams",
        help="Teams that use this stage; empty means every team.",
    )
