from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.aftersales_service.tests.two_workers import TwoWorkersCase


@tagged("post_install", "-at_install")
class TestJobsTwoWorkers(TwoWorkersCase):
    """The certification jobs that send reminders, run by two workers at the same time."""

    def setUp(self):
        super().setUp()
        self.todo = self.env.ref("mail.mail_activity_data_todo")
        with self.committed() as env:
            self.body = self.keep(
                env["res.partner"].create({"name": "并发测试认证机构", "is_company": True})
            )
            with freeze_time("2024-01-15"):
                certificates = env["aftersales.certificate"].create(
                    [
                        {
                            "holder_id": env.company.partner_id.id,
                            "body_id": self.body.id,
                            "standard_id": env.ref("aftersales_certification.standard_iso_9001").id,
                            "number": f"CONCURRENCY-JOB-{i}",
                            "issue_date": date(2024, 1, 15),
                            "expiry_date": date(2027, 1, 14),
                            "user_id": env.ref("base.user_admin").id,
                        }
                        for i in range(3)
                    ]
                )
            # the workers see only committed data, and so does a new cursor: the test's own
            # cursor is older; these records are used for their ids
            self.certificates = self.keep(certificates)
            self.audits = self.keep(certificates.audit_ids)
            self.first_surveillance = self.audits.filtered(
                lambda a: a.planned_date == date(2025, 1, 15)
            )
            self.assertEqual(len(self.first_surveillance), 3)

    def _keep_applications(self):
        with self.committed() as env:
            return self.keep(
                env["aftersales.certification.application"].search(
                    [("certificate_id", "in", self.certificates.ids)]
                )
            )

    def test_surveillance_reminders(self):
        with freeze_time("2024-12-20"):
            self.assertOneReminderEach(
                lambda env: env["aftersales.certification.audit"]._cron_surveillance_reminders(
                    batch_size=2
                ),
                self.first_surveillance,
                self.todo,
            )

    def test_recertification_opened_and_escalated(self):
        with freeze_time("2026-09-14"):
            self.run_two_workers(
                lambda env: env["aftersales.certification.application"]._cron_recertification(
                    batch_size=2
                )
            )
        applications = self._keep_applications()
        self.assertEqual(len(applications), 3, "one application per certificate")
        with freeze_time("2026-10-15"):
            self.assertOneReminderEach(
                lambda env: env["aftersales.certification.application"]._cron_recertification(
                    batch_size=2
                ),
                applications,
                self.todo,
            )
        with self.committed() as env:
            applications = applications.with_env(env)
            self.assertEqual(sorted(applications.certificate_id.ids), sorted(self.certificates.ids))
            self.assertEqual(set(applications.mapped("escalation_date")), {date(2026, 10, 15)})
            for application in applications:
                warnings = application.message_ids.filtered(lambda m: "escalated to" in m.body)
                self.assertEqual(len(warnings), 1, "escalated once")

    def test_transition_tasks(self):
        with self.committed() as env:
            notice = self.keep(
                env["aftersales.certification.scheme.notice"].create(
                    {
                        "name": "并发测试换版通知",
                        "body_id": self.body.id,
                        "standard_id": env.ref("aftersales_certification.standard_iso_9001").id,
                        "transition_deadline": "2026-06-30",
                        "certificate_ids": [(6, 0, self.certificates.ids)],
                    }
                )
            )
            notice.flush_recordset()
            # confirmed, its tasks left to the job
            env.cr.execute(
                "UPDATE aftersales_certification_scheme_notice "
                "SET state = 'confirmed', tasks_created = FALSE WHERE id = %s",
                [notice.id],
            )
        self.run_two_workers(
            lambda env: env["aftersales.certification.scheme.notice"]._cron_transition_tasks()
        )
        with self.committed() as env:
            tasks = self.keep(
                env["aftersales.certification.transition.task"].search(
                    [("notice_id", "=", notice.id)]
                )
            )
            self.assertEqual(sorted(tasks.certificate_id.ids), sorted(self.certificates.ids))
            self.assertEqual(len(tasks), 3, "one task per certificate")
        for by_user in self.reminders(tasks, self.todo).values():
            self.assertEqual(list(by_user.values()), [1])
