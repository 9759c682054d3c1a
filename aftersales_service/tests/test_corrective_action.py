from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestCorrectiveAction(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.department = cls.env["hr.department"].create({"name": "Quality Control Centre"})
        cls.complaint = cls.env["aftersales.ticket"].create(
            {
                "title": "Seal leaks",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
                "ticket_type_id": cls.type_complaint.id,
                "complaint_category": "quality",
                "severity": "minor",
                "responsible_department_id": cls.department.id,
            }
        )

    def _action(self, **values):
        vals = {"name": "Tighten incoming inspection of seals", "ticket_id": self.complaint.id}
        vals.update(values)
        return self.env["aftersales.corrective.action"].with_user(self.user).create(vals)

    def test_action_from_complaint_is_listed_on_it(self):
        action_window = self.complaint.action_view_corrective_actions()
        self.assertEqual(action_window["context"]["default_department_id"], self.department.id)
        action = self._action(department_id=self.department.id)
        self.assertEqual(self.complaint.corrective_action_count, 1)
        self.assertEqual(
            self.env["aftersales.corrective.action"].search(action_window["domain"]), action
        )

    def test_only_manager_confirms_and_needs_department_and_deadline(self):
        action = self._action()
        with self.assertRaises(UserError):
            action.action_confirm()  # a user may propose, not confirm
        manager_action = action.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "owner department and a deadline"):
            manager_action.action_confirm()
        action.write({"department_id": self.department.id, "deadline": "2026-12-31"})
        manager_action.action_confirm()
        self.assertEqual(action.state, "confirmed")
        with self.assertRaises(UserError):
            manager_action.action_confirm()

    def test_done_then_effect_checked(self):
        action = self._action(department_id=self.department.id, deadline="2026-12-31")
        with self.assertRaises(UserError):
            action.action_done()  # not confirmed yet
        action.with_user(self.manager).action_confirm()
        with self.assertRaises(UserError):
            action.action_check_effect()  # not done yet
        with freeze_time("2026-12-01"):
            action.action_done()
            self.assertEqual(str(action.done_date), "2026-12-01")
            with self.assertRaisesRegex(UserError, "effect check"):
                action.action_check_effect()
            action.write({"effect_check": "No leak in 3 months", "effect_result": "effective"})
            action.action_check_effect()
        self.assertEqual(str(action.effect_date), "2026-12-01")
        with self.assertRaises(UserError):
            action.action_cancel()

    def test_cancel_and_propose_again(self):
        action = self._action()
        with self.assertRaises(UserError):
            action.action_reset_draft()
        action.action_cancel()
        action.action_reset_draft()
        self.assertEqual(action.state, "draft")

    def test_overdue(self):
        action = self._action(department_id=self.department.id, deadline="2026-11-10")
        Action = self.env["aftersales.corrective.action"]
        with freeze_time("2026-11-11"):
            action.invalidate_recordset(["is_overdue"])
            self.assertTrue(action.is_overdue)
            self.assertIn(action, Action.search([("is_overdue", "=", True)]))
            self.assertNotIn(action, Action.search([("is_overdue", "=", False)]))
        with freeze_time("2026-11-09"):
            action.invalidate_recordset(["is_overdue"])
            self.assertFalse(action.is_overdue)
            self.assertNotIn(action, Action.search([("is_overdue", "=", True)]))

    def test_access(self):
        action = self._action()
        with self.assertRaises(AccessError):
            action.with_user(self.user).unlink()
        with self.assertRaises(AccessError):
            action.with_user(self.employee).read(["name"])
        other_company = self.env["res.company"].create({"name": "Pumps Tianjin Ltd"})
        foreign = self.env["aftersales.corrective.action"].create(
            {"name": "Foreign", "company_id": other_company.id}
        )
        Action = self.env["aftersales.corrective.action"].with_user(self.manager)
        self.assertFalse(Action.search([("id", "=", foreign.id)]))
        action.with_user(self.manager).unlink()
