from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..cached_values import filter_ids
from .common import AftersalesCase

# Friday 2026-11-20 16:00 in Shanghai (UTC+8)
FRIDAY_4PM = datetime(2026, 11, 20, 8, 0)


@tagged("post_install", "-at_install")
class TestTicketSetup(AftersalesCase):
    def test_kinds_seeded_with_unique_codes(self):
        codes = set(self.env["aftersales.ticket.type"].search([]).mapped("code"))
        expected = {
            "consultation",
            "suggestion",
            "complaint",
            "installation",
            "repair",
            "maintenance",
            "return",
            "exchange",
            "delivery",
            "training",
            "recall",
        }
        self.assertTrue(expected <= codes)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.env["aftersales.ticket.type"].create({"name": "Again", "code": "repair"})

    def test_stages_seeded_in_process_order(self):
        stages = self.env["aftersales.ticket.stage"].search([])
        refs = [
            "stage_confirm",
            "stage_analyse",
            "stage_solution",
            "stage_execute",
            "stage_done",
            "stage_cancelled",
        ]
        expected = [self.env.ref(f"aftersales_service.{ref}") for ref in refs]
        self.assertEqual([s for s in stages if s in expected], expected)
        self.assertTrue(self.stage_done.is_closed)
        self.assertTrue(self.env.ref("aftersales_service.stage_cancelled").is_cancel)

    def test_fresh_database_ticket_gets_default_team_and_deadlines(self):
        default_team = self.env.ref("aftersales_service.team_default")
        self.assertTrue(default_team.commitment_ids)
        ticket = self.env["aftersales.ticket"].create(
            {"title": "Where is my manual?", "partner_id": self.customer.id}
        )
        self.assertEqual(ticket.team_id, default_team)
        self.assertEqual(ticket.stage_id, self.stage_confirm)
        self.assertTrue(ticket.response_deadline)
        self.assertTrue(ticket.resolve_deadline)
        self.assertGreater(ticket.resolve_deadline, ticket.response_deadline)
        self.assertTrue(ticket.name.startswith("AS"))
        self.assertNotEqual(ticket.name, self.create_ticket().name)

    def test_a_batch_draws_consecutive_references_at_once(self):
        vals = [{"title": f"Pump {n}", "team_id": self.team.id} for n in range(12)]
        before = self.env.cr.sql_log_count
        with patch.object(
            self.env.registry["ir.sequence"], "_next", autospec=True, side_effect=AssertionError
        ):
            tickets = self.env["aftersales.ticket"].create(vals)
        self.assertGreater(self.env.cr.sql_log_count, before)
        numbers = [int(name[-5:]) for name in tickets.mapped("name")]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 12)))
        year = str(fields.Date.today().year)
        self.assertTrue(all(name.startswith(f"AS{year}") for name in tickets.mapped("name")))

    def test_a_sequence_with_date_ranges_draws_one_by_one(self):
        sequence = self.env.ref("aftersales_service.seq_aftersales_ticket")
        sequence.use_date_range = True
        tickets = self.env["aftersales.ticket"].create(
            [{"title": f"Pump {n}", "team_id": self.team.id} for n in range(3)]
        )
        self.assertEqual(len(set(tickets.mapped("name"))), 3)
        self.assertTrue(sequence.date_range_ids)


