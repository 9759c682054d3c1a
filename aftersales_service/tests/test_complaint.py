from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintHandling(ComplaintCase):
    # ---------------------------------------------------------------------------------------
    # step 2: analysis
    # ---------------------------------------------------------------------------------------
    def test_appraisal_required_when_the_cause_is_not_ours(self):
        complaint = self.create_complaint(is_our_cause=False, stage_id=self.stage_analyse.id)
        with self.assertRaisesRegex(UserError, "appraisal result and its basis"):
            complaint.stage_id = self.stage_solution
        complaint.appraisal_result = "Corrosion from the chlorine atmosphere on site"
        with self.assertRaisesRegex(UserError, "appraisal result and its basis"):
            complaint.stage_id = self.stage_execute
        # saved together with the new stage, as the form does
        complaint.write(
            {
                "appraisal_basis": "Salt-spray test report QC-2026-118; contract clause 4.2",
                "stage_id": self.stage_solution.id,
            }
        )
        self.assertEqual(complaint.stage_id, self.stage_solution)
        # our own cause needs no appraisal, and a cancellation is always possible
        ours = self.create_complaint(stage_id=self.stage_analyse.id)
        ours.stage_id = self.stage_solution
        other = self.create_complaint(is_our_cause=False, stage_id=self.stage_analyse.id)
        other.stage_id = self.stage_cancelled
        self.assertTrue(other.is_closed)

    def test_attitude_complaint_names_the_staff_member(self):
        complaint = self.create_complaint(
            complaint_category="non_quality",
            is_attitude_complaint=True,
            stage_id=self.stage_analyse.id,
        )
        with self.assertRaisesRegex(UserError, "staff member"):
            complaint.stage_id = self.stage_solution
        complaint.attitude_employee_id = self.engineer
        complaint.stage_id = self.stage_solution
        self.assertEqual(complaint.attitude_employee_id, self.engineer)

    def test_a_clerk_of_another_team_learns_nothing_of_a_complaint_s_gates(self):
        complaint = self.create_complaint(
            complaint_category="non_quality",
            is_attitude_complaint=True,
            stage_id=self.stage_analyse.id,
            team_id=self.other_team.id,
            user_id=self.outsider.id,
        )
        # the move reads the complaint as superuser: the access is checked before its gates,
        # which would name the complaint and what it lacks
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).stage_id = self.stage_solution
        with self.assertRaisesRegex(UserError, "staff member"):
            complaint.with_user(self.outsider).stage_id = self.stage_solution

    # ---------------------------------------------------------------------------------------
    # step 3: minor complaints are fed back, severe ones approved
    # ---------------------------------------------------------------------------------------
    def test_minor_complaint_notifies_the_department_manager(self):
        complaint = self.create_complaint(stage_id=self.stage_analyse.id)
        self.assertFalse(complaint.activity_ids)
        complaint.stage_id = self.stage_solution
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.tech_head)
        self.assertIn(complaint.name, activity.summary)
        # the department's manager sees the complaint fed back to them
        self.assertTrue(complaint.with_user(self.tech_head).read(["root_cause"]))
        # moving on further does not notify again, nor does a severe complaint
        complaint.stage_id = self.stage_execute
        self.assertEqual(len(complaint.activity_ids), 1)
        severe = self.create_complaint(severity="severe", stage_id=self.stage_analyse.id)
        severe.stage_id = self.stage_solution
        self.assertFalse(severe.activity_ids)

    def _severe(self):
        complaint = self.create_complaint(
            severity="severe",
            stage_id=self.stage_solution.id,
            production_measures="20 fast stops in the factory test",
            technical_measures="Braking resistor from 5.5 kW",
            agreed_solution="New parameters and a braking resistor on site",
            final_solution="Engineer on site within 24 h, resistor fitted free of charge",
        )
        return complaint

    def test_approval_gate_rejection_then_all_approvals(self):
        complaint = self._severe()
        with self.assertRaisesRegex(UserError, "every department must approve"):
            complaint.stage_id = self.stage_execute
        complaint.action_request_approvals()
        self.assertEqual(complaint.approval_status, "pending")
        self.assertEqual(
            complaint.approval_ids.department_id, self.dep_technical | self.dep_production
        )
        technical = complaint.approval_ids.filtered(lambda a: a.department_id == self.dep_technical)
        production = complaint.approval_ids - technical
        # a department decides for itself only
        with self.assertRaises(AccessError):
            technical.with_user(self.prod_head).action_approve(comment="Fine")
        technical.with_user(self.tech_head).action_approve(comment="Resistor is in stock")
        self.assertEqual(technical.state, "approved")
        self.assertEqual(technical.decided_by_id, self.tech_head)
        with self.assertRaisesRegex(UserError, "why"):
            production.with_user(self.prod_head).action_reject()
        production.with_user(self.prod_head).action_reject(comment="Test bench busy this week")
        self.assertEqual(complaint.approval_status, "rejected")
        self.assertIn("Test bench busy this week", complaint.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "every department must approve"):
            complaint.stage_id = self.stage_execute
        with self.assertRaisesRegex(UserError, "every department must approve"):
            complaint.stage_id = self.stage_done
        # a new round after the solution is revised
        complaint.final_solution = "Engineer on site within 24 h; factory test next week"
        complaint.action_request_approvals()
        self.assertEqual(set(complaint.approval_ids.mapped("state")), {"pending"})
        technical.with_user(self.tech_head).action_approve()
        production.with_user(self.manager).action_approve(comment="Approved for production")
        self.assertEqual(complaint.approval_status, "approved")
        complaint.stage_id = self.stage_execute
        complaint.stage_id = self.stage_done
        self.assertTrue(complaint.is_closed)

    def test_rejection_sends_a_complaint_back(self):
        complaint = self._severe()
        complaint.action_request_approvals()
        complaint.approval_ids.with_user(self.manager).action_approve()
        complaint.stage_id = self.stage_execute
        # the departments' decision is taken again, e.g. after the customer changed their mind
        complaint.action_request_approvals()
        complaint.approval_ids[0].with_user(self.manager).action_reject(comment="Too expensive")
        self.assertEqual(complaint.stage_id, self.stage_solution)

    def test_request_approvals_needs_a_final_solution_and_departments(self):
        complaint = self._severe()
        complaint.final_solution = False
        with self.assertRaisesRegex(UserError, "final solution"):
            complaint.action_request_approvals()
        complaint.final_solution = "Replacement"
        self.company.aftersales_approval_department_ids = False
        with self.assertRaisesRegex(UserError, "settings"):
            complaint.action_request_approvals()
        minor = self.create_complaint(final_solution="Replacement")
        with self.assertRaises(UserError):
            minor.action_request_approvals()

    def test_deviation_needs_the_general_manager(self):
        complaint = self._severe()
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.general_manager).action_approve_deviation()
        complaint.deviation_reason = "Heating season: carry out at once in the customer's interest"
        with self.assertRaises(AccessError):
            complaint.action_approve_deviation()
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager).action_approve_deviation()
        with self.assertRaisesRegex(UserError, "every department must approve"):
            complaint.stage_id = self.stage_execute
        complaint.with_user(self.general_manager).action_approve_deviation()
        self.assertTrue(complaint.deviation_approved)
        self.assertEqual(complaint.deviation_approved_by_id, self.general_manager)
        self.assertIn("Heating season", complaint.message_ids[0].body)
        complaint.stage_id = self.stage_execute
        self.assertEqual(complaint.stage_id, self.stage_execute)

    # ---------------------------------------------------------------------------------------
    # step 4: carry out, close
    # ---------------------------------------------------------------------------------------
    def _action(self, complaint, **values):
        vals = {
            "name": "Fast-stop test before shipping",
            "ticket_id": complaint.id,
            "department_id": self.dep_production.id,
            "deadline": "2026-12-31",
            "user_id": self.prod_head.id,
        }
        vals.update(values)
        return self.env["aftersales.corrective.action"].create(vals)

    def test_closing_needs_actions_done_or_waived(self):
        complaint = self.create_complaint(stage_id=self.stage_execute.id)
        action = self._action(complaint)
        cancelled = self._action(complaint, name="Dropped idea")
        cancelled.action_cancel()
        with self.assertRaisesRegex(UserError, "actions open"):
            complaint.stage_id = self.stage_done
        with self.assertRaises(AccessError):
            complaint.action_waive_actions()
        as_manager = complaint.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "reason"):
            as_manager.action_waive_actions()
        as_manager.waiver_reason = "The supplier's 8D report follows in the yearly review"
        as_manager.action_waive_actions()
        self.assertTrue(complaint.actions_waived)
        self.assertEqual(complaint.waived_by_id, self.manager)
        complaint.stage_id = self.stage_done
        self.assertTrue(complaint.is_closed)
        self.assertEqual(action.state, "draft")

    def test_closing_once_actions_are_done(self):
        complaint = self.create_complaint(stage_id=self.stage_execute.id)
        action = self._action(complaint)
        action.with_user(self.manager).action_confirm()
        action.action_done()
        complaint.stage_id = self.stage_done
        self.assertTrue(complaint.is_closed)

    def test_action_owner_reminded_before_the_deadline(self):
        complaint = self.create_complaint(stage_id=self.stage_execute.id)
        self.company.aftersales_action_reminder_days = 3
        Action = self.env["aftersales.corrective.action"]
        with freeze_time("2026-12-25"):
            # the actions already in the database (demo data) due by then are reminded first:
            # the counts below are this test's actions only
            for _batch in range(1000):
                if not Action._cron_remind_owners():
                    break
        with freeze_time("2026-12-20"):
            action = self._action(complaint, deadline="2026-12-28")
            later = self._action(complaint, name="Later", deadline="2027-03-01")
            done = self._action(complaint, name="Done already", deadline="2026-12-21")
            done.with_user(self.manager).action_confirm()
            done.action_done()
            self.assertEqual(Action._cron_remind_owners(), 0)
        with freeze_time("2026-12-25"):
            self.assertEqual(Action._cron_remind_owners(), 1)
            activity = action.activity_ids
            self.assertEqual(activity.user_id, self.prod_head)
            self.assertEqual(activity.date_deadline, date(2026, 12, 28))
            self.assertEqual(action.reminded_date, date(2026, 12, 25))
            self.assertFalse(later.activity_ids)
            self.assertEqual(Action._cron_remind_owners(), 0)  # once only
            # a new deadline, a new reminder when it comes close
            action.deadline = "2026-12-27"
            self.assertFalse(action.reminded_date)
            self.assertEqual(Action._cron_remind_owners(batch_size=1), 1)
        # the owner's open reminder moves to the new deadline: no second reminder beside it
        self.assertEqual(len(action.activity_ids), 1)
        self.assertEqual(action.activity_ids.date_deadline, date(2026, 12, 27))

    # ---------------------------------------------------------------------------------------
    # access
    # ---------------------------------------------------------------------------------------
    def test_access_of_user_manager_and_outsider(self):
        complaint = self._severe()
        complaint.action_request_approvals()  # the clerk asks for approval
        approvals = complaint.approval_ids
        # a clerk of another team sees neither the complaint nor its approvals
        with self.assertRaises(AccessError):
            complaint.with_user(self.outsider).read(["final_solution"])
        # an approving department's manager outside the team decides from the approval, which
        # shows the solution, without reading the rest of the complaint
        with self.assertRaises(AccessError):
            complaint.with_user(self.prod_head).read(["final_solution"])
        mine = self.env["aftersales.complaint.approval"].with_user(self.prod_head).search([])
        self.assertEqual(mine.department_id, self.dep_production)
        self.assertIn("Engineer on site", mine.final_solution)
        self.assertFalse(
            self.env["aftersales.complaint.approval"].with_user(self.outsider).search([])
        )
        # the clerk may not decide for a department, the manager may
        with self.assertRaises(AccessError):
            approvals[0].with_user(self.user).action_approve()
        approvals.with_user(self.manager).action_approve()
        self.assertEqual(complaint.approval_status, "approved")
        with self.assertRaises(AccessError):
            approvals.with_user(self.user).unlink()

    def test_the_responsible_departments_manager_reads_the_complaint(self):
        complaint = self.create_complaint(
            team_id=self.other_team.id, user_id=self.outsider.id
        ).with_env(self.env)

        def readers():
            found = set()
            for user in (self.tech_head, self.prod_head, self.user):
                Ticket = self.env["aftersales.ticket"].with_user(user)
                if Ticket.search([("id", "=", complaint.id)]):
                    # the check in Python (cached values) agrees with the query's
                    Ticket.browse(complaint.id).read(["title"])
                    found.add(user)
            return found

        self.assertEqual(readers(), {self.tech_head})
        with self.assertRaises(AccessError):
            complaint.with_user(self.prod_head).read(["title"])
        # a new manager of the department reads it, the former one no longer does
        self.dep_technical.manager_id = self.dep_production.manager_id
        self.assertEqual(readers(), {self.prod_head})
        # so does the user the manager's employee record is given to
        self.dep_production.manager_id.user_id = self.tech_head
        self.assertEqual(readers(), {self.tech_head})
        # fed back to no department: the assignee and the team again
        complaint.responsible_department_id = False
        self.assertEqual(readers(), set())
        # a request of no team is everybody's at the desk
        complaint.team_id = False
        self.assertEqual(readers(), {self.tech_head, self.prod_head, self.user})

    # ---------------------------------------------------------------------------------------
    # views and analysis
    # ---------------------------------------------------------------------------------------
    def test_complaints_by_category_department_and_root_cause(self):
        self.create_complaint(root_cause_category="design", defective_qty=0)
        self.create_complaint(root_cause_category="design")
        self.create_complaint(
            complaint_category="other",
            root_cause_category="use",
            responsible_department_id=self.dep_production.id,
        )
        groups = self.env["aftersales.ticket"]._read_group(
            [("is_complaint", "=", True)],
            ["complaint_category", "responsible_department_id", "root_cause_category"],
            ["__count"],
        )
        self.assertIn(("quality", self.dep_technical, "design", 2), groups)
        self.assertIn(("other", self.dep_production, "use", 1), groups)

    def test_complaint_views_load_for_each_role(self):
        for user in (self.user, self.manager, self.general_manager):
            views = (
                self.env["aftersales.ticket"]
                .with_user(user)
                .get_views([(False, "form"), (False, "list"), (False, "search"), (False, "pivot")])
            )
            form = views["views"]["form"]["arch"]
            self.assertIn("complaint_approvals", form)
            self.assertIn("root_cause_category", form)
        approvals = self.env["aftersales.complaint.approval"].with_user(self.tech_head)
        self.assertIn(
            "final_solution", approvals.get_views([(False, "list")])["views"]["list"]["arch"]
        )

    def test_decide_wizard_approves_and_rejects_with_a_comment(self):
        complaint = self._severe()
        complaint.action_request_approvals()
        technical = complaint.approval_ids.filtered(lambda a: a.department_id == self.dep_technical)
        production = complaint.approval_ids - technical
        self.assertTrue(technical.with_user(self.tech_head).can_decide)
        self.assertFalse(production.with_user(self.tech_head).can_decide)
        Decide = self.env["aftersales.complaint.decide"]
        wizard = (
            Decide.with_user(self.tech_head)
            .with_context(active_id=technical.id)
            .create({"comment": "Resistor in stock"})
        )
        self.assertEqual(wizard.final_solution, complaint.final_solution)
        wizard.action_approve()
        self.assertEqual(technical.state, "approved")
        self.assertEqual(technical.comment, "Resistor in stock")
        wizard = Decide.with_user(self.prod_head).with_context(active_id=production.id).create({})
        with self.assertRaisesRegex(UserError, "why"):
            wizard.action_reject()
        wizard.comment = "No test bench free"
        wizard.action_reject()
        self.assertEqual(complaint.approval_status, "rejected")
