from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_ticket import SEVERITIES


class AftersalesTeamCommitment(models.Model):
    """A service commitment (服务承诺): response and resolution times in working hours."""

    _name = "aftersales.team.commitment"
    _description = "After-Sales Service Commitment"
    _order = "team_id, sequence, id"

    team_id = fields.Many2one("aftersales.team", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="team_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    ticket_type_id = fields.Many2one(
        "aftersales.ticket.type",
        string="Request Kind",
        help="Empty: every kind without a rule of its own.",
    )
    severity = fields.Selection(SEVERITIES, help="Empty: any severity.")
    response_hours = fields.Float(
        string="Response (working hours)",
        required=True,
        default=4.0,
        help="Working hours of the team's calendar within which the customer gets a first answer.",
    )
    resolve_hours = fields.Float(
        string="Resolution (working hours)",
        required=True,
        default=40.0,
        help="Working hours of the team's calendar within which the request is resolved.",
    )

    @api.constrains("response_hours", "resolve_hours")
    def _check_hours(self):
        for rule in self:
            if rule.response_hours <= 0 or rule.resolve_hours <= 0:
                raise ValidationError(self.env._("Response and resolution times must be positive."))
            if rule.resolve_hours < rule.response_hours:
                raise ValidationError(
                    self.env._("The resolution time cannot be shorter than the response time.")
                )

    def _specificity(self):
        return (bool(self.ticket_type_id), bool(self.severity), -self.sequence)