@tagged("post_install", "-at_install")
class TestCommitments(AftersalesCase):
    @freeze_time(FRIDAY_4PM)
    def test_deadline_counts_working_hours_across_the_weekend(self):
        ticket = self.create_ticket()
        # 1 hour left on Friday, 3 more on Monday from 8:00 -> Monday 11:00 Shanghai
        self.assertEqual(ticket.response_deadline, datetime(2026, 11, 23, 3, 0))
        # 40 hours: 1 on Friday, 32 from Monday to Thursday, 7 on Friday -> Friday 16:00
        self.assertEqual(ticket.resolve_deadline, datetime(2026, 11, 27, 8, 0))

    @freeze_time(FRIDAY_4PM)
    def test_deadline_skips_public_holidays(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 22, 16, 0),  # Monday 00:00 Shanghai
                "date_to": datetime(2026, 11, 23, 15, 59),
            }
        )
        ticket = self.create_ticket()
        self.assertEqual(ticket.response_deadline, datetime(2026, 11, 24, 3, 0))

    @freeze_time(FRIDAY_4PM)
    def test_most_specific_commitment_applies(self):
        severe = self.create_ticket(
            ticket_type_id=self.type_complaint.id, severity="severe", complaint_category="quality"
        )
        minor = self.create_ticket(
            ticket_type_id=self.type_complaint.id, severity="minor", complaint_category="other"
        )
        severe_repair = self.create_ticket(ticket_type_id=self.type_repair.id, severity="severe")
        plain = self.create_ticket()
        self.assertEqual(severe.commitment_id.response_hours, 1)
        self.assertEqual(minor.commitment_id.response_hours, 2)
        self.assertEqual(severe_repair.commitment_id.response_hours, 3)
        self.assertEqual(plain.commitment_id.response_hours, 4)
        # Friday 16:00 + 1 working hour = Friday 17:00 Shanghai
        self.assertEqual(severe.response_deadline, datetime(2026, 11, 20, 9, 0))
        minor.severity = "severe"
        self.assertEqual(minor.response_deadline, severe.response_deadline)

    def test_commitment_hours_are_validated(self):
        with self.assertRaises(ValidationError):
            self.team.commitment_ids[0].response_hours = 0
        with self.assertRaises(ValidationError):
            self.team.commitment_ids[0].write({"response_hours": 10, "resolve_hours": 5})

    @freeze_time(FRIDAY_4PM)
    def test_first_response_by_message_to_customer(self):
        ticket = self.create_ticket().with_user(self.user)
        ticket.message_post(body="Internal: check stock", subtype_xmlid="mail.mt_note")
        self.assertFalse(ticket.first_response_date)
        ticket.with_user(self.env.ref("base.user_root")).message_post(
            body="Customer writes again",
            author_id=self.customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(ticket.first_response_date)
        ticket.message_post(
            body="We will send an engineer.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertEqual(ticket.first_response_date, FRIDAY_4PM)

    def test_first_response_by_leaving_first_stage_and_closing_dates(self):
        with freeze_time(FRIDAY_4PM):
            ticket = self.create_ticket()
        with freeze_time(datetime(2026, 11, 23, 1, 0)):
            ticket.stage_id = self.stage_analyse
        self.assertEqual(ticket.first_response_date, datetime(2026, 11, 23, 1, 0))
        self.assertFalse(ticket.closed_date)
        with freeze_time(datetime(2026, 11, 24, 1, 0)):
            ticket.stage_id = self.stage_done
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.closed_date, datetime(2026, 11, 24, 1, 0))
        # the first response stays; reopening clears the closing date
        self.assertEqual(ticket.first_response_date, datetime(2026, 11, 23, 1, 0))
        ticket.stage_id = self.stage_analyse
        self.assertFalse(ticket.closed_date)

    def test_status_uses_the_requests_own_company_warning_time(self):
        with freeze_time(FRIDAY_4PM):
            ticket = self.create_ticket()
        other = self.env["res.company"].create({"name": "Ningbo branch"})
        other.aftersales_at_risk_hours = 4
        ticket.company_id.aftersales_at_risk_hours = 1
        # Monday 08:30 Shanghai, response due at 11:00: at risk for 4 hours' warning, not for 1
        with freeze_time(datetime(2026, 11, 23, 0, 30)):
            seen_from_other = ticket.with_company(other)
            seen_from_other.invalidate_recordset(["sla_status"])
            self.assertEqual(seen_from_other.sla_status, "on_time")
            ticket.company_id.aftersales_at_risk_hours = 3
            ticket.invalidate_recordset(["sla_status"])
            self.assertEqual(ticket.sla_status, "at_risk")

    def test_warning_time_of_a_company_made_after_the_cache(self):
        Ticket = self.env["aftersales.ticket"]
        hours = self.company.aftersales_at_risk_hours
        self.assertEqual(Ticket._at_risk_delta(self.company), timedelta(hours=hours))  # cached
        branch = self.env["res.company"].create(
            {"name": "Suzhou branch", "aftersales_at_risk_hours": 6}
        )
        self.assertEqual(Ticket._at_risk_delta(branch), timedelta(hours=6))
        self.company.aftersales_at_risk_hours = 2
        self.assertEqual(Ticket._at_risk_delta(self.company), timedelta(hours=2))

    def test_status_on_time_at_risk_breached(self):
        Ticket = self.env["aftersales.ticket"]
        with freeze_time(FRIDAY_4PM):
            ticket = self.create_ticket()
            self.assertEqual(ticket.sla_status, "on_time")
            self.assertIn(ticket, Ticket.search([("sla_status", "=", "on_time")]))
        # Monday 08:30 Shanghai: response due at 11:00, within the 4 at-risk hours
        with freeze_time(datetime(2026, 11, 23, 0, 30)):
            ticket.invalidate_recordset(["sla_status"])
            self.assertEqual(ticket.sla_status, "at_risk")
            self.assertIn(ticket, Ticket.search([("sla_status", "=", "at_risk")]))
            self.assertNotIn(ticket, Ticket.search([("sla_status", "in", ["breached", "on_time"])]))
        # Monday 12:00 Shanghai: no answer yet, the response commitment is broken
        with freeze_time(datetime(2026, 11, 23, 4, 0)):
            ticket.invalidate_recordset(["sla_status"])
            self.assertEqual(ticket.sla_status, "breached")
            self.assertIn(ticket, Ticket.search([("sla_status", "=", "breached")]))
            # answering late does not repair the breach
            ticket.stage_id = self.stage_analyse
            self.assertTrue(ticket.is_response_late)
            self.assertEqual(ticket.sla_status, "breached")
            self.assertIn(ticket, Ticket.search([("sla_status", "=", "breached")]))
        with self.assertRaises(UserError):
            Ticket.search([("sla_status", "ilike", "late")])

    def test_status_follows_a_closed_flag_not_yet_saved(self):
        with freeze_time(FRIDAY_4PM):
            ticket = self.create_ticket()
        with freeze_time(datetime(2026, 11, 23, 0, 30)):
            ticket.invalidate_recordset(["sla_status"])
            self.assertEqual(ticket.sla_status, "at_risk")
            # the stage becomes a closing one: the request's closed flag is pending, computed
            # when its status reads it
            ticket.stage_id.is_closed = True
            self.assertEqual(ticket.sla_status, "on_time")

    def test_answered_in_time_and_closed_in_time_is_on_time(self):
        with freeze_time(FRIDAY_4PM):
            ticket = self.create_ticket()
            ticket.stage_id = self.stage_analyse
            ticket.stage_id = self.stage_done
        with freeze_time(datetime(2026, 12, 30)):
            ticket.invalidate_recordset(["sla_status"])
            self.assertEqual(ticket.sla_status, "on_time")
            self.assertNotIn(
                ticket, self.env["aftersales.ticket"].search([("sla_status", "=", "breached")])
            )

    def test_breach_job_flags_once_and_gives_leader_an_activity(self):
        Ticket = self.env["aftersales.ticket"]
        with freeze_time(datetime(2026, 11, 23, 4, 0)):
            # the requests already in the database (demo data) are flagged first: the counts
            # below are this test's requests only
            for _batch in range(1000):
                if not Ticket._cron_flag_breaches():
                    break
        with freeze_time(FRIDAY_4PM):
            late = self.create_ticket(title="Late one")
            also_late = self.create_ticket(title="Also late")
            answered = self.create_ticket(title="Answered")
            answered.stage_id = self.stage_analyse
        activity_type = self.env.ref("aftersales_service.mail_activity_type_breach")
        with freeze_time(datetime(2026, 11, 23, 4, 0)):
            # batches: one request per call, the rest stays for the next call
            self.assertEqual(Ticket._cron_flag_breaches(batch_size=1), 1)
            self.assertEqual(Ticket._cron_flag_breaches(batch_size=1), 1)
            self.assertEqual(Ticket._cron_flag_breaches(batch_size=1), 0)
            self.assertEqual(Ticket._cron_flag_breaches(), 0)  # run again: nothing new
        for ticket in late | also_late:
            self.assertTrue(ticket.sla_breach_notified)
            activities = ticket.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            )
            self.assertEqual(len(activities), 1)
            self.assertEqual(activities.user_id, self.leader)
        self.assertFalse(answered.sla_breach_notified)
        self.assertFalse(answered.activity_ids)

    def test_breach_job_runs_as_scheduled_action(self):
        with freeze_time(FRIDAY_4PM):
            ticket = self.create_ticket()
        cron = self.env.ref("aftersales_service.ir_cron_flag_breaches")
        with freeze_time(datetime(2026, 11, 23, 4, 0)):
            cron.method_direct_trigger()
        self.assertTrue(ticket.sla_breach_notified)

    def test_at_risk_setting(self):
        settings = self.env["res.config.settings"].create({"aftersales_at_risk_hours": 8})
        settings.execute()
        self.assertEqual(self.company.aftersales_at_risk_hours, 8)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"aftersales_at_risk_hours": -1})


