from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CertificationCase


@tagged("post_install", "-at_install")
class TestAudit(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = cls.create_certificate()
        # planned by themselves: 2025-01-15 and 2026-01-15
        cls.surveillance = cls.cert.audit_ids.sorted("planned_date")
        cls.department = cls.env["hr.department"].create(
            {"name": "售后服务部", "company_id": cls.company.id}
        )

    def test_reminder_thirty_days_before(self):
        first = self.surveillance[0]
        with freeze_time("2024-12-15"):  # 31 days before
            self.assertFalse(self.Audit._cron_surveillance_reminders())
        with freeze_time("2024-12-16"):  # 30 days before
            reminded = self.Audit._cron_surveillance_reminders()
        self.assertEqual(reminded, first)
        self.assertEqual(first.reminder_date, date(2024, 12, 16))
        self.assertEqual(first.activity_ids.user_id, self.coordinator)
        self.assertEqual(first.activity_ids.date_deadline, date(2025, 1, 15))
        # running again the same or the next day: no second activity
        with freeze_time("2024-12-17"):
            self.assertFalse(self.Audit._cron_surveillance_reminders())
        self.assertEqual(len(first.activity_ids), 1)

    def test_new_date_new_reminder(self):
        first = self.surveillance[0]
        with freeze_time("2024-12-16"):
            self.Audit._cron_surveillance_reminders()
        first.planned_date = date(2025, 2, 10)
        self.assertFalse(first.reminder_date)
        with freeze_time("2025-01-20"):
            self.assertEqual(self.Audit._cron_surveillance_reminders(), first)

    def test_reminders_in_batches(self):
        for index in range(3):
            self.create_certificate(number=f"A-{index}")
        with freeze_time("2024-12-20"):
            first = self.Audit._cron_surveillance_reminders(batch_size=2)
            second = self.Audit._cron_surveillance_reminders(batch_size=2)
            third = self.Audit._cron_surveillance_reminders(batch_size=2)
        self.assertEqual((len(first), len(second), len(third)), (2, 2, 0))
        self.assertFalse(first & second)

    def test_cancelled_or_done_audits_are_not_reminded(self):
        self.surveillance[0].action_cancel()
        with freeze_time("2024-12-20"):
            self.assertFalse(self.Audit._cron_surveillance_reminders())

    def test_findings_become_corrective_actions(self):
        audit = self.surveillance[0].with_user(self.coordinator)
        audit.write(
            {
                "finding_ids": [
                    (
                        0,
                        0,
                        {
                            "severity": "major",
                            "name": "投诉处理未按规定时限关闭",
                            "clause": "5.4",
                            "department_id": self.department.id,
                            "deadline": "2025-03-01",
                        },
                    ),
                    (0, 0, {"severity": "minor", "name": "回访记录不完整", "clause": "5.3.4"}),
                    (0, 0, {"severity": "observation", "name": "培训记录可完善"}),
                ]
            }
        )
        self.assertEqual((audit.major_count, audit.minor_count), (1, 1))
        audit.action_confirm()
        with self.assertRaises(UserError):
            audit.action_done()  # no result yet
        audit.write({"result": "conditional", "start_date": "2025-01-14"})
        audit.action_done()
        self.assertEqual(audit.state, "done")
        self.assertEqual(str(audit.start_date), "2025-01-14", "a given date is kept")
        self.assertTrue(audit.end_date)
        actions = audit.corrective_action_ids
        self.assertEqual(len(actions), 2, "observations need no corrective action")
        major = actions.filtered(lambda a: a.audit_finding_id.severity == "major")
        self.assertEqual(major.department_id, self.department)
        self.assertEqual(str(major.deadline), "2025-03-01")
        self.assertEqual(major.certificate_id, self.cert)
        self.assertEqual(self.cert.corrective_action_count, 2)
        # the button does not duplicate them
        with self.assertRaises(UserError):
            audit.action_create_corrective_actions()
        self.assertEqual(len(audit.corrective_action_ids), 2)
        # the coordinator confirms the actions that answer audit findings
        major.with_user(self.coordinator).action_confirm()
        self.assertEqual(major.state, "confirmed")

    def test_corrective_action_form_shows_the_audit(self):
        arch = self.env["aftersales.corrective.action"].get_views([(False, "form")])["views"]
        self.assertIn('name="audit_finding_id"', arch["form"]["arch"])

    def test_coordinator_cannot_confirm_other_actions(self):
        action = self.env["aftersales.corrective.action"].create(
            {
                "name": "Complaint action",
                "company_id": self.company.id,
                "department_id": self.department.id,
                "deadline": "2025-03-01",
            }
        )
        with self.assertRaises(UserError):
            action.with_user(self.coordinator).action_confirm()
        self.assertEqual(action.state, "draft")

    def test_user_cannot_confirm_audit_actions(self):
        audit = self.surveillance[0]
        audit.finding_ids = [
            (
                0,
                0,
                {
                    "severity": "minor",
                    "name": "x",
                    "department_id": self.department.id,
                    "deadline": "2025-03-01",
                },
            )
        ]
        action = audit.finding_ids._create_corrective_actions()
        with self.assertRaises(UserError):
            action.with_user(self.as_user).action_confirm()
        self.assertEqual(action.state, "draft")
