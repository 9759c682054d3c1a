import secrets
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class AftersalesCallbackCampaign(models.Model):
    """A sampled satisfaction survey (随机抽样回访): e.g. 100 repair customers a year, at random."""

    _name = "aftersales.callback.campaign"
    _description = "Callback Campaign"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(required=True, tracking=True)
    date_to = fields.Date(required=True, tracking=True)
    ticket_type_ids = fields.Many2many(
        "aftersales.ticket.type",
        string="Request Kinds",
        help="Requests of these kinds are drawn (every kind when empty).",
    )
    sample_size = fields.Integer(required=True, default=100, tracking=True)
    user_ids = fields.Many2many(
        "res.users",
        string="Callers",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="The callbacks drawn are spread evenly over these people.",
    )
    callback_ids = fields.One2many("aftersales.callback", "campaign_id", string="Callbacks")
    callback_count = fields.Integer(compute="_compute_results", string="Customers Drawn")
    done_count = fields.Integer(compute="_compute_results", string="Answered")
    response_rate = fields.Float(string="Response Rate (%)", compute="_compute_results")
    average_satisfaction = fields.Float(compute="_compute_results", digits=(3, 2))
    satisfaction_rate = fields.Float(
        string="Satisfaction Rate (%)",
        compute="_compute_results",
        help="Share of the customers who answered whose actual perception is at least what "
        "they expected.",
    )

    @api.constrains("date_from", "date_to", "sample_size")
    def _check_period(self):
        for campaign in self:
            if campaign.date_to < campaign.date_from:
                raise ValidationError(self.env._("The campaign ends before it starts."))
            if campaign.sample_size < 1:
                raise ValidationError(self.env._("Draw at least one customer."))

    @api.depends("callback_ids.state", "callback_ids.satisfaction")
    def _compute_results(self):
        Callback = self.env["aftersales.callback"]
        totals = {
            campaign: count
            for campaign, count in Callback._read_group(
                [("campaign_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["campaign_id"],
                ["__count"],
            )
        }
        done = {
            campaign: (count, satisfaction, rate)
            for campaign, count, satisfaction, rate in Callback._read_group(
                [("campaign_id", "in", self.ids), ("state", "=", "done")],
                ["campaign_id"],
                ["__count", "satisfaction:avg", "satisfied_rate:avg"],
            )
        }
        for campaign in self:
            total = totals.get(campaign, 0)
            count, satisfaction, rate = done.get(campaign, (0, 0.0, 0.0))
            campaign.callback_count = total
            campaign.done_count = count
            campaign.response_rate = 100.0 * count / total if total else 0.0
            campaign.average_satisfaction = satisfaction or 0.0
            campaign.satisfaction_rate = rate or 0.0

    # ---------------------------------------------------------------------------------------
    # drawing the sample
    # ---------------------------------------------------------------------------------------
    def _sample_domain(self):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("stage_id.is_closed", "=", True),
            ("closed_date", ">=", fields.Datetime.to_datetime(self.date_from)),
            (
                "closed_date",
                "<",
                fields.Datetime.to_datetime(fields.Date.add(self.date_to, days=1)),
            ),
            ("commercial_partner_id", "!=", False),
        ]
        if self.ticket_type_ids:
            domain.append(("ticket_type_id", "in", self.ticket_type_ids.ids))
        return domain

    def _draw(self, seed):
        """``[(ticket id, partner id)]``: up to ``sample_size`` closed requests of the period, at
        random, one per customer company and none of a customer already drawn.

        One query: PostgreSQL picks one request per customer and orders the customers by a hash
        of the seed, so a seed gives the same sample again.
        """
        self.ensure_one()
        Ticket = self.env["aftersales.ticket"]
        query = Ticket._search(self._sample_domain())
        self.env["aftersales.callback"].flush_model(["campaign_id", "commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pick.id, pick.partner_id FROM (
                    SELECT DISTINCT ON (t.commercial_partner_id)
                           t.id, t.partner_id, t.commercial_partner_id
                      FROM aftersales_ticket t
                     WHERE t.id IN %(tickets)s
                       AND t.commercial_partner_id NOT IN (
                           SELECT c.commercial_partner_id FROM aftersales_callback c
                            WHERE c.campaign_id = %(campaign)s
                              AND c.commercial_partner_id IS NOT NULL)
                  ORDER BY t.commercial_partner_id, md5(%(seed)s || t.id::text)
                ) pick
                ORDER BY md5(%(seed)s || pick.commercial_partner_id::text)
                LIMIT %(limit)s
                """,
                tickets=query.subselect(),
                campaign=self.id,
                seed=seed,
                limit=self.sample_size,
            )
        )
        return rows

    def action_draw_sample(self):
        """Draw the missing customers of the sample and plan their callbacks over the callers.

        Drawing again adds only customers not drawn yet, up to the sample size.
        """
        self.ensure_one()
        # who may change the campaign draws its sample (managers), not every caller who reads it
        self.check_access("write")
        if not self.user_ids:
            raise UserError(self.env._("Choose the callers of the campaign first."))
        missing = self.sample_size - self.env["aftersales.callback"].search_count(
            [("campaign_id", "=", self.id), ("state", "!=", "cancelled")]
        )
        if missing <= 0:
            raise UserError(self.env._("The sample of %s is complete.", self.name))
        seed = self.env.context.get("aftersales_sample_seed") or secrets.token_hex(8)
        rows = self.with_context(prefetch_fields=False)._draw(seed)[:missing]
        if not rows:
            raise UserError(
                self.env._(
                    "No closed request of the period is left to draw from: widen the period or "
                    "the kinds."
                )
            )
        callers = self._callers_by_load()
        today = fields.Date.context_today(self)
        # the callers find them under "My Callbacks": no log, no assignment e-mail per callback,
        # one subscription per caller
        Callback = self.env["aftersales.callback"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, aftersales_bulk_plan=True
        )
        callbacks = Callback.create(
            [
                {
                    "campaign_id": self.id,
                    "company_id": self.company_id.id,
                    "ticket_id": ticket_id,
                    "partner_id": partner_id,
                    "user_id": callers[index % len(callers)].id,
                    "channel": "phone",
                    "date_planned": max(today, self.date_from),
                }
                for index, (ticket_id, partner_id) in enumerate(rows)
            ]
        )
        callbacks._subscribe_callers()
        self.message_post(
            body=self.env._("%(count)s customers drawn at random.", count=len(callbacks))
        )
        return True

    def _callers_by_load(self):
        """The callers, least loaded with planned callbacks of the campaign first."""
        load = defaultdict(int)
        for user, count in self.env["aftersales.callback"]._read_group(
            [("campaign_id", "=", self.id), ("state", "=", "planned")], ["user_id"], ["__count"]
        ):
            load[user.id] = count
        return self.user_ids.sorted(lambda u: (load[u.id], u.id))

    def action_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_callback"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def _trend_by_month(self):
        """Answers, average satisfaction and satisfaction rate per month, across the company's
        sampled surveys (the trend chart of domain.md §5)."""
        self.ensure_one()
        rows = self.env["aftersales.callback"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("campaign_id", "!=", False),
                ("state", "=", "done"),
            ],
            ["date_done:month"],
            ["__count", "satisfaction:avg", "satisfied_rate:avg"],
        )
        return [
            {
                "month": month.strftime("%Y-%m") if month else "",
                "count": count,
                "satisfaction": satisfaction or 0.0,
                "rate": rate or 0.0,
            }
            for month, count, satisfaction, rate in rows
        ]