@tagged("post_install", "-at_install")
class TestAssignment(AftersalesCase):
    def test_balanced_assignment_goes_to_least_loaded_member(self):
        self.team.assignment_method = "balanced"
        self.create_ticket(user_id=self.colleague.id)
        self.create_ticket(user_id=self.colleague.id)
        first = self.create_ticket()
        self.assertEqual(first.user_id, self.user)
        batch = self.env["aftersales.ticket"].create(
            [
                {"title": f"Batch {n}", "partner_id": self.customer.id, "team_id": self.team.id}
                for n in range(3)
            ]
        )
        # loads before: user 1, colleague 2 -> user, then tie (2-2) by id, then the other one
        self.assertEqual(batch[0].user_id, self.user)
        counts = {u: len(batch.filtered(lambda t, u=u: t.user_id == u)) for u in batch.user_id}
        self.assertEqual(sorted(counts.values()), [1, 2])

    def test_loads_above_the_cap_are_counted_in_full(self):
        """The loads are counted up to a cap; when every member has reached it, in full."""
        self.team.assignment_method = "balanced"
        Ticket = self.env["aftersales.ticket"]
        # the member of the lower id has more open requests: a tie at the cap would choose it
        busy, light = sorted(self.team.member_ids, key=lambda user: user.id)[:2]
        for _n in range(4):
            self.create_ticket(user_id=busy.id)
        for _n in range(3):
            self.create_ticket(user_id=light.id)
        with patch.object(type(Ticket), "_balanced_load_cap", 2):
            self.assertEqual(self.create_ticket().user_id, light)
            self.env.flush_all()
            with self.assertQueryCount(2):  # capped, then counted in full
                Ticket._balanced_assignees(self.team)
        with patch.object(type(Ticket), "_balanced_load_cap", 10):
            with self.assertQueryCount(1):  # below the cap: one count is exact
                # 4 and 4: the lower id, then the other one
                self.assertEqual(Ticket._balanced_assignees([self.team] * 2), [busy, light])

    def test_closed_requests_do_not_count_in_the_load(self):
        self.team.assignment_method = "balanced"
        for _n in range(3):
            self.create_ticket(user_id=self.colleague.id, stage_id=self.stage_done.id)
        self.create_ticket(user_id=self.user.id)
        self.assertEqual(self.create_ticket().user_id, self.colleague)

    def test_manual_team_leaves_request_unassigned_until_asked(self):
        ticket = self.create_ticket()
        self.assertFalse(ticket.user_id)
        ticket.action_assign_balanced()
        self.assertIn(ticket.user_id, self.team.member_ids)
        with self.assertRaises(UserError):
            ticket.action_assign_balanced()  # nothing left to assign
        mine = self.create_ticket().with_user(self.user)
        mine.action_assign_to_me()
        self.assertEqual(mine.user_id, self.user)

    def test_balanced_assignment_uses_the_default_team_of_the_context(self):
        team = self.env["aftersales.team"].create(
            {
                "name": "Hangzhou desk",
                "assignment_method": "balanced",
                "member_ids": [Command.set(self.colleague.ids)],
            }
        )
        ticket = (
            self.env["aftersales.ticket"]
            .with_context(default_team_id=team.id)
            .create({"title": "Pump noisy", "partner_id": self.customer.id})
        )
        self.assertEqual(ticket.team_id, team)
        self.assertEqual(ticket.user_id, self.colleague)


@tagged("post_install", "-at_install")
class TestRegistration(AftersalesCase):
    def test_defective_quantity_above_quantity_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "defective quantity"), self.cr.savepoint():
            self.create_ticket(quantity=5, defective_qty=6)
        self.assertFalse(self.env["aftersales.ticket"].search([("defective_qty", "=", 6)]))
        ticket = self.create_ticket(quantity=5, defective_qty=2)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            ticket.defective_qty = 7
        ticket.invalidate_recordset()
        self.assertEqual(ticket.defective_qty, 2)

    def test_negative_quantities_are_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.create_ticket(quantity=-1)

    def test_order_of_another_customer_is_refused(self):
        order = self.create_delivered_order(self.other_customer)
        with self.assertRaisesRegex(ValidationError, order.name):
            self.create_ticket(sale_order_id=order.id)
        # a contact of the ordering company may report on its company's order
        own_order = self.create_delivered_order(self.customer)
        ticket = self.create_ticket(partner_id=self.customer_contact.id, sale_order_id=own_order.id)
        self.assertEqual(ticket.sale_order_id, own_order)

    @freeze_time("2026-11-20 08:00:00")
    def test_dates_in_the_future_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self.create_ticket(shipping_date="2026-11-25")
        with self.assertRaisesRegex(ValidationError, "future"):
            self.create_ticket(request_date="2026-11-21 08:00:00")
        ticket = self.create_ticket(shipping_date="2026-11-19")
        self.assertEqual(str(ticket.shipping_date), "2026-11-19")

    def test_choosing_an_order_proposes_delivered_product_and_dates(self):
        order = self.create_delivered_order(self.customer, qty=12)
        delivery_date = order.picking_ids.date_done.date()
        form = Form(self.env["aftersales.ticket"])
        form.title = "Seal leaks"
        form.ticket_type_id = self.type_complaint
        form.complaint_category = "quality"
        form.severity = "minor"
        form.sale_order_id = order
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.product_id, self.product)
        self.assertEqual(form.shipping_date, delivery_date)
        self.assertEqual(form.quantity, 12)
        self.assertEqual(form.part_number, "CDL4-60")
        form.defective_qty = 3
        ticket = form.save()
        self.assertEqual(ticket.sale_order_id, order)
        self.assertEqual(self.customer.aftersales_ticket_count, 1)
        self.assertEqual(order.aftersales_ticket_count, 1)
        action = order.action_view_aftersales_tickets()
        self.assertEqual(self.env["aftersales.ticket"].search(action["domain"]), ticket)
        action = self.customer_contact.action_view_aftersales_tickets()
        self.assertEqual(self.env["aftersales.ticket"].search(action["domain"]), ticket)

    def test_changing_customer_drops_an_order_of_another_customer(self):
        order = self.create_delivered_order(self.customer)
        form = Form(self.env["aftersales.ticket"])
        form.title = "Noise"
        form.ticket_type_id = self.type_repair
        form.sale_order_id = order
        form.partner_id = self.other_customer
        self.assertFalse(form.sale_order_id)


