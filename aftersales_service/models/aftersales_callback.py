import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from .scheduled_job import run_job

CALLBACK_CHANNELS = [("phone", "Phone"), ("online", "Online"), ("visit", "Visit")]
CALLBACK_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("unreachable", "Unreachable"),
    ("cancelled", "Cancelled"),
]


class AftersalesCallback(models.Model):
    """A callback (回访) or satisfaction survey of a customer (domain.md §5).

    The customer scores each question of the questionnaire twice: what they expected and what
    they perceived; satisfaction = actual − expected (顾客满意度 = 实际感受 − 期望感受).
    """

    _name = "aftersales.callback"
    _description = "Callback"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Request", index="btree_not_null", check_company=True
    )
    ticket_type_id = fields.Many2one(related="ticket_id.ticket_type_id", store=True)
    campaign_id = fields.Many2one(
        "aftersales.callback.campaign",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Caller",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    channel = fields.Selection(CALLBACK_CHANNELS, default="phone", required=True, tracking=True)
    date_planned = fields.Date(
        string="Planned On", required=True, index=True, default=fields.Date.context_today
    )
    date_done = fields.Date(string="Done On", index=True, readonly=True, copy=False)
    state = fields.Selection(
        CALLBACK_STATES, default="planned", required=True, index=True, tracking=True, copy=False
    )
    answer_ids = fields.One2many("aftersales.callback.answer", "callback_id")
    expected_score = fields.Float(
        compute="_compute_scores", store=True, aggregator="avg", digits=(3, 2)
    )
    actual_score = fields.Float(
        compute="_compute_scores", store=True, aggregator="avg", digits=(3, 2)
    )
    satisfaction = fields.Float(
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        digits=(3, 2),
        help="Actual minus expected perception: 0 or more means the customer got what they "
        "expected.",
    )
    is_satisfied = fields.Boolean(compute="_compute_scores", store=True, index=True)
    satisfied_rate = fields.Float(
        string="Satisfaction Rate (%)",
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        help="100 for a customer whose actual perception is at least what they expected, else "
        "0: its average is the satisfaction rate.",
    )
    is_unhappy = fields.Boolean(compute="_compute_scores", store=True)
    opinion = fields.Text(string="Customer's Opinion")
    followup_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Follow-up Request", readonly=True, copy=False
    )
    access_token = fields.Char(copy=False, groups="aftersales_service.group_aftersales_user")
    token_expiry_date = fields.Date(string="Link Valid Until", readonly=True, copy=False)
    is_survey_mail_sent = fields.Boolean(readonly=True, copy=False, index=True)

    @api.depends("partner_id", "date_planned")
    def _compute_name(self):
        for callback in self:
            callback.name = self.env._(
                "Callback %(partner)s %(date)s",
                partner=callback.partner_id.display_name or "",
                date=callback.date_planned or "",
            )

    @api.depends("answer_ids.expected", "answer_ids.actual", "company_id")
    def _compute_scores(self):
        for callback in self:
            answered = callback.answer_ids.filtered(lambda a: a.expected and a.actual)
            if not answered:
                callback.update(
                    {
                        "expected_score": 0.0,
                        "actual_score": 0.0,
                        "satisfaction": 0.0,
                        "is_satisfied": False,
                        "satisfied_rate": 0.0,
                        "is_unhappy": False,
                    }
                )
                continue
            expected = sum(int(a.expected) for a in answered) / len(answered)
            actual = sum(int(a.actual) for a in answered) / len(answered)
            threshold = callback.company_id.aftersales_callback_unhappy_score
            callback.expected_score = expected
            callback.actual_score = actual
            callback.satisfaction = actual - expected
            callback.is_satisfied = actual >= expected
            callback.satisfied_rate = 100.0 if actual >= expected else 0.0
            callback.is_unhappy = any(int(a.actual) <= threshold for a in answered)

    @api.model_create_multi
    def create(self, vals_list):
        # the active questionnaire: a handful of questions
        questions = self.env["aftersales.callback.question"].search([], limit=50)
        for vals in vals_list:
            if "answer_ids" not in vals:
                vals["answer_ids"] = [Command.create({"question_id": q.id}) for q in questions]
        return super().create(vals_list)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        # callbacks planned in bulk (a sample, closings) subscribe their callers once per caller
        # afterwards (_subscribe_callers) instead of one follower query pair per callback
        if self.env.context.get("aftersales_bulk_plan"):
            return []
        return super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)

    def _subscribe_callers(self):
        for user in self.user_id:
            self.filtered(lambda c, u=user: c.user_id == u).message_subscribe(user.partner_id.ids)

    # ---------------------------------------------------------------------------------------
    # recording the answers
    # ---------------------------------------------------------------------------------------
    def _check_open(self):
        closed = self.filtered(lambda c: c.state != "planned")
        if closed:
            raise UserError(
                self.env._("%s is no longer planned: reopen it first.", closed[0].display_name)
            )

    def action_done(self):
        """Record the answers: every question scored; an unhappy customer gets a follow-up."""
        self._check_open()
        for callback in self:
            missing = callback.answer_ids.filtered(lambda a: not a.expected or not a.actual)
            if missing or not callback.answer_ids:
                raise UserError(
                    self.env._(
                        "%s: score every question (expected and actual) before closing it.",
                        callback.display_name,
                    )
                )
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})
        self._open_followups()
        return True

    def action_unreachable(self):
        self._check_open()
        self.write({"state": "unreachable", "date_done": fields.Date.context_today(self)})

    def action_cancel(self):
        self._check_open()
        self.write({"state": "cancelled"})

    def action_reset(self):
        self.filtered(lambda c: c.state in ("unreachable", "cancelled")).write(
            {"state": "planned", "date_done": False}
        )

    def _open_followups(self):
        """A follow-up request (a complaint by default) for each unhappy answer (domain.md §5)."""
        todo = self.filtered(lambda c: c.is_unhappy and not c.followup_ticket_id)
        if not todo:
            return
        Ticket = self.env["aftersales.ticket"]
        default_type = self.env.ref("aftersales_service.ticket_type_complaint")
        vals_list = []
        for callback in todo:
            ticket_type = callback.company_id.aftersales_callback_followup_type_id or default_type
            vals = {
                "title": self.env._("Unhappy callback: %s", callback.partner_id.display_name),
                "partner_id": callback.partner_id.id,
                "company_id": callback.company_id.id,
                "ticket_type_id": ticket_type.id,
                "channel": "phone" if callback.channel == "phone" else "portal",
                "customer_request": callback.opinion or False,
            }
            if callback.ticket_id.team_id:
                vals["team_id"] = callback.ticket_id.team_id.id
            if ticket_type.is_complaint:
                vals["complaint_category"] = "other"
            vals_list.append(vals)
        # sudo: a caller records the answer; opening the follow-up is the rule, not their right
        tickets = Ticket.sudo().create(vals_list)
        for callback, ticket in zip(todo, tickets, strict=True):
            callback.followup_ticket_id = ticket
            callback.message_post(
                body=self.env._("Unhappy answer: follow-up request %s opened.", ticket.name)
            )

    # ---------------------------------------------------------------------------------------
    # online answer
    # ---------------------------------------------------------------------------------------
    def _survey_url(self):
        self.ensure_one()
        base = self.get_base_url()
        return f"{base}/aftersales/callback/{self.id}/{self.sudo().access_token}"

    def action_send_survey(self):
        """Send the customer a link to answer online; a job sends the e-mails after the commit."""
        self._check_open()
        no_mail = self.filtered(lambda c: not c.partner_id.email)
        if no_mail:
            raise UserError(
                self.env._(
                    "%s has no e-mail address: call them instead.", no_mail[0].partner_id.name
                )
            )
        today = fields.Date.context_today(self)
        for callback in self:
            days = callback.company_id.aftersales_callback_link_days
            # sudo: the token is hidden from the form but the caller may issue it
            callback.sudo().write(
                {
                    "access_token": secrets.token_urlsafe(24),
                    "token_expiry_date": today + timedelta(days=days),
                }
            )
        self.write({"channel": "online", "is_survey_mail_sent": False})
        self.env.ref("aftersales_service.ir_cron_send_callback_surveys")._trigger()
        return True

    @api.model
    def _cron_send_surveys(self, batch_size=100):
        """Send the pending survey e-mails in batches, each once (lock-safe, scheduled_job)."""
        return len(
            run_job(
                self,
                [("channel", "=", "online"), ("state", "=", "planned")],
                "_send_survey_mails",
                batch_size=batch_size,
                flag="is_survey_mail_sent",
            )
        )

    def _send_survey_mails(self):
        template = self.env.ref("aftersales_service.mail_template_callback_survey")
        for callback in self.filtered("partner_id.email"):
            callback.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=callback.partner_id.ids,
            )

    def _check_token(self, token):
        """Whether ``token`` opens this survey (constant-time comparison)."""
        self.ensure_one()
        stored = self.sudo().access_token
        return bool(stored and token and secrets.compare_digest(stored, token))

    def _record_online_answers(self, scores, opinion):
        """Store the customer's answers given through the link: ``{answer id: (exp, act)}``."""
        self.ensure_one()
        self._check_open()
        valid = ("1", "2", "3", "4", "5")
        # checked before anything is written: a refused answer leaves the survey as it was
        if any(
            scores.get(answer.id, (False, False))[0] not in valid
            or scores.get(answer.id, (False, False))[1] not in valid
            for answer in self.answer_ids
        ):
            raise UserError(self.env._("Please score every question from 1 to 5."))
        for answer in self.answer_ids:
            expected, actual = scores[answer.id]
            answer.write({"expected": expected, "actual": actual})
        self.write({"opinion": opinion or False, "channel": "online"})
        self.action_done()
