# The suite keeps each feature of a shared model in its own file (customer care here).
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from odoo import fields, models


class AftersalesTicketType(models.Model):
    _inherit = "aftersales.ticket.type"

    callback_on_close = fields.Boolean(
        string="Call Back After Closing",
        help="Closing a request of this kind plans a callback of its customer.",
    )
    callback_delay_days = fields.Integer(
        string="Callback After (days)",
        default=3,
        help="How many days after closing the callback is planned.",
    )

    _sql_constraints = [
        (
            "callback_delay_positive",
            "CHECK(callback_delay_days >= 0)",
            "The callback delay cannot be negative.",
        ),
    ]


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    callback_ids = fields.One2many("aftersales.callback", "ticket_id", string="Callbacks")
    callback_count = fields.Integer(compute="_compute_callback_count")

    def _compute_callback_count(self):
        counts = dict(
            self.env["aftersales.callback"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.callback_count = counts.get(ticket, 0)

    def _plan_closing_callbacks(self):
        """Plan the callback of requests just closed whose kind asks for one (once each)."""
        todo = self.filtered(
            lambda t: (
                t.partner_id
                and t.stage_id.is_closed
                and t.ticket_type_id.callback_on_close
                and not t.callback_ids
            )
        )
        if not todo:
            return
        today = fields.Date.context_today(self)
        # sudo: closing is the clerk's right; the callback it plans may go to a colleague
        callbacks = (
            self.env["aftersales.callback"]
            .sudo()
            .with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True, aftersales_bulk_plan=True
            )
            .create(
                [
                    {
                        "partner_id": ticket.partner_id.id,
                        "ticket_id": ticket.id,
                        "company_id": ticket.company_id.id,
                        "user_id": (ticket.user_id or self.env.user).id,
                        "channel": "phone",
                        "date_planned": today
                        + timedelta(days=ticket.ticket_type_id.callback_delay_days),
                    }
                    for ticket in todo
                ]
            )
        )
        callbacks._subscribe_callers()

    def action_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_callback"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
        }
        return action
