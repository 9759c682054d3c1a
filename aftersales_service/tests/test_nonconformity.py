from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestNonconformity(AftersalesCase):
    """Nonconformity reports (不合格报告): raised, answered, confirmed, verified, closed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = new_test_user(
            cls.env, "as_test_production_head", groups="base.group_user", name="Head Zheng"
        )
        cls.other_head = new_test_user(
            cls.env, "as_technical_head", groups="base.group_user", name="Head Wu"
        )
        Employee = cls.env["hr.employee"]
        cls.production = cls.env["hr.department"].create(
            {
                "name": "Production",
                "manager_id": Employee.create({"name": "Zheng", "user_id": cls.head.id}).id,
            }
        )
        cls.technical = cls.env["hr.department"].create(
            {
                "name": "Technical",
                "manager_id": Employee.create({"name": "Wu", "user_id": cls.other_head.id}).id,
            }
        )
        # a worker of the production department reads its reports
        Employee.create(
            {"name": "Worker", "user_id": cls.employee.id, "department_id": cls.production.id}
        )
        cls.activity_type = cls.env.ref("aftersales_service.mail_activity_type_nonconformity")

    def _report(self, **values):
        vals = {
            "department_id": self.production.id,
            "clause": "4.2",
            "finding": "<p>Returned units were stored outside the marked area.</p>",
            "deadline": date.today() + timedelta(days=10),
        }
        vals.update(values)
        return self.env["aftersales.nonconformity"].with_user(self.manager).create(vals)

    def _answer(self, report):
        as_head = report.with_user(self.head)
        as_head.write(
            {
                "rectification": "<p>Mark the area, train the storekeepers.</p>",
                "corrective_action_ids": [
                    Command.create({"name": "Paint the returns area", "deadline": date.today()})
                ],
            }
        )
        as_head.action_answer()
        return report

    def _activities(self, report):
        return self.env["mail.activity"].search(
            [("res_model", "=", report._name), ("res_id", "=", report.id)]
        )

    def test_flow(self):
        report = self._report()
        self.assertTrue(report.name.startswith("NCR"))
        self.assertEqual(report.raised_by_id, self.manager)
        report.with_user(self.manager).action_send()
        self.assertEqual(report.state, "sent")
        activity = self._activities(report)
        self.assertEqual(activity.user_id, self.head)
        self.assertEqual(activity.activity_type_id, self.activity_type)
        self.assertEqual(activity.date_deadline, report.deadline)

        with self.assertRaisesRegex(UserError, "rectification"):
            report.with_user(self.head).action_answer()
        self._answer(report)
        self.assertEqual(report.state, "answered")
        action = report.corrective_action_ids
        self.assertEqual(action.department_id, self.production)
        self.assertEqual(action.state, "draft")
        activity = self._activities(report)
        self.assertEqual(activity.user_id, self.manager)  # the department's one is done

        # nothing is carried out before the manager confirms
        with self.assertRaisesRegex(UserError, "not confirmed"):
            action.with_user(self.manager).action_confirm()
        with self.assertRaises(UserError):
            action.with_user(self.manager).action_done()
        with self.assertRaises(AccessError):
            report.with_user(self.head).action_confirm()
        report.with_user(self.manager).action_confirm()
        self.assertEqual(report.state, "confirmed")
        self.assertEqual(action.state, "confirmed")
        self.assertFalse(self._activities(report))

        with self.assertRaisesRegex(UserError, "effect checked"):
            report.with_user(self.manager).action_verify()
        action.with_user(self.manager).action_done()
        action.write(
            {"effect_check": "No unit outside the area for a month", "effect_result": "effective"}
        )
        action.action_check_effect()
        report.with_user(self.manager).action_verify()
        self.assertEqual(report.state, "verified")
        report.with_user(self.manager).action_close()
        self.assertEqual(report.state, "closed")
        self.assertEqual(report.closed_date, date.today())

    def test_ineffective_action_blocks_verification(self):
        report = self._report()
        report.with_user(self.manager).action_send()
        self._answer(report)
        report.with_user(self.manager).action_confirm()
        action = report.corrective_action_ids
        action.action_done()
        action.write({"effect_check": "Units still outside", "effect_result": "not_effective"})
        action.action_check_effect()
        with self.assertRaisesRegex(UserError, "not effective"):
            report.with_user(self.manager).action_verify()
        self.assertEqual(report.state, "confirmed")

    def test_return_answer(self):
        report = self._report()
        report.with_user(self.manager).action_send()
        self._answer(report)
        with self.assertRaises(AccessError):
            report.with_user(self.head).action_return()
        report.with_user(self.manager).action_return()
        self.assertEqual(report.state, "sent")
        self.assertEqual(self._activities(report).user_id, self.head)
        report.with_user(self.head).write({"rectification": "<p>Better proposal</p>"})

    def test_department_manager_rights(self):
        report = self._report()
        Report = self.env["aftersales.nonconformity"]
        # a draft is the manager's own business
        self.assertFalse(Report.with_user(self.head).search([]))
        report.with_user(self.manager).action_send()
        self.assertEqual(Report.with_user(self.head).search([]), report)
        as_head = report.with_user(self.head)
        with self.assertRaises(AccessError):
            as_head.write({"finding": "<p>Nothing happened</p>"})
        with self.assertRaises(AccessError):
            as_head.action_send()
        with self.assertRaises(AccessError):
            Report.with_user(self.head).create(
                {"department_id": self.production.id, "finding": "<p>x</p>"}
            )
        # the head of another department neither reads nor answers it
        self.assertFalse(Report.with_user(self.other_head).search([]))
        with self.assertRaises(AccessError):
            report.with_user(self.other_head).write({"rectification": "<p>x</p>"})
        with self.assertRaises(AccessError):
            report.with_user(self.other_head).action_answer()
        # a member of the department reads it but does not answer
        self.assertEqual(Report.with_user(self.employee).search([]), report)
        with self.assertRaises(AccessError):
            report.with_user(self.employee).write({"rectification": "<p>x</p>"})
        # an after-sales user outside the department sees nothing
        self.assertFalse(Report.with_user(self.user).search([]))
        # once answered, the answer is frozen for the department
        self._answer(report)
        with self.assertRaisesRegex(UserError, "awaits"):
            as_head.write({"rectification": "<p>changed</p>"})
        # the head reads the actions of the report
        self.assertEqual(
            self.env["aftersales.corrective.action"].with_user(self.head).search([]),
            report.corrective_action_ids,
        )

    def test_evidence_readable_by_the_department(self):
        photo = (
            self.env["ir.attachment"]
            .with_user(self.manager)
            .create(
                {
                    "name": "returns-area.jpg",
                    "raw": b"jpeg",
                    "res_model": "aftersales.nonconformity",
                }
            )
        )
        report = self._report(evidence_ids=[Command.set(photo.ids)])
        self.assertEqual((photo.res_model, photo.res_id), (report._name, report.id))
        report.with_user(self.manager).action_send()
        self.assertEqual(report.with_user(self.head).evidence_ids.with_user(self.head).raw, b"jpeg")
        with self.assertRaises(AccessError):
            photo.with_user(self.other_head).read(["raw"])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Pumps Ltd"})
        department = self.env["hr.department"].create({"name": "Other", "company_id": other.id})
        report = self.env["aftersales.nonconformity"].create(
            {"department_id": department.id, "finding": "<p>x</p>", "company_id": other.id}
        )
        self.assertFalse(
            self.env["aftersales.nonconformity"]
            .with_user(self.manager)
            .search([("id", "=", report.id)])
        )

    def test_overdue_reminder(self):
        report = self._report(deadline=date(2026, 3, 10))
        with freeze_time("2026-03-02"):
            report.with_user(self.manager).action_send()
            self.assertEqual(self.env["aftersales.nonconformity"]._cron_remind_overdue(), 0)
        with freeze_time("2026-03-11"):
            self.assertTrue(report.is_overdue)
            self.assertEqual(
                self.env["aftersales.nonconformity"].search([("is_overdue", "=", True)]), report
            )
            self.assertEqual(self.env["aftersales.nonconformity"]._cron_remind_overdue(), 1)
            reminder = self._activities(report).filtered(lambda a: "Overdue" in a.summary)
            self.assertEqual(reminder.user_id, self.head)
            self.assertEqual(reminder.date_deadline, date(2026, 3, 11))
            self.assertEqual(self.env["aftersales.nonconformity"]._cron_remind_overdue(), 0)

    def test_overdue_reminder_remembered_by_its_activity(self):
        Report = self.env["aftersales.nonconformity"]
        overdue_type = self.env.ref("aftersales_service.mail_activity_type_nonconformity_overdue")
        done_one, answered = (
            self._report(deadline=date(2026, 3, 10)),
            self._report(deadline=date(2026, 3, 10)),
        )
        with freeze_time("2026-03-02"):
            (done_one | answered).with_user(self.manager).action_send()
        with freeze_time("2026-03-11"):
            self.assertEqual(Report._cron_remind_overdue(batch_size=1), 1)
            self.assertEqual(Report._cron_remind_overdue(batch_size=1), 1)
            # the head marks the reminder done without answering: it is kept, and it is
            # what tells the job the report was reminded
            reminder = self._activities(done_one).filtered(
                lambda a: a.activity_type_id == overdue_type
            )
            reminder.with_user(self.head).action_done()
            self.assertEqual(Report._cron_remind_overdue(), 0)
            self.assertEqual(
                self.env["mail.activity"]
                .with_context(active_test=False)
                .search_count(
                    [
                        ("res_model", "=", done_one._name),
                        ("res_id", "=", done_one.id),
                        ("activity_type_id", "=", overdue_type.id),
                    ]
                ),
                1,
            )
            # answering closes the overdue reminder with the request to answer
            self._answer(answered)
        self.assertFalse(
            self._activities(answered).filtered(lambda a: a.activity_type_id == overdue_type)
        )

    def test_send_needs_department_manager(self):
        department = self.env["hr.department"].create({"name": "Headless"})
        report = self._report(department_id=department.id)
        with self.assertRaisesRegex(UserError, "no manager"):
            report.with_user(self.manager).action_send()
        with self.assertRaises(AccessError):
            report.with_user(self.user).action_send()
