from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    aftersales_team_ids = fields.Many2many(
        "aftersales.team",
        string="After-Sales Teams",
        compute="_compute_aftersales_team_ids",
        help="The active teams the user is a member or the leader of; the record rules of "
        "requests read it once per user (their cache is cleared when a team changes).",
    )

    def _compute_aftersales_team_ids(self):
        # sudo: only which teams the user belongs to is read, to evaluate their record rules
        teams = (
            self.env["aftersales.team"]
            .sudo()
            .search_fetch(
                ["|", ("member_ids", "in", self.ids), ("user_id", "in", self.ids)],
                ["member_ids", "user_id"],
            )
        )
        for user in self:
            user.aftersales_team_ids = teams.filtered(
                lambda team, user=user: user in team.member_ids or team.user_id == user
            )
