import re
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .care_common import CareCase


class TestCallback(CareCase):
    def test_questionnaire_is_copied_onto_each_callback(self):
        callback = self.create_callback()
        self.assertEqual(callback.answer_ids.question_id, self.questions)
        self.assertGreaterEqual(len(self.questions), 5)

    def test_satisfaction_is_actual_minus_expected(self):
        callback = self.create_callback()
        n = len(self.questions)
        pairs = ([(5, 4), (4, 4), (5, 3), (3, 4), (4, 5)] * 2)[:n]
        self.answer(callback, pairs)
        expected = sum(p[0] for p in pairs) / n
        actual = sum(p[1] for p in pairs) / n
        self.assertAlmostEqual(callback.expected_score, expected)
        self.assertAlmostEqual(callback.actual_score, actual)
        self.assertAlmostEqual(callback.satisfaction, actual - expected)
        self.assertFalse(callback.is_satisfied)
        self.assertEqual(callback.satisfied_rate, 0.0)
        # stored: the database holds the same values (the indicators read them there)
        callback.flush_recordset()
        self.env.cr.execute(
            "SELECT satisfaction, expected_score FROM aftersales_callback WHERE id = %s",
            [callback.id],
        )
        satisfaction, stored_expected = self.env.cr.fetchone()
        self.assertAlmostEqual(satisfaction, actual - expected)
        self.assertAlmostEqual(stored_expected, expected)

    def test_customer_who_got_what_they_expected_is_satisfied(self):
        callback = self.create_callback()
        self.answer(callback, [(3, 3)] * len(self.questions))
        self.assertTrue(callback.is_satisfied)
        self.assertEqual(callback.satisfied_rate, 100.0)
        self.assertEqual(callback.satisfaction, 0.0)

    def test_half_an_answer_is_refused(self):
        callback = self.create_callback()
        with self.assertRaises(ValidationError):
            callback.answer_ids[0].write({"expected": "4"})

    def test_closing_needs_every_question_scored(self):
        callback = self.create_callback()
        self.answer(callback, [(4, 4)] * (len(self.questions) - 1) + [(False, False)])
        with self.assertRaises(UserError):
            callback.with_user(self.user).action_done()
        self.assertEqual(callback.state, "planned")
        self.assertFalse(callback.date_done)

    def test_unhappy_answer_opens_a_follow_up_complaint(self):
        callback = self.create_callback(opinion="The technician came three days late.")
        self.answer(callback, [(4, 4)] * (len(self.questions) - 1) + [(4, 1)])
        self.assertTrue(callback.is_unhappy)
        # late in the evening in UTC, already the next morning at the clerk's desk in Shanghai:
        # the callback is done on the clerk's day
        self.user.tz = "Asia/Shanghai"
        with freeze_time("2027-03-02 23:30:00"):
            callback.with_user(self.user).action_done()
        self.assertEqual(callback.state, "done")
        self.assertEqual(callback.date_done, date(2027, 3, 3))
        followup = callback.followup_ticket_id
        self.assertTrue(followup)
        self.assertEqual(followup.ticket_type_id, self.type_complaint)
        self.assertEqual(followup.partner_id, self.customer)
        self.assertIn("three days late", followup.customer_request)

    def test_happy_answer_opens_nothing_and_threshold_is_a_setting(self):
        callback = self.create_callback()
        self.answer(callback, [(3, 3)] * len(self.questions))
        callback.action_done()
        self.assertFalse(callback.followup_ticket_id)
        # a stricter company: 3 out of 5 is already unhappy
        self.company.aftersales_callback_unhappy_score = 3
        other = self.create_callback()
        self.answer(other, [(3, 3)] * len(self.questions))
        self.assertTrue(other.is_unhappy)
        other.action_done()
        self.assertTrue(other.followup_ticket_id)

    def test_done_callback_cannot_be_done_again(self):
        callback = self.create_callback()
        self.answer(callback, [(3, 4)] * len(self.questions))
        callback.action_done()
        with self.assertRaises(UserError):
            callback.action_done()

    def test_closing_a_repair_plans_its_callback_after_the_delay(self):
        self.type_repair.write({"callback_on_close": True, "callback_delay_days": 5})
        ticket = self.create_ticket(ticket_type_id=self.type_repair.id, user_id=self.user.id)
        # the delay counts from the closing clerk's day (Shanghai), not from UTC's
        self.user.tz = "Asia/Shanghai"
        with freeze_time("2027-03-02 23:30:00"):
            ticket.with_user(self.user).stage_id = self.stage_done
        callback = ticket.callback_ids
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.partner_id, self.customer)
        self.assertEqual(callback.user_id, self.user)
        self.assertEqual(callback.state, "planned")
        self.assertEqual(callback.date_planned, date(2027, 3, 8))
        # closed again after a reopening: still one callback
        ticket.stage_id = self.stage_confirm
        ticket.stage_id = self.stage_done
        self.assertEqual(len(ticket.callback_ids), 1)
        self.assertEqual(ticket.callback_count, 1)

    def test_closing_a_kind_without_callback_plans_nothing(self):
        self.type_consultation.callback_on_close = False
        ticket = self.create_ticket()
        ticket.stage_id = self.stage_done
        self.assertFalse(ticket.callback_ids)

    def test_callers_see_their_callbacks_managers_all(self):
        mine = self.create_callback(user_id=self.user.id)
        theirs = self.create_callback(user_id=self.colleague.id)
        visible = self.Callback.with_user(self.user).search([("id", "in", (mine + theirs).ids)])
        self.assertEqual(visible, mine)
        visible = self.Callback.with_user(self.manager).search([("id", "in", (mine + theirs).ids)])
        self.assertEqual(visible, mine + theirs)
        with self.assertRaises(AccessError):
            self.Callback.with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            mine.with_user(self.user).unlink()

    def test_only_managers_configure_the_questionnaire(self):
        Question = self.env["aftersales.callback.question"]
        with self.assertRaises(AccessError):
            Question.with_user(self.user).create({"name": "Parking"})
        Question.with_user(self.manager).create({"name": "Parking"})

    def test_survey_mail_is_sent_once_by_the_job(self):
        callback = self.create_callback()
        with self.assertRaises(UserError):
            self.create_callback(partner_id=self.other_customer.id).action_send_survey()
        callback.with_user(self.user).action_send_survey()
        self.assertEqual(callback.channel, "online")
        self.assertTrue(callback.token_expiry_date)
        self.assertEqual(self.Callback._cron_send_surveys(), 1)
        message = callback.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertIn(f"/aftersales/callback/{callback.id}/{callback.access_token}", message.body)
        self.assertEqual(self.Callback._cron_send_surveys(), 0)


