from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .policy_training_common import PolicyTrainingCase

# measured on Odoo 18.0 (5 queries for 3 more holders): mail.activity subscribes each user
# to their record and notifies them on the bus
PER_HOLDER_QUERIES = 2


@tagged("post_install", "-at_install")
class TestPolicyTraining(PolicyTrainingCase):
    """Training before taking the post (domain.md §8, 否则不予上岗)."""

    def test_training_status(self):
        self.assertEqual(self.emp_clerk.aftersales_training_status, "missing")
        self.assertEqual(
            self.emp_clerk.aftersales_missing_policy_ids, self.etiquette | self.fee_policy
        )
        self.assertEqual(
            self.emp_clerk.aftersales_required_policy_ids, self.etiquette | self.fee_policy
        )
        self.assertEqual(self.emp_colleague.aftersales_training_status, "trained")
        self.assertEqual(self.emp_trainer.aftersales_training_status, "not_required")
        # a failed training does not count
        self.train(self.emp_clerk, self.etiquette, result="failed")
        self.train(self.emp_clerk, self.fee_policy)
        self.assertEqual(self.emp_clerk.aftersales_missing_policy_ids, self.etiquette)
        missing = self.env["hr.employee"].search(
            [("aftersales_training_status", "=", "missing"), ("job_id", "=", self.job.id)]
        )
        self.assertEqual(missing, self.emp_clerk)
        self.train(self.emp_clerk, self.etiquette)
        self.assertEqual(self.emp_clerk.aftersales_training_status, "trained")

    def test_untrained_cannot_be_assigned(self):
        with self.assertRaisesRegex(UserError, "Staff etiquette"):
            self.create_ticket(user_id=self.user.id)
        ticket = self.create_ticket()
        with self.assertRaises(UserError):
            ticket.write({"user_id": self.user.id})
        self.assertFalse(ticket.user_id)
        with self.assertRaises(UserError):
            ticket.with_user(self.user).action_assign_to_me()
        # trained, without an employee, or without required policies: assigned
        ticket.user_id = self.colleague
        self.assertEqual(ticket.user_id, self.colleague)
        ticket.user_id = self.outsider  # no employee
        self.assertEqual(self.create_ticket(user_id=self.outsider.id).user_id, self.outsider)
        self.emp_trainer.user_id = self.leader  # an employee whose job requires nothing
        ticket.user_id = self.leader
        self.assertEqual(ticket.user_id, self.leader)
        # an employee of another company does not count for this company's requests
        other = self.env["res.company"].create({"name": "Other Pumps Ltd"})
        self.emp_clerk.write({"company_id": other.id})
        ticket.user_id = self.user
        self.assertEqual(ticket.user_id, self.user)

    def test_warning_mode(self):
        self.company.aftersales_training_check = "warn"
        ticket = self.create_ticket(user_id=self.user.id)
        self.assertEqual(ticket.user_id, self.user)
        self.assertTrue(ticket.is_assignee_untrained)
        notes = ticket.message_ids.filtered(lambda m: "not trained" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("Staff etiquette", notes.body)
        other = self.create_ticket()
        other.user_id = self.user
        self.assertEqual(
            len(other.message_ids.filtered(lambda m: "not trained" in (m.body or ""))), 1
        )
        # the form warns as soon as the untrained assignee is chosen, in both modes
        result = self.env["aftersales.ticket"].new({"user_id": self.user.id})
        warning = result._onchange_user_id_training()
        self.assertIn("Staff etiquette", warning["warning"]["message"])
        self.company.aftersales_training_check = "block"
        warning = result._onchange_user_id_training()
        self.assertIn("Saving will be refused", warning["warning"]["message"])
        self.assertIsNone(
            self.env["aftersales.ticket"]
            .new({"user_id": self.colleague.id})
            ._onchange_user_id_training()
        )

    def test_balanced_assignment_skips_untrained(self):
        self.team.write(
            {
                "assignment_method": "balanced",
                "member_ids": [Command.set((self.user | self.colleague).ids)],
            }
        )
        # without the rule the clerk (no open request, lowest id) would get them all
        self.assertLess(self.user.id, self.colleague.id)
        tickets = self.create_ticket() | self.create_ticket()
        self.assertEqual(tickets.user_id, self.colleague)
        self.other_team.write(
            {"member_ids": [Command.set(self.user.ids)], "assignment_method": "manual"}
        )
        manual = self.create_ticket(team_id=self.other_team.id)
        self.assertFalse(manual.user_id)
        manual.action_assign_balanced()  # nobody trained: nobody given
        self.assertFalse(manual.user_id)
        self.train(self.emp_clerk, self.etiquette | self.fee_policy)
        manual.action_assign_balanced()
        self.assertEqual(manual.user_id, self.user)

    def test_new_revision_reopens_training(self):
        Activity = self.env["mail.activity"]
        activity_type = self.env.ref("aftersales_service.mail_activity_type_policy_training")
        before = Activity.search_count([("activity_type_id", "=", activity_type.id)])
        new = self.publish_revision(self.etiquette)
        self.assertEqual(self.etiquette.state, "obsolete")
        self.assertEqual(self.job.aftersales_policy_ids, new | self.fee_policy)
        self.assertEqual(self.emp_colleague.aftersales_training_status, "missing")
        self.assertEqual(self.emp_colleague.aftersales_missing_policy_ids, new)
        activities = Activity.search(
            [("activity_type_id", "=", activity_type.id), ("res_model", "=", "hr.employee")]
        )
        self.assertEqual(len(activities) - before, 2)
        self.assertEqual(
            set(activities.mapped("user_id").ids) & {self.user.id, self.colleague.id},
            {self.user.id, self.colleague.id},
        )
        with self.assertRaises(UserError):
            self.create_ticket(user_id=self.colleague.id)
        self.train(self.emp_colleague, new)
        self.assertEqual(self.create_ticket(user_id=self.colleague.id).user_id, self.colleague)

    def test_reopening_is_batched(self):
        """Publishing costs the same queries whatever the number of holders of the job."""
        self.publish_revision(self.commitment_policy)  # warm-up
        cr = self.env.cr
        start = cr.sql_log_count
        self.publish_revision(self.etiquette)  # 2 holders
        two_holders = cr.sql_log_count - start
        self.env["hr.employee"].create(
            [
                {"name": f"Engineer {n}", "user_id": user.id, "job_id": self.job.id}
                for n, user in enumerate((self.outsider, self.leader, self.technician))
            ]
        )
        self.env.flush_all()
        start = cr.sql_log_count
        self.publish_revision(self.fee_policy)  # 5 holders
        five_holders = cr.sql_log_count - start
        # each holder costs only their subscription to their own record and a bus message
        # (mail.activity's own per-user steps); no e-mail and no query per holder of ours
        self.assertLessEqual(five_holders - two_holders, 3 * PER_HOLDER_QUERIES)
        self.assertEqual(
            self.env["hr.employee"].search_count(
                [("job_id", "=", self.job.id), ("aftersales_training_status", "=", "missing")]
            ),
            5,
        )

    def test_trained_before_publication_stays_trained(self):
        new = self.etiquette.copy(
            {"revision_number": 1, "previous_id": self.etiquette.id, "state": "draft"}
        )
        new.state = "approved"
        self.train(self.emp_colleague, new)  # trained on the approved text before it applies
        new.with_user(self.manager).action_publish()
        self.assertEqual(self.emp_colleague.aftersales_training_status, "trained")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "hr.employee"), ("res_id", "in", self.emp_colleague.ids)]
        )
        self.assertFalse(activities)
        self.assertEqual(self.emp_clerk.activity_ids.user_id, self.user)

    def test_holder_without_user_reminds_manager(self):
        boss = self.env["hr.employee"].create({"name": "Boss Ma", "user_id": self.leader.id})
        newcomer = self.env["hr.employee"].create(
            {"name": "Newcomer Xu", "job_id": self.job.id, "parent_id": boss.id}
        )
        self.publish_revision(self.fee_policy)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "hr.employee"), ("res_id", "=", newcomer.id)]
        )
        self.assertEqual(activity.user_id, self.leader)

    def test_training_access(self):
        training = self.emp_colleague.aftersales_training_ids[:1]
        # an after-sales user reads his own trainings only and records none
        Training = self.env["aftersales.policy.training"]
        self.assertFalse(Training.with_user(self.user).search([]))
        self.assertEqual(
            Training.with_user(self.colleague).search([]),
            self.emp_colleague.aftersales_training_ids,
        )
        with self.assertRaises(AccessError):
            Training.with_user(self.user).create(
                {"employee_id": self.emp_clerk.id, "policy_id": self.etiquette.id}
            )
        with self.assertRaises(AccessError):
            training.with_user(self.colleague).write({"result": "passed"})
        # the After-Sales manager records them
        record = Training.with_user(self.manager).create(
            {"employee_id": self.emp_clerk.id, "policy_id": self.etiquette.id}
        )
        self.assertEqual(record.company_id, self.company)

    def test_applied_revisions_kept(self):
        self.team.commitment_ids.policy_id = self.commitment_policy
        self.company.aftersales_warranty_policy_id = self.warranty_policy
        self.env["aftersales.fee.standard"].create(
            {
                "ticket_type_id": self.type_repair.id,
                "labour_price": 150.0,
                "policy_id": self.fee_policy.id,
            }
        )
        ticket = self.create_ticket(
            ticket_type_id=self.type_repair.id,
            product_id=self.product.id,
            shipping_date=date.today(),
        )
        self.assertEqual(ticket.commitment_policy_id, self.commitment_policy)
        self.assertEqual(ticket.warranty_policy_id, self.warranty_policy)
        self.assertFalse(ticket.fee_policy_id)
        self.create_record(ticket)
        self.assertEqual(ticket.fee_policy_id, self.fee_policy)

        commitments = self.publish_revision(self.commitment_policy)
        warranty = self.publish_revision(self.warranty_policy)
        fees = self.publish_revision(self.fee_policy)
        # the configuration names the new revisions ...
        self.assertEqual(self.team.commitment_ids.policy_id, commitments)
        self.assertEqual(self.company.aftersales_warranty_policy_id, warranty)
        self.assertEqual(
            self.env["aftersales.fee.standard"].search([("policy_id", "!=", False)]).policy_id,
            fees,
        )
        # ... the request keeps what applied to it, even when recomputed
        ticket.invalidate_recordset()
        self.assertEqual(ticket.commitment_policy_id, self.commitment_policy)
        self.assertEqual(ticket.warranty_policy_id, self.warranty_policy)
        self.assertEqual(ticket.fee_policy_id, self.fee_policy)
        self.assertEqual(ticket.service_record_ids.fee_policy_id, self.fee_policy)
        # a new request applies the new revisions
        new_ticket = self.create_ticket(
            ticket_type_id=self.type_repair.id,
            product_id=self.product.id,
            shipping_date=date.today(),
        )
        self.create_record(new_ticket)
        self.assertEqual(new_ticket.commitment_policy_id, commitments)
        self.assertEqual(new_ticket.warranty_policy_id, warranty)
        self.assertEqual(new_ticket.fee_policy_id, fees)
        # re-planning the deadlines (another team) applies the revision in force then
        self.other_team.commitment_ids = [
            Command.create({"response_hours": 2, "resolve_hours": 8, "policy_id": commitments.id})
        ]
        ticket.team_id = self.other_team
        self.assertEqual(ticket.commitment_policy_id, commitments)

    def test_assignment_check_costs_one_query(self):
        ticket = self.create_ticket()
        ticket.flush_recordset()
        self.env.invalidate_all()
        Ticket = self.env["aftersales.ticket"]
        pairs = {(self.colleague.id, self.company.id), (self.user.id, self.company.id)}
        Ticket._untrained_assignees(pairs)  # warm the registry caches the team setup cleared
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            untrained = Ticket._untrained_assignees(pairs)
        self.assertEqual(list(untrained), [(self.user.id, self.company.id)])
