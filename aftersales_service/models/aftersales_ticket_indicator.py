# A plain extension of the model in its own file (see conventions.md)
# pylint: disable=consider-merging-classes-inherited
from pytz import utc

from odoo import api, fields, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    resolve_working_hours = fields.Float(
        string="Working Hours to Resolve",
        compute="_compute_resolve_working_hours",
        store=True,
        precompute=True,
        digits=(12, 2),
        help="Working hours of the team's calendar from receipt to closing (the indicators' "
        "mean time to resolve).",
    )

    # the hours of the day it closed: a later change of the calendar rewrites no history
    @api.depends("closed_date", "request_date", "team_id")
    def _compute_resolve_working_hours(self):
        for ticket in self:
            start, end = ticket.request_date, ticket.closed_date
            if not (start and end) or end <= start:
                ticket.resolve_working_hours = 0.0
                continue
            calendar = (
                ticket.team_id._calendar()
                if ticket.team_id
                else ticket.company_id.resource_calendar_id
            )
            if not calendar:
                ticket.resolve_working_hours = (end - start).total_seconds() / 3600
                continue
            ticket.resolve_working_hours = calendar.get_work_duration_data(
                start.replace(tzinfo=utc), end.replace(tzinfo=utc), compute_leaves=True
            )["hours"]