@tagged("post_install", "-at_install")
class TestCallbackSurveyPage(CareCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.callback = self.create_callback()
        self.callback.action_send_survey()
        self.url = f"/aftersales/callback/{self.callback.id}/{self.callback.access_token}"

    def _post_answers(self, scores):
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {"csrf_token": csrf, "opinion": "Fast and friendly."}
        for answer, (expected, actual) in zip(self.callback.answer_ids, scores, strict=True):
            data[f"expected_{answer.id}"] = str(expected)
            data[f"actual_{answer.id}"] = str(actual)
        return self.url_open(self.url, data=data)

    def test_customer_answers_once_without_login(self):
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.questions[0].name, page.text)
        response = self._post_answers([(3, 4)] * len(self.questions))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_callback_thanks", response.text)
        self.assertEqual(self.callback.state, "done")
        self.assertEqual(self.callback.channel, "online")
        self.assertEqual(self.callback.opinion, "Fast and friendly.")
        self.assertAlmostEqual(self.callback.satisfaction, 1.0)
        # once: the link now only says it was answered, a second answer changes nothing
        again = self.url_open(self.url)
        self.assertIn("o_callback_answered", again.text)
        self.assertNotIn("<form", again.text.split("o_aftersales_callback_survey")[1])

    def test_wrong_token_is_refused(self):
        response = self.url_open(f"/aftersales/callback/{self.callback.id}/not-the-token")
        self.assertEqual(response.status_code, 404)
        response = self.url_open(f"/aftersales/callback/{self.callback.id + 1000}/x")
        self.assertEqual(response.status_code, 404)

    def test_expired_link_records_nothing(self):
        with freeze_time(fields.Date.today() + timedelta(days=30)):
            page = self.url_open(self.url)
        self.assertIn("o_callback_expired", page.text)
        self.callback.token_expiry_date = fields.Date.today() - timedelta(days=1)
        response = self.url_open(self.url, data={"csrf_token": "x"})
        self.assertNotEqual(self.callback.state, "done")
        self.assertTrue(response.status_code in (200, 400))

    def test_incomplete_online_answer_is_refused(self):
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(self.url, data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert-danger", response.text)
        self.assertEqual(self.callback.state, "planned")


class TestCallbackCompanies(CareCase):
    def test_other_company_callbacks_and_portal_users_stay_out(self):
        other = self.env["res.company"].create({"name": "Tianjin Branch"})
        partner = self.env["res.partner"].create({"name": "Tianjin Heating", "company_id": False})
        theirs = self.create_callback(
            partner_id=partner.id, company_id=other.id, user_id=self.manager.id
        )
        self.assertFalse(
            self.Callback.with_user(self.manager).search([("id", "=", theirs.id)]),
            "a manager of the first company only sees its callbacks",
        )
        portal = self.env["res.users"].create(
            {
                "name": "Portal Zhou",
                "login": "care_portal_zhou",
                "partner_id": self.customer_contact.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        mine = self.create_callback(partner_id=self.customer_contact.id)
        with self.assertRaises(AccessError):
            mine.with_user(portal).read(["satisfaction"])
