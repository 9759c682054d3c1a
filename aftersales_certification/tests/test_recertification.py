from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CertificationCase

# certificate expiring 2027-01-14: recertification due 2026-10-14, the draft is opened
# 30 days before (2026-09-14), escalation after the due date
OPEN_DAY = "2026-09-14"


@tagged("post_install", "-at_install")
class TestRecertification(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = cls.create_certificate()
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _recert(self, cert=None):
        return self.Application.search(
            [
                ("certificate_id", "=", (cert or self.cert).id),
                ("application_type", "=", "recertification"),
            ]
        )

    def test_opened_the_configured_days_before_the_due_date(self):
        with freeze_time("2026-09-13"):
            opened, _escalated = self.Application._cron_recertification()
        self.assertFalse(opened)
        self.assertFalse(self._recert())
        with freeze_time(OPEN_DAY):
            opened, _escalated = self.Application._cron_recertification()
        app = self._recert()
        self.assertEqual(opened, app)
        self.assertEqual(app.state, "draft")
        self.assertEqual(app.origin, "schedule")
        self.assertEqual(app.due_date, date(2026, 10, 14))
        self.assertEqual(app.user_id, self.coordinator)
        activity = app.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.coordinator)
        self.assertEqual(activity.date_deadline, date(2026, 10, 14))
        self.assertEqual(activity.activity_type_id, self.todo)

    def test_configurable_days(self):
        self.company.certification_reminder_days = 60
        with freeze_time("2026-08-15"):
            opened, _escalated = self.Application._cron_recertification()
        self.assertEqual(opened.certificate_id, self.cert)

    def test_days_set_in_the_settings(self):
        settings = Form(self.env["res.config.settings"].with_company(self.company))
        settings.certification_reminder_days = 45
        settings.save().execute()
        self.assertEqual(self.company.certification_reminder_days, 45)
        with freeze_time("2026-08-30"):  # 45 days before the due date
            opened, _escalated = self.Application._cron_recertification()
        self.assertEqual(opened.certificate_id, self.cert)

    def test_running_twice_creates_no_duplicate(self):
        with freeze_time(OPEN_DAY):
            self.Application._cron_recertification()
            opened, _escalated = self.Application._cron_recertification()
        self.assertFalse(opened)
        self.assertEqual(len(self._recert()), 1)
        self.assertEqual(len(self._recert().activity_ids), 1)

    def test_database_refuses_a_second_application_of_a_cycle(self):
        with freeze_time(OPEN_DAY):
            self.Application._cron_recertification()
        # as if a second worker had not seen the first one's marker
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Application.create(
                {"certificate_id": self.cert.id, "application_type": "recertification"}
            )
            self.env.flush_all()

    def test_manual_application_is_not_duplicated(self):
        self.Application.with_user(self.coordinator).create(
            {"certificate_id": self.cert.id, "application_type": "recertification"}
        )
        with freeze_time(OPEN_DAY):
            opened, _escalated = self.Application._cron_recertification()
        self.assertFalse(opened)

    def test_escalation_day_before_and_after_due_date(self):
        with freeze_time(OPEN_DAY):
            self.Application._cron_recertification()
        app = self._recert()
        with freeze_time("2026-10-14"):
            _opened, escalated = self.Application._cron_recertification()
            self.assertFalse(escalated, "not overdue on the due date itself")
            app.invalidate_recordset(["is_overdue"])
            self.assertFalse(app.is_overdue)
        with freeze_time("2026-10-15"):
            app.invalidate_recordset(["is_overdue"])
            self.assertTrue(app.is_overdue)
            _opened, escalated = self.Application._cron_recertification()
        self.assertEqual(escalated, app)
        self.assertEqual(app.escalation_date, date(2026, 10, 15))
        # no hr manager for the coordinator: the company's After-Sales managers are told
        manager_activities = app.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(manager_activities), 1)
        with freeze_time("2026-10-16"):
            _opened, escalated = self.Application._cron_recertification()
        self.assertFalse(escalated, "escalated once")

    def test_escalation_to_the_coordinators_manager(self):
        boss = self.env["hr.employee"].create(
            {"name": "总经理", "user_id": self.both_coordinator.id, "company_id": self.company.id}
        )
        self.env["hr.employee"].create(
            {
                "name": "认证协调员",
                "user_id": self.coordinator.id,
                "company_id": self.company.id,
                "parent_id": boss.id,
            }
        )
        with freeze_time(OPEN_DAY):
            self.Application._cron_recertification()
        with freeze_time("2026-10-15"):
            self.Application._cron_recertification()
        escalated_to = self._recert().activity_ids.mapped("user_id")
        self.assertIn(self.both_coordinator, escalated_to)
        self.assertNotIn(self.manager, escalated_to)

    def test_submitted_application_is_not_escalated(self):
        with freeze_time(OPEN_DAY):
            self.Application._cron_recertification()
        app = self._recert()
        app.action_submit()
        self.assertFalse(app.activity_ids, "submitting closes the reminder")
        with freeze_time("2026-10-15"):
            _opened, escalated = self.Application._cron_recertification()
        self.assertFalse(escalated)

    def test_batches(self):
        certs = self.cert
        for index in range(4):
            certs |= self.create_certificate(number=f"R-{index}")
        with freeze_time(OPEN_DAY):
            opened, _escalated = self.Application._cron_recertification(batch_size=2)
            self.assertEqual(len(opened), 2)
            self.Application._cron_recertification(batch_size=2)
            self.Application._cron_recertification(batch_size=2)
            opened, _escalated = self.Application._cron_recertification(batch_size=2)
        self.assertFalse(opened)
        self.assertEqual(
            self.Application.search_count([("certificate_id", "in", certs.ids)]), len(certs)
        )

    def test_expired_or_withdrawn_certificates_are_left_alone(self):
        self.cert.action_withdraw()
        with freeze_time(OPEN_DAY):
            opened, _escalated = self.Application._cron_recertification()
        self.assertFalse(opened)

    def test_query_budget(self):
        for index in range(10):
            self.create_certificate(number=f"Q-{index}")
        with freeze_time(OPEN_DAY):
            self.env.invalidate_all()
            # ~22 queries a certificate, most of them the e-mail that tells the coordinator
            # of the new activity; the selection, locking and the batch itself are constant
            with self.assertQueryCount(260):
                opened, _escalated = self.Application._cron_recertification()
        self.assertEqual(len(opened), 11)
