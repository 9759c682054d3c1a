import ast
from datetime import timedelta

from pytz import utc

from odoo import api, fields, models


class AftersalesTeam(models.Model):
    """An after-sales team: its members, leader, working calendar, alias and commitments."""

    _name = "aftersales.team"
    _description = "After-Sales Team"
    _inherit = ["mail.alias.mixin", "mail.thread", "aftersales.name.cache.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="Receives an activity when a request of the team breaches a commitment.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "aftersales_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Commitments are counted in these working hours (weekends and public holidays "
        "excluded).",
    )
    assignment_method = fields.Selection(
        [("manual", "Manual"), ("balanced", "Balanced")],
        default="balanced",
        required=True,
        help="Balanced: a new request without a responsible goes to the member with the fewest "
        "open requests.",
    )
    default_ticket_type_id = fields.Many2one(
        "aftersales.ticket.type",
        string="Default Kind",
        help="Kind given to requests that reach the team by e-mail.",
    )
    commitment_ids = fields.One2many(
        "aftersales.team.commitment", "team_id", string="Commitments", copy=True
    )
    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Requests")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    unassigned_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    breached_ticket_count = fields.Integer(compute="_compute_ticket_counts")

    def _compute_ticket_counts(self):
        domain = [("team_id", "in", self.ids), ("is_closed", "=", False)]
        Ticket = self.env["aftersales.ticket"]
        open_counts = dict(Ticket._read_group(domain, ["team_id"], ["__count"]))
        unassigned = dict(
            Ticket._read_group(domain + [("user_id", "=", False)], ["team_id"], ["__count"])
        )
        breached = dict(
            Ticket._read_group(domain + [("sla_status", "=", "breached")], ["team_id"], ["__count"])
        )
        for team in self:
            team.open_ticket_count = open_counts.get(team, 0)
            team.unassigned_ticket_count = unassigned.get(team, 0)
            team.breached_ticket_count = breached.get(team, 0)

    # the record rules of requests read the user's teams once and keep the domain in cache
    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self.env.registry.clear_cache()
        return teams

    def _aftersales_cache_fields(self):
        return super()._aftersales_cache_fields() | {"member_ids", "user_id", "active"}

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("aftersales.ticket").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
        return values

    def _get_commitment(self, ticket_type, severity, rules=None):
        """The most specific commitment rule of the team for a kind and a severity.

        ``rules``: the team's commitments when the caller read them for a batch already.
        """
        self.ensure_one()
        rules = (self.commitment_ids if rules is None else rules).filtered(
            lambda r: (
                r.ticket_type_id in (ticket_type, self.env["aftersales.ticket.type"])
                and r.severity in (severity, False)
            )
        )
        return max(rules, key=lambda r: r._specificity()) if rules else rules

    def _calendar(self):
        return self.resource_calendar_id or self.company_id.resource_calendar_id

    def _plan_deadlines(self, requests):
        """Deadlines in working hours for many requests of this team at once.

        ``requests`` is a list of ``(start, hours)`` with naive UTC datetimes; the result lists
        the naive UTC moments when that many working hours have passed. The calendar's work
        intervals (attendances minus leaves and public holidays) are read once for the batch.
        """
        self.ensure_one()
        calendar = self._calendar()
        if not requests:
            return []
        if not calendar:
            return [fields.Datetime.add(start, hours=hours) for start, hours in requests]
        # wide enough for the longest commitment: a week has at least ~one working day
        horizon = timedelta(days=14 + 7 * int(max(h for _s, h in requests) / 8 + 1))
        window_start = min(start for start, _h in requests).replace(tzinfo=utc)
        window_end = max(start for start, _h in requests).replace(tzinfo=utc) + horizon
        intervals = [
            (begin.astimezone(utc).replace(tzinfo=None), stop.astimezone(utc).replace(tzinfo=None))
            for begin, stop, _meta in calendar._work_intervals_batch(window_start, window_end)[
                False
            ]
        ]
        deadlines = []
        for start, hours in requests:
            remaining = hours
            deadline = None
            for begin, stop in intervals:
                if stop <= start:
                    continue
                begin = max(begin, start)
                available = (stop - begin).total_seconds() / 3600
                if remaining <= available:
                    deadline = begin + timedelta(hours=remaining)
                    break
                remaining -= available
            if deadline is None:  # beyond the window (a calendar with hardly any hours)
                deadline = calendar.plan_hours(hours, start, compute_leaves=True)
            deadlines.append(deadline)
        return deadlines

    def action_view_tickets(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_ticket"
        )
        action["domain"] = [("team_id", "in", self.ids)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action