@tagged("post_install", "-at_install")
class TestMailIntake(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alias_domain = cls.env["mail.alias.domain"].create({"name": "pumps.example.com"})
        cls.company.alias_domain_id = alias_domain
        cls.team.write(
            {
                "alias_name": "service-east",
                "alias_domain_id": alias_domain.id,
                "alias_contact": "everyone",
                "default_ticket_type_id": cls.type_repair.id,
            }
        )

    def _email(self, sender, subject, message_id, extra=""):
        return (
            f"From: {sender}\nTo: service-east@pumps.example.com\nSubject: {subject}\n"
            f"Message-ID: {message_id}\n{extra}Content-Type: text/plain; charset=utf-8\n\n"
            "The pump stopped working this morning.\n"
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_email_to_team_alias_creates_a_request_and_replies_thread(self):
        Thread = self.env["mail.thread"]
        ticket_id = Thread.message_process(
            False,
            self._email("Mr Zhou <zhou@example.com>", "Pump stopped", "<abc-1@example.com>"),
        )
        ticket = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertEqual(ticket.title, "Pump stopped")
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.ticket_type_id, self.type_repair)
        self.assertTrue(ticket.response_deadline)
        reply = self._email(
            "Mr Zhou <zhou@example.com>",
            "Re: Pump stopped",
            "<abc-2@example.com>",
            extra="In-Reply-To: <abc-1@example.com>\nReferences: <abc-1@example.com>\n",
        )
        self.assertEqual(Thread.message_process(False, reply), ticket.id)
        self.assertEqual(
            self.env["aftersales.ticket"].search_count([("team_id", "=", self.team.id)]), 1
        )
        self.assertEqual(len(ticket.message_ids.filtered(lambda m: m.message_type == "email")), 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_email_from_unknown_sender_creates_the_customer(self):
        ticket_id = self.env["mail.thread"].message_process(
            False, self._email("new.client@example.org", "Question", "<xyz@example.org>")
        )
        ticket = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id.email, "new.client@example.org")


@tagged("post_install", "-at_install")
class TestCustomerMails(AftersalesCase):
    """Customer e-mails are queued by the desk and sent by a job after the commit."""

    def _send(self):
        self.env["aftersales.ticket.mail"]._cron_send()

    def _mails(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.subject).mapped("subject")

    def _queued(self, ticket):
        return self.env["aftersales.ticket.mail"].search([("ticket_id", "=", ticket.id)])

    def test_customer_is_told_at_reception_progress_and_closing(self):
        ticket = self.create_ticket()
        # nothing is rendered in the desk's transaction: the e-mail waits for the job
        self.assertFalse(self._mails(ticket))
        self.assertEqual(self._queued(ticket).template_id, self.stage_confirm.mail_template_id)
        self._send()
        self.assertFalse(self._queued(ticket))
        self.assertIn(f"We received your request {ticket.name}", self._mails(ticket))
        ticket.stage_id = self.stage_analyse
        self._send()
        self.assertIn(f"Your request {ticket.name}: {self.stage_analyse.name}", self._mails(ticket))
        ticket.stage_id = self.stage_done
        self._send()
        self.assertIn(f"Your request {ticket.name} is closed", self._mails(ticket))
        received = ticket.message_ids.filtered(lambda m: "received" in (m.subject or ""))
        self.assertIn(self.customer, received.partner_ids)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", received.id)])
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(received.notification_ids.res_partner_id, self.customer)

    def test_one_render_per_template_for_a_batch(self):
        self._send()  # the e-mails already queued in the database (demo data)
        tickets = self.env["aftersales.ticket"].create(
            [
                {"title": f"Pump {n}", "partner_id": self.customer.id, "team_id": self.team.id}
                for n in range(5)
            ]
        )
        Template = self.env.registry["mail.template"]
        with patch.object(
            Template, "_generate_template", autospec=True, side_effect=Template._generate_template
        ) as render:
            self._send()
        self.assertEqual(render.call_count, 1)
        self.assertEqual(render.call_args.args[1], tickets.ids)
        for ticket in tickets:
            self.assertEqual(len(self._mails(ticket)), 1)

    def test_sent_from_the_team_alias_or_the_company(self):
        self.company.email = "service@pumps.example"
        ticket = self.create_ticket()
        self._send()
        message = ticket.message_ids.filtered("subject")
        self.assertIn("service@pumps.example", message.email_from)
        self.assertEqual(message.author_id, self.env.user.partner_id)

    def test_templates_speak_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_service"], ["zh_CN"])
        self.customer.lang = "zh_CN"
        ticket = self.create_ticket()
        for xmlid in ("received", "stage", "closed"):
            template = self.env.ref(f"aftersales_service.mail_template_ticket_{xmlid}")
            self.assertEqual(template._render_lang(ticket.ids), {ticket.id: "zh_CN"})
        self._send()
        subject = self._mails(ticket)[0]
        self.assertIn(ticket.name, subject)
        self.assertNotIn("We received", subject)

    def test_new_request_carries_its_portal_token(self):
        ticket = self.create_ticket()
        token = ticket.access_token
        self.assertTrue(token)  # made with the request: the e-mail job does not write it
        self._send()
        self.assertEqual(ticket.access_token, token)

    def test_no_mail_without_customer(self):
        ticket = self.create_ticket(partner_id=False)
        self.assertFalse(self._queued(ticket))
        self._send()
        self.assertFalse(self._mails(ticket))

    def test_user_without_email_registers_and_moves_a_request(self):
        clerk = new_test_user(
            self.env, "as_no_mail", groups="aftersales_service.group_aftersales_user", email=""
        )
        self.assertFalse(clerk.email)
        self.team.member_ids = [Command.link(clerk.id)]
        ticket = self.create_ticket().with_user(clerk)
        ticket.stage_id = self.stage_analyse
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking
        self._send()
        self.assertEqual(len(self._mails(ticket)), 2)

    def test_a_broken_template_does_not_block_the_others(self):
        broken = self.stage_analyse.mail_template_id.copy({"subject": "{{ object.no_such }}"})
        self.stage_analyse.mail_template_id = broken
        first = self.create_ticket()
        second = self.create_ticket()
        second.stage_id = self.stage_analyse
        with mute_logger("odoo.addons.aftersales_service.models.aftersales_ticket_mail"):
            self._send()
        self.assertEqual(len(self._mails(first)), 1)
        failed = self._queued(second)
        self.assertEqual(failed.state, "failed")
        self.assertTrue(failed.error)
        # a failed e-mail is kept for a manager to look at, not retried in a loop
        self._send()
        self.assertEqual(self._queued(second), failed)
        # once the template is fixed, the administrator queues it again
        broken.subject = "Fixed {{ object.name }}"
        failed.action_retry()
        self._send()
        self.assertFalse(self._queued(second))
        self.assertIn(f"Fixed {second.name}", self._mails(second))

    def test_a_failing_job_loses_nothing(self):
        ticket = self.create_ticket()
        with (
            patch.object(
                self.env.registry["mail.notification"], "create", side_effect=OSError("disk")
            ),
            self.assertRaises(OSError),
            self.env.cr.savepoint(),
        ):
            self._send()
        self.assertEqual(self._queued(ticket).state, "pending")
        self._send()
        self.assertEqual(len(self._mails(ticket)), 1)

    def test_moving_a_request_wakes_the_job_once_per_transaction(self):
        cron = self.env.ref("aftersales_service.ir_cron_send_ticket_mails")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        ticket = self.create_ticket()
        ticket.stage_id = self.stage_analyse
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)


