import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL

from .scheduled_job import insert_and_trigger, trigger_once

_logger = logging.getLogger(__name__)

MAIL_STATES = [("pending", "Pending"), ("failed", "Failed")]
# Odoo's message telling a user they were assigned a record
ASSIGNED_TEMPLATE = "mail.message_user_assigned"
# context key: post the assignment notice now (the job does)
NOTIFY_NOW = "aftersales_notify_now"
# Odoo's outgoing mail queue
MAIL_QUEUE_CRON = "mail.ir_cron_mail_scheduler_action"


class AftersalesTicketMail(models.Model):
    """A customer e-mail of a request waiting to be sent (received, progress, closed), or the
    notice telling a user they were assigned a request.

    The desk's transaction only queues it; a job triggered right after the commit renders the
    e-mails in batches (one template render for many requests, per language) and hands them to
    Odoo's outgoing mail queue, each posted in its request's chatter; it posts the assignment
    notices as Odoo would have at once (inbox or e-mail, as the assignee chose). A queued row is
    deleted in the transaction that creates its message: a job that fails half-way leaves the
    rest pending, and the row lock keeps two workers from sending one twice.
    """

    _name = "aftersales.ticket.mail"
    _description = "Queued Customer E-mail"
    _order = "id"
    # a technical row, gone once sent: who queued it and when are fields of their own, so that
    # the desk's insert checks three foreign keys, not seven (each costs its planning in every
    # transaction, as the connection pool resets the sessions)
    _log_access = False

    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Request", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    template_id = fields.Many2one(
        "mail.template", ondelete="cascade", help="The customer e-mail (empty for a notice)."
    )
    notify_partner_id = fields.Many2one(
        "res.partner",
        string="Assignee",
        ondelete="cascade",
        help="The user told they were assigned the request (empty for a customer e-mail).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Queued By",
        ondelete="set null",
        help="Who did what the e-mail tells: its author, and the one who assigned for a notice.",
    )
    queued_date = fields.Datetime(string="Queued On", readonly=True)
    state = fields.Selection(MAIL_STATES, default="pending", required=True, index=True)
    error = fields.Text(readonly=True)

    _sql_constraints = [
        (
            "template_or_assignee",
            "CHECK (template_id IS NOT NULL OR notify_partner_id IS NOT NULL)",
            "A queued e-mail needs a template or an assignee to tell.",
        ),
    ]

    @api.model
    def _queue(self, rows, select=None):
        """Queue one e-mail per ``(ticket, template, assignee partner)`` row (a customer e-mail
        has no assignee, a notice no template) and wake the sending job once per transaction:
        one query on the desk's hot path. The author is the current user. With ``select``
        (SQL), the same query reads what it selects, and its rows are returned."""
        now = fields.Datetime.now()
        return insert_and_trigger(
            self.env,
            SQL(
                "INSERT INTO aftersales_ticket_mail (ticket_id, template_id, notify_partner_id, "
                "user_id, state, queued_date) VALUES %s",
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, 'pending', %s)",
                        ticket.id,
                        template.id if template else None,
                        partner.id if partner else None,
                        self.env.uid,
                        now,
                    )
                    for ticket, template, partner in rows
                ),
            ),
            "aftersales_service.ir_cron_send_ticket_mails",
            select,
        )

    def action_retry(self):
        """Queue failed e-mails again (after their template was fixed)."""
        self.filtered(lambda m: m.state == "failed").write({"state": "pending", "error": False})
        self.env.ref("aftersales_service.ir_cron_send_ticket_mails")._trigger()

    @api.model
    def _cron_send(self, batch_size=200):
        """Send a batch of queued e-mails; the cron runner commits and calls again while some
        remain."""
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM aftersales_ticket_mail WHERE state = 'pending' "
            "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            (batch_size,),
        )
        queued = self.browse(row[0] for row in self.env.cr.fetchall())
        if queued:
            queued._send()
        remaining = self.search_count([("state", "=", "pending")]) if queued else 0
        self.env["ir.cron"]._notify_progress(done=len(queued), remaining=remaining)
        return len(queued)

    def _send(self):
        """Render and post the e-mails of ``self``: one render per template and language;
        post the assignment notices."""
        notices = self.filtered("notify_partner_id")
        if notices:
            notices._send_notices()
        by_template = defaultdict(lambda: self.browse())
        for queued in self - notices:
            by_template[queued.template_id] |= queued
        mail_values, sent = [], self.browse()
        for template, batch in by_template.items():
            tickets = batch.ticket_id.filtered("partner_id")
            try:
                rendered = template._generate_template(tickets.ids, ("subject", "body_html"))
            except Exception as exc:  # noqa: BLE001 - one broken template must not block the rest
                _logger.warning("Rendering %s failed: %s", template.display_name, exc)
                batch.write({"state": "failed", "error": str(exc)})
                continue
            senders = tickets._customer_mail_senders()
            for queued in batch:
                ticket = queued.ticket_id
                if ticket.id in rendered:
                    mail_values.append(
                        queued._mail_values(rendered[ticket.id], *senders[ticket.id])
                    )
            sent |= batch
        if mail_values:
            # sudo: the job writes the messages of requests in the name of their author
            mails = self.env["mail.mail"].sudo().create(mail_values)
            self.env["mail.notification"].sudo().create(
                [
                    {
                        "mail_message_id": mail.mail_message_id.id,
                        "mail_mail_id": mail.id,
                        "res_partner_id": mail.recipient_ids.id,
                        "notification_type": "email",
                        "notification_status": "ready",
                        "is_read": True,
                    }
                    for mail in mails
                ]
            )
            trigger_once(self.env, MAIL_QUEUE_CRON)
        sent.unlink()

    def _send_notices(self):
        """Tell the assignees, as Odoo's assignment would have: one message per request, in
        the assignee's language, by the user who assigned it."""
        groups = defaultdict(lambda: self.browse())
        for notice in self:
            # a user removed since leaves none: Odoo then posts as OdooBot
            key = (notice.user_id, notice.notify_partner_id, notice.notify_partner_id.lang)
            groups[key] |= notice
        for (user, partner, lang), notices in groups.items():
            try:
                with self.env.cr.savepoint():
                    # sudo: the job posts in the name of the user who assigned the requests
                    notices.ticket_id.with_user(user).sudo().with_context(
                        lang=lang, **{NOTIFY_NOW: True}
                    )._message_auto_subscribe_notify(partner.ids, ASSIGNED_TEMPLATE)
                    notices.unlink()
            except Exception as exc:  # noqa: BLE001 - one broken notice must not block the rest
                _logger.warning("Telling %s of an assignment failed: %s", partner.name, exc)
                notices.write({"state": "failed", "error": str(exc)})

    def _mail_values(self, rendered, email_from, reply_to):
        self.ensure_one()
        ticket = self.ticket_id
        return {
            "model": ticket._name,
            "res_id": ticket.id,
            "record_name": ticket.display_name,
            "message_type": "comment",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "author_id": self.user_id.partner_id.id or ticket.company_id.partner_id.id,
            "email_from": email_from,
            "reply_to": reply_to,
            "subject": rendered.get("subject") or ticket.display_name,
            "body": rendered.get("body_html") or "",
            "body_html": rendered.get("body_html") or "",
            "partner_ids": [Command.link(ticket.partner_id.id)],
            "recipient_ids": [Command.link(ticket.partner_id.id)],
            "is_notification": True,
            "auto_delete": False,
        }
