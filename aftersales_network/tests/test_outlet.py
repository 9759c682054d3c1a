from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import NetworkCase


class TestOutlet(NetworkCase):
    def test_code_unique_per_company(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["aftersales.outlet"].create(
                {"name": "Dup", "code": "A", "partner_id": self.outlet_b.partner_id.id}
            )

    def test_authorisation_letter(self):
        outlet = self.outlet_a
        self.assertEqual(outlet.state, "authorized")
        self.assertEqual(outlet.letter_state, "valid")
        self.assertTrue(outlet.letter_number)
        self.assertEqual(outlet.letter_date_end, outlet.current_agreement_id.date_end)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("aftersales_network.action_report_outlet_letter", outlet.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        number = outlet.letter_number
        outlet.action_suspend()
        self.assertEqual(outlet.letter_state, "withdrawn")
        with self.assertRaises(UserError):
            outlet.action_print_letter()
        outlet.action_authorize()
        self.assertNotEqual(outlet.letter_number, number)

    def test_authorise_needs_agreement(self):
        outlet = self._make_outlet("C", "Candidate", self.region_zhejiang, authorize=False)
        outlet.state = "approved"
        with self.assertRaisesRegex(UserError, "no signed agreement"):
            outlet.action_authorize()

    def test_agreement_sign_needs_admission(self):
        outlet = self._make_outlet("C", "Candidate", self.region_zhejiang, authorize=False)
        with self.assertRaises(UserError):
            self._make_agreement(outlet).action_sign()

    def test_agreements_do_not_overlap(self):
        with self.assertRaises(ValidationError):
            self._make_agreement(self.outlet_a).action_sign()


class TestEvaluation(NetworkCase):
    def _scored(self, scores_by_user):
        outlet = self._make_outlet("E", "Evaluated", self.region_zhejiang, authorize=False)
        outlet.action_start_evaluation()
        evaluation = outlet.evaluation_ids
        self.assertEqual(outlet.state, "evaluating")
        evaluation.evaluator_ids = [Command.set([u.id for u in scores_by_user])]
        evaluation.action_prepare_scores()
        for user, score in scores_by_user.items():
            evaluation.score_ids.filtered(lambda s, u=user: s.evaluator_id == u).score = score
        return evaluation

    def test_result_from_weighted_scores(self):
        technicians = self.env.ref("aftersales_network.criterion_technicians")
        evaluation = self._scored({self.network_manager: 80, self.evaluator: 40})
        # every criterion averages 60: exactly the default pass score
        self.assertAlmostEqual(evaluation.total_score, 60.0)
        self.assertEqual(evaluation.result, "pass")
        line = evaluation.score_ids.filtered(
            lambda s: s.criterion_id == technicians and s.evaluator_id == self.evaluator
        )
        line.score = 0  # technicians weigh 25 of 100: the average on them drops by 20
        self.assertAlmostEqual(evaluation.total_score, 60.0 - 20 * 25 / 100)
        self.assertEqual(evaluation.result, "fail")

    def test_manager_approval_moves_outlet(self):
        evaluation = self._scored({self.network_manager: 90, self.evaluator: 70})
        evaluation.action_done()
        with self.assertRaises(UserError):
            evaluation.with_user(self.clerk).action_approve()
        evaluation.with_user(self.network_manager).action_approve()
        self.assertEqual(evaluation.outlet_id.state, "approved")
        self.assertEqual(evaluation.approved_by_id, self.network_manager)
        with self.assertRaises(UserError):
            evaluation.score_ids[:1].score = 10

    def test_evaluator_scores_only_own_lines(self):
        evaluation = self._scored({self.network_manager: 90, self.evaluator: 70})
        mine = evaluation.score_ids.filtered(lambda s: s.evaluator_id == self.evaluator)
        mine[:1].with_user(self.evaluator).score = 75
        other = evaluation.score_ids - mine
        with self.assertRaises(AccessError):
            other[:1].with_user(self.evaluator).score = 10


class TestReevaluationJob(NetworkCase):
    def test_job_opens_reevaluation_once(self):
        agreement = self.outlet_a.current_agreement_id
        Agreement = self.env["aftersales.outlet.agreement"]
        notice = self.company.outlet_reevaluation_days
        with freeze_time(agreement.date_end - timedelta(days=notice + 1)):
            Agreement._cron_open_reevaluations()
            self.assertFalse(agreement.reevaluation_id)
        with freeze_time(agreement.date_end - timedelta(days=notice)):
            Agreement._cron_open_reevaluations()
            evaluation = agreement.reevaluation_id
            self.assertEqual(evaluation.kind, "reevaluation")
            self.assertEqual(evaluation.outlet_id, self.outlet_a)
            self.assertEqual(len(agreement.activity_ids), 1)
            Agreement._cron_open_reevaluations()
            self.assertEqual(agreement.reevaluation_id, evaluation)
            self.assertEqual(len(agreement.activity_ids), 1)
            self.assertEqual(
                self.env["aftersales.outlet.evaluation"].search_count(
                    [("agreement_id", "=", agreement.id)]
                ),
                1,
            )
        # outlet B's agreement ends on the same day: both handled in batches of one
        self.assertTrue(self.outlet_b.current_agreement_id.reevaluation_id)

    def test_job_batches(self):
        Agreement = self.env["aftersales.outlet.agreement"]
        end = self.outlet_a.current_agreement_id.date_end
        with freeze_time(end - timedelta(days=10)):
            Agreement._cron_open_reevaluations(batch_size=1)
            handled = (self.outlet_a | self.outlet_b).agreement_ids.filtered("reevaluation_id")
            self.assertEqual(len(handled), 1)
            Agreement._cron_open_reevaluations(batch_size=1)
            handled = (self.outlet_a | self.outlet_b).agreement_ids.filtered("reevaluation_id")
            self.assertEqual(len(handled), 2)

    def test_failed_reevaluation_suspends(self):
        evaluation = self.env["aftersales.outlet.evaluation"].create(
            {
                "outlet_id": self.outlet_a.id,
                "kind": "reevaluation",
                "evaluator_ids": [Command.set(self.evaluator.ids)],
            }
        )
        evaluation.action_prepare_scores()
        evaluation.score_ids.score = 30
        evaluation.action_done()
        self.assertEqual(evaluation.result, "fail")
        evaluation.with_user(self.network_manager).action_approve()
        self.assertEqual(self.outlet_a.state, "suspended")
        self.assertEqual(self.outlet_a.letter_state, "withdrawn")