@tagged("post_install", "-at_install")
class TestFollowerMails(AftersalesCase):
    """The followers' e-mails of automatic messages (stage tracking, assignment) are sent by
    Odoo's scheduled-notification job after the commit; inbox notifications stay immediate."""

    def setUp(self):
        super().setUp()
        self.colleague.notification_type = "email"
        self.leader.notification_type = "inbox"
        self.ticket = self.create_ticket(user_id=self.colleague.id)
        stage_changed = self.env.ref("aftersales_service.mt_ticket_stage")
        self.ticket.message_subscribe(
            partner_ids=self.leader.partner_id.ids, subtype_ids=stage_changed.ids
        )
        # stage changes are not followed by default: the assignee chose to follow them
        self.ticket.message_subscribe(
            partner_ids=self.colleague.partner_id.ids,
            subtype_ids=(stage_changed | self.env.ref("mail.mt_comment")).ids,
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        self._run_job()

    def _run_job(self):
        self.env["mail.message.schedule"].sudo()._send_notifications_cron()

    def _mails_to(self, partner, message):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", message.id), ("recipient_ids", "in", partner.ids)])
        )

    def _notified(self, message):
        return (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "=", message.id)])
            .res_partner_id
        )

    def _move(self, stage):
        self.ticket.with_user(self.user).stage_id = stage
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking message
        return self.ticket.message_ids.filtered("tracking_value_ids")[:1]

    def test_stage_change_mail_leaves_the_transaction(self):
        message = self._move(self.stage_analyse)
        self.assertTrue(message)
        # in the desk's transaction: the inbox user is notified, no e-mail is rendered
        self.assertFalse(self._mails_to(self.colleague.partner_id, message))
        self.assertEqual(self._notified(message), self.leader.partner_id)
        scheduled = (
            self.env["mail.message.schedule"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertEqual(len(scheduled), 1)
        cron = self.env.ref("mail.ir_cron_send_scheduled_message")
        self.assertTrue(
            self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])
        )
        self._run_job()
        self._run_job()  # a second run sends nothing twice
        self.assertEqual(len(self._mails_to(self.colleague.partner_id, message)), 1)
        self.assertFalse(self._mails_to(self.leader.partner_id, message))
        self.assertEqual(
            self._notified(message), self.leader.partner_id | self.colleague.partner_id
        )
        self.assertFalse(scheduled.exists())

    def test_stage_without_customer_mail_still_tells_its_followers(self):
        """A move that queues no customer e-mail looks up the stage's followers itself."""
        waiting = self.env["aftersales.ticket.stage"].create(
            {"name": "Waiting for Parts", "sequence": 45}
        )
        Mail = self.env["aftersales.ticket.mail"].sudo()
        queued = Mail.search_count([("ticket_id", "=", self.ticket.id)])
        message = self._move(waiting)
        self.assertEqual(Mail.search_count([("ticket_id", "=", self.ticket.id)]), queued)
        self.assertEqual(message.subtype_id, self.env.ref("aftersales_service.mt_ticket_stage"))
        self.assertEqual(self._notified(message), self.leader.partner_id)

    def test_a_batch_move_posts_where_stage_changes_are_followed(self):
        """The e-mails' query reads the followers of each moved request: one followed, one not."""
        quiet = self.create_ticket(user_id=self.user.id)
        self.env.flush_all()
        self.env.cr.precommit.run()
        (self.ticket | quiet).with_user(self.user).stage_id = self.stage_analyse
        self.env.flush_all()
        self.env.cr.precommit.run()
        followed = self.ticket.message_ids.filtered("tracking_value_ids")[:1]
        logged = quiet.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(followed.subtype_id, self.env.ref("aftersales_service.mt_ticket_stage"))
        self.assertEqual(self._notified(followed), self.leader.partner_id)
        self.assertEqual(logged.subtype_id, self.env.ref("mail.mt_note"))
        self.assertFalse(self._notified(logged))
        template = self.stage_analyse.mail_template_id
        queued = (
            self.env["aftersales.ticket.mail"]
            .sudo()
            .search(
                [("ticket_id", "in", (self.ticket | quiet).ids), ("template_id", "=", template.id)]
            )
        )
        self.assertEqual(queued.ticket_id, self.ticket | quiet)

    def test_stage_change_nobody_follows_is_logged(self):
        ticket = self.create_ticket(user_id=self.user.id)
        self.env.flush_all()
        self.env.cr.precommit.run()
        ticket.with_user(self.user).stage_id = self.stage_analyse
        self.env.flush_all()
        self.env.cr.precommit.run()
        message = ticket.message_ids.filtered("tracking_value_ids")[:1]
        self.assertTrue(message)  # the chatter still shows the move
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertFalse(self._notified(message))
        # once somebody follows stage changes, the next move is posted for them
        ticket.message_subscribe(
            partner_ids=self.leader.partner_id.ids,
            subtype_ids=self.env.ref("aftersales_service.mt_ticket_stage").ids,
        )
        ticket.with_user(self.user).stage_id = self.stage_confirm
        self.env.flush_all()
        self.env.cr.precommit.run()
        message = ticket.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(message.subtype_id, self.env.ref("aftersales_service.mt_ticket_stage"))
        self.assertEqual(self._notified(message), self.leader.partner_id)

    def test_create_respects_the_mail_flags(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.user)
        values = {"title": "Quiet", "partner_id": self.customer.id, "user_id": self.colleague.id}
        quiet = Ticket.with_context(mail_create_nosubscribe=True).create(values)
        self.assertEqual(quiet.message_partner_ids, self.colleague.partner_id)
        silent = Ticket.with_context(tracking_disable=True).create(values)
        self.assertFalse(silent.message_partner_ids)
        self.assertFalse(
            self.env["aftersales.ticket.mail"].search(
                [("ticket_id", "=", silent.id), ("notify_partner_id", "!=", False)]
            )
        )

    def test_failed_notice_does_not_hold_the_queue(self):
        ticket = self.create_ticket(user_id=self.user.id)
        ticket.with_user(self.user).user_id = self.colleague
        self.env.flush_all()
        self.env.cr.precommit.run()
        Queue = self.env["aftersales.ticket.mail"]
        with (
            patch.object(
                type(self.env["aftersales.ticket"]),
                "_message_auto_subscribe_notify",
                side_effect=UserError("SMTP down"),
            ),
            mute_logger("odoo.addons.aftersales_service.models.aftersales_ticket_mail"),
        ):
            Queue._cron_send()
        notice = Queue.search(
            [
                ("ticket_id", "=", ticket.id),
                ("notify_partner_id", "=", self.colleague.partner_id.id),
            ]
        )
        self.assertEqual(notice.state, "failed")
        self.assertIn("SMTP down", notice.error)
        self.assertFalse(self._assignment_notices(ticket))
        # the customer's "request received" e-mail left all the same
        self.assertTrue(
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", ticket._name),
                    ("res_id", "=", ticket.id),
                    ("recipient_ids", "in", self.customer.ids),
                ]
            )
        )
        notice.action_retry()
        Queue._cron_send()
        self.assertFalse(notice.exists())
        self.assertEqual(len(self._assignment_notices(ticket)), 1)

    def _assignment_notices(self, ticket):
        return self.env["mail.message"].search(
            [
                ("model", "=", ticket._name),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.colleague.partner_id.ids),
            ]
        )

    def test_assignment_notice_leaves_the_transaction(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.colleague.partner_id.lang = "zh_CN"
        ticket = self.create_ticket(user_id=self.user.id)
        ticket.with_user(self.user).user_id = self.colleague
        self.env.flush_all()
        self.env.cr.precommit.run()
        # in the desk's transaction: queued, nothing posted yet
        self.assertFalse(self._assignment_notices(ticket))
        queued = self.env["aftersales.ticket.mail"].search(
            [
                ("ticket_id", "=", ticket.id),
                ("notify_partner_id", "=", self.colleague.partner_id.id),
            ]
        )
        self.assertEqual(len(queued), 1)
        self.assertFalse(queued.template_id)
        self.assertEqual(queued.user_id, self.user)  # who assigned, the notice's author
        self.assertEqual(queued.company_id, ticket.company_id)
        Queue = self.env["aftersales.ticket.mail"]
        Queue._cron_send()
        Queue._cron_send()  # a second run posts nothing twice
        notice = self._assignment_notices(ticket)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.author_id, self.user.partner_id)  # who assigned
        self.assertIn("您已被指派", notice.subject)  # in the assignee's language
        self.assertFalse(queued.exists())
        # the assignee reads e-mail: sent by the job, once
        self.assertEqual(len(self._mails_to(self.colleague.partner_id, notice)), 1)

    def test_assignment_notice_of_a_removed_user_is_from_odoobot(self):
        ticket = self.create_ticket(user_id=self.user.id)
        ticket.with_user(self.user).user_id = self.colleague
        self.env.flush_all()
        self.env.cr.precommit.run()
        queued = self.env["aftersales.ticket.mail"].search(
            [
                ("ticket_id", "=", ticket.id),
                ("notify_partner_id", "=", self.colleague.partner_id.id),
            ]
        )
        queued.user_id = False  # what ondelete="set null" leaves of a removed user
        queued._send()
        notice = self._assignment_notices(ticket)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.author_id, self.env.ref("base.user_root").partner_id)
        self.assertFalse(queued.exists())

    def test_balanced_batch_subscribes_and_notifies_each_assignee(self):
        self.colleague.notification_type = "inbox"
        team = self.env["aftersales.team"].create(
            {
                "name": "Batch desk",
                "member_ids": [Command.set([self.user.id, self.colleague.id])],
            }
        )
        team.message_subscribe(
            partner_ids=self.leader.partner_id.ids,
            subtype_ids=self.env.ref("aftersales_service.mt_team_ticket_new").ids,
        )
        tickets = (
            self.env["aftersales.ticket"]
            .with_user(self.user)
            .create(
                [
                    {"title": f"Batch {n}", "partner_id": self.customer.id, "team_id": team.id}
                    for n in range(4)
                ]
            )
        )
        self.assertEqual(sorted(tickets.user_id.ids), sorted([self.user.id, self.colleague.id]))
        for ticket in tickets:
            # the creator, the assignee and the team's follower follow each request
            self.assertEqual(
                ticket.message_partner_ids,
                self.user.partner_id | ticket.user_id.partner_id | self.leader.partner_id,
            )
            follower = ticket.message_follower_ids.filtered(
                lambda f, t=ticket: f.partner_id == t.user_id.partner_id
            )
            self.assertIn(self.env.ref("mail.mt_comment"), follower.subtype_ids)
            # stage changes are followed only by choice (as a project's tasks)
            self.assertNotIn(
                self.env.ref("aftersales_service.mt_ticket_stage"), follower.subtype_ids
            )
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env["aftersales.ticket.mail"]._cron_send()
        told = tickets.filtered(lambda t: t.user_id == self.colleague)
        for ticket in tickets:
            # only the colleague is told: the creator assigned themself the others
            self.assertEqual(len(self._assignment_notices(ticket)), int(ticket in told))

    def test_what_people_write_is_sent_at_once(self):
        message = self.ticket.with_user(self.user).message_post(
            body="Spare part ordered", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(len(self._mails_to(self.colleague.partner_id, message)), 1)
        self.assertFalse(
            self.env["mail.message.schedule"].sudo().search([("mail_message_id", "=", message.id)])
        )


class TestCustomerMailsTwoWorkers(TransactionCase):
    """Two workers send the queue at the same time: each e-mail leaves once."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # the e-mails already queued in the database (demo data) leave first, as a run of
            # the job would send them
            while env["aftersales.ticket.mail"]._cron_send():
                pass
            partner = env["res.partner"].create(
                {"name": "并发测试客户", "email": "concurrency@example.com"}
            )
            tickets = env["aftersales.ticket"].create(
                [{"title": f"并发 {n}", "partner_id": partner.id} for n in range(6)]
            )
            self.partner_id, self.ticket_ids = partner.id, tickets.ids
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["aftersales.ticket"].browse(self.ticket_ids)
            env["mail.mail"].search(
                [("res_id", "in", tickets.ids), ("model", "=", tickets._name)]
            ).unlink()
            tickets.message_ids.unlink()
            tickets.unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def test_two_workers_send_each_email_once(self):
        with self.db.cursor() as cr1, self.db.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # the first worker holds its batch (not committed yet) while the second runs
            sent1 = env1["aftersales.ticket.mail"]._cron_send(batch_size=4)
            sent2 = env2["aftersales.ticket.mail"]._cron_send(batch_size=10)
            cr1.commit()  # pylint: disable=invalid-commit
            cr2.commit()  # pylint: disable=invalid-commit
        self.assertEqual((sent1, sent2), (4, 2))
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            mails = env["mail.mail"].search(
                [("res_id", "in", self.ticket_ids), ("model", "=", "aftersales.ticket")]
            )
            self.assertEqual(sorted(mails.mapped("res_id")), sorted(self.ticket_ids))
            self.assertFalse(
                env["aftersales.ticket.mail"].search([("ticket_id", "in", self.ticket_ids)])
            )


@tagged("post_install", "-at_install")
class TestTicketAccess(AftersalesCase):
    def test_user_sees_own_and_team_requests_only(self):
        mine = self.create_ticket(user_id=self.user.id)
        team_ticket = self.create_ticket(user_id=self.colleague.id)
        other = self.create_ticket(team_id=self.other_team.id, user_id=self.outsider.id)
        Ticket = self.env["aftersales.ticket"].with_user(self.user)
        visible = Ticket.search([("id", "in", (mine | team_ticket | other).ids)])
        self.assertEqual(visible, mine | team_ticket)
        with self.assertRaises(AccessError):
            other.with_user(self.user).read(["title"])
        # the leader of a team sees it without being a member
        leader_view = (
            self.env["aftersales.ticket"]
            .with_user(self.leader)
            .search([("id", "in", (mine | team_ticket | other).ids)])
        )
        self.assertEqual(leader_view, mine | team_ticket)
        manager_view = (
            self.env["aftersales.ticket"]
            .with_user(self.manager)
            .search([("id", "in", (mine | team_ticket | other).ids)])
        )
        self.assertEqual(manager_view, mine | team_ticket | other)

    def test_the_access_rules_filter_requests_as_odoo_filters_them(self):
        registered = (
            self.env["aftersales.ticket"]
            .with_user(self.user)
            .create({"title": "Registered for Tianjin", "team_id": self.other_team.id})
        )
        tickets = (
            registered.with_env(self.env)
            | self.create_ticket(user_id=self.user.id, priority="2", color=3)
            | self.create_ticket(user_id=self.colleague.id)
            | self.create_ticket(team_id=self.other_team.id, user_id=self.outsider.id)
            | self.create_ticket(team_id=False, user_id=False, stage_id=self.stage_done.id)
        )
        tickets.invalidate_recordset()
        Rule = self.env["ir.rule"]
        rules = [
            Rule.with_user(user)._compute_domain("aftersales.ticket", operation)
            for user in (self.user, self.leader, self.manager, self.outsider)
            for operation in ("read", "write")
        ]
        plain = [
            *(domain for domain in rules if domain),
            [("user_id", "=", False)],
            [("user_id", "!=", self.user.id)],
            [("team_id", "in", [self.team.id, False])],
            [("team_id", "not in", [self.team.id])],
            [("team_id", "in", [])],
            [("team_id", "not in", [])],
            [("company_id", "=", self.company.id)],
            [("priority", "=", "2")],
            [("priority", "in", ["0", "1"])],
            [("is_closed", "=", False)],
            [("is_closed", "!=", True)],
            [("color", "=", 0)],
            [("color", "in", [False, 3])],
            ["!", ("user_id", "=", self.user.id)],
            ["|", ("user_id", "=", False), "&", ("team_id", "=", self.team.id), ("color", "!=", 0)],
            [(1, "=", 1)],
            ["&", (0, "=", 1), ("user_id", "=", False)],
        ]
        left_to_odoo = [
            [("user_id", "=", self.user.name)],
            [("team_id.name", "=", self.team.name)],
            [("title", "ilike", "tianjin")],
            [("request_date", "<", fields.Datetime.now())],
            [("id", "in", tickets[:2].ids)],
        ]
        for domain in plain + left_to_odoo:
            with self.subTest(domain=domain):
                self.assertEqual(filter_ids(tickets, domain) is None, domain in left_to_odoo)
                self.assertEqual(
                    tickets.filtered_domain(domain),
                    models.BaseModel.filtered_domain(tickets, domain),
                )
        # the rules check each request as before
        with self.assertRaises(AccessError):
            tickets.with_user(self.user).check_access("read")
        visible = tickets.with_user(self.user)._filtered_access("read")
        self.assertEqual(visible, tickets - tickets[3])

    def test_clerk_cannot_move_another_teams_request(self):
        other = self.create_ticket(team_id=self.other_team.id, user_id=self.outsider.id)
        stage = other.stage_id
        analyse = self.env.ref("aftersales_service.stage_analyse")
        queued = self.env["aftersales.ticket.mail"].search_count([("ticket_id", "=", other.id)])
        other.invalidate_recordset()
        # a stage move reads the request as superuser: the user's access is checked on it
        with self.assertRaises(AccessError):
            other.with_user(self.user).write({"stage_id": analyse.id})
        other.invalidate_recordset()
        self.assertEqual(other.stage_id, stage)
        self.assertFalse(other.first_response_date)
        self.assertEqual(
            self.env["aftersales.ticket.mail"].search_count([("ticket_id", "=", other.id)]),
            queued,
        )
        # a member of the request's team moves it
        other.with_user(self.outsider).write({"stage_id": analyse.id})
        self.assertEqual(other.stage_id, analyse)

    def test_clerk_follows_what_they_registered_for_another_team(self):
        registered = (
            self.env["aftersales.ticket"]
            .with_user(self.user)
            .create({"title": "Call for Tianjin", "team_id": self.other_team.id})
        )
        registered.invalidate_recordset()
        self.assertEqual(registered.title, "Call for Tianjin")
        self.assertFalse(
            self.env["aftersales.ticket"]
            .with_user(self.colleague)
            .search([("id", "=", registered.id)])
        )

    def test_user_registers_but_cannot_delete_or_configure(self):
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.user)
            .create(
                {"title": "Hotline call", "partner_id": self.customer.id, "team_id": self.team.id}
            )
        )
        ticket.priority = "2"
        with self.assertRaises(AccessError):
            ticket.unlink()
        with self.assertRaises(AccessError):
            self.team.with_user(self.user).name = "Renamed"
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket.stage"].with_user(self.user).create({"name": "Mine"})
        self.team.with_user(self.manager).name = "East China"
        ticket.with_user(self.manager).unlink()

    def test_employee_without_group_has_no_access(self):
        ticket = self.create_ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.employee).read(["title"])
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(self.employee).create({"title": "x"})

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Pumps Tianjin Ltd"})
        foreign = self.env["aftersales.ticket"].create(
            {"title": "Tianjin request", "company_id": other_company.id, "team_id": False}
        )
        self.manager.write({"company_ids": [Command.link(self.company.id)]})
        Ticket = self.env["aftersales.ticket"].with_user(self.manager)
        self.assertFalse(Ticket.search([("id", "=", foreign.id)]))
        # nor its queued customer e-mails (their company is the request's)
        template = self.env.ref("aftersales_service.mail_template_ticket_received")
        self.env["aftersales.ticket.mail"]._queue([(foreign, template, None)])
        Queue = self.env["aftersales.ticket.mail"].with_user(self.manager)
        self.assertFalse(Queue.search([("ticket_id", "=", foreign.id)]))
        self.manager.write({"company_ids": [Command.link(other_company.id)]})
        allowed = Ticket.with_context(allowed_company_ids=[self.company.id, other_company.id])
        self.assertTrue(allowed.search([("id", "=", foreign.id)]))
        queued = Queue.with_context(allowed_company_ids=[self.company.id, other_company.id])
        self.assertEqual(queued.search([("ticket_id", "=", foreign.id)]).company_id, other_company)

    def test_portal_user_reads_only_own_company_requests(self):
        portal_user = self.env["res.users"].create(
            {
                "name": "Mr Zhou",
                "login": "zhou_portal",
                "partner_id": self.customer_contact.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        own = self.create_ticket(partner_id=self.customer.id)
        foreign = self.create_ticket(partner_id=self.other_customer.id)
        Ticket = self.env["aftersales.ticket"].with_user(portal_user)
        self.assertEqual(Ticket.search([("id", "in", (own | foreign).ids)]), own)
        with self.assertRaises(AccessError):
            foreign.with_user(portal_user).read(["title"])
        with self.assertRaises(AccessError):
            own.with_user(portal_user).write({"title": "changed"})


@tagged("post_install", "-at_install")
class TestCachedNames(AftersalesCase):
    """The names of teams, kinds and stages that pages of requests show come from a cache."""

    def names(self, lang="en_US"):
        records = (self.team | self.other_team, self.type_repair, self.stage_analyse)
        return [record.sudo().with_context(lang=lang).mapped("display_name") for record in records]

    def test_names_are_read_once_and_follow_renames_and_translations(self):
        self.env.flush_all()
        self.names()
        self.env.invalidate_all()
        with self.assertQueryCount(0):
            self.assertEqual(
                self.names(),
                [
                    ["East China Service Centre", "North China Service Centre"],
                    ["Repair"],
                    ["Analyse and Verify"],
                ],
            )
        self.team.name = "Shanghai Desk"
        self.type_repair.name = "Repair on Site"
        self.stage_analyse.name = "Investigate"
        self.env.invalidate_all()
        self.assertEqual(
            self.names(),
            [["Shanghai Desk", "North China Service Centre"], ["Repair on Site"], ["Investigate"]],
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(self.names("zh_CN")[2], ["Investigate"])  # no translation yet
        self.stage_analyse.update_field_translations("name", {"zh_CN": "调查"})
        self.env.invalidate_all()
        self.assertEqual(self.names("zh_CN")[2], ["调查"])
        self.assertEqual(self.names()[2], ["Investigate"])
        # a record made after the cache was filled, and one being edited in a form
        kind = self.env["aftersales.ticket.type"].create({"name": "Inspection", "code": "insp"})
        self.assertEqual(kind.sudo().display_name, "Inspection")
        edited = (
            self.env["aftersales.ticket.stage"]
            .sudo()
            .new({"name": "Waiting for Parts"}, origin=self.stage_analyse)
        )
        self.assertEqual(edited.display_name, "Waiting for Parts")

    def test_the_users_own_access_still_applies(self):
        foreign = self.env["aftersales.team"].create(
            {
                "name": "Tianjin Desk",
                "company_id": self.env["res.company"].create({"name": "Pumps Tianjin Ltd"}).id,
            }
        )
        self.assertEqual(foreign.sudo().display_name, "Tianjin Desk")  # in the cache
        with self.assertRaises(AccessError):
            foreign.with_user(self.user).display_name  # noqa: B018


@tagged("post_install", "-at_install")
class TestConcurrentAssignment(TransactionCase):
    """Two people assign the same request at once: the second is retried, not refused."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            group = "aftersales_service.group_aftersales_user"
            users = env["res.users"]
            for login in ("as_concurrent_a", "as_concurrent_b"):
                users |= new_test_user(env, login, groups=group)
            ticket = env["aftersales.ticket"].create({"title": "并发派工"})
            self.user_ids, self.ticket_id = users.ids, ticket.id
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["aftersales.ticket"].browse(self.ticket_id)
            ticket.message_ids.unlink()
            ticket.unlink()
            users = env["res.users"].browse(self.user_ids)
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def test_second_assignment_is_a_retried_conflict(self):
        user_a = self.user_ids[0]
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # the second request has started (its snapshot is taken) before the first commits
            env_b["aftersales.ticket"].browse(self.ticket_id).title  # noqa: B018
            env_a["aftersales.ticket"].browse(self.ticket_id).user_id = user_a
            env_a.flush_all()
            cr_a.commit()  # pylint: disable=invalid-commit
            with (
                self.assertRaises(SerializationFailure),
                mute_logger("odoo.sql_db"),
            ):
                # the same engineer: both would add them as a follower
                env_b["aftersales.ticket"].browse(self.ticket_id).user_id = user_a
                env_b.flush_all()
            cr_b.rollback()
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["aftersales.ticket"].browse(self.ticket_id)
            self.assertEqual(ticket.user_id.id, user_a)
            self.assertIn(user_a, ticket.message_partner_ids.user_ids.ids)


@tagged("post_install", "-at_install")
class TestOrderProductsWithoutSalesRights(AftersalesCase):
    def test_staff_without_sales_rights_read_the_ordered_products(self):
        order = self.create_delivered_order(self.customer, qty=2)
        ticket = self.create_ticket(sale_order_id=order.id, product_id=self.product.id)
        clerk = ticket.with_user(self.user)
        self.assertFalse(self.env["sale.order"].with_user(self.user).has_access("read"))
        self.env.flush_all()
        self.env.invalidate_all()  # nothing of the order in cache: it is read as the clerk
        values = clerk.web_read({"order_product_ids": {}, "sale_order_id": {}})[0]
        self.assertEqual(values["order_product_ids"], self.product.ids)
        self.assertEqual(values["sale_order_id"], order.id)
