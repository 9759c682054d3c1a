from datetime import date

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure, UniqueViolation

from odoo import SUPERUSER_ID, Command, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

# far from the demo data's dates: only this test's agreement is due then
AGREEMENT_START = date(2040, 1, 1)
AGREEMENT_END = date(2040, 12, 31)


@tagged("post_install", "-at_install")
class TestTwoWorkers(TransactionCase):
    """Two workers run the network's jobs at the same time on committed data.

    Each worker is a connection of its own, as two cron workers of a production server are;
    what they commit is removed at the end.
    """

    def setUp(self):
        super().setUp()
        self.db = db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            partner = env["res.partner"].create({"name": "并发测试服务网点", "is_company": True})
            outlet = env["aftersales.outlet"].create(
                {
                    "name": "并发测试服务网点",
                    "code": "CONCURRENCY-1",
                    "partner_id": partner.id,
                    "state": "approved",
                    "level_ids": [Command.set(env.ref("aftersales_network.outlet_level_1").ids)],
                }
            )
            agreement = env["aftersales.outlet.agreement"].create(
                {
                    "outlet_id": outlet.id,
                    "date_start": AGREEMENT_START,
                    "date_end": AGREEMENT_END,
                    "monthly_report_required": True,
                }
            )
            agreement.action_sign()
            self.partner_id, self.outlet_id, self.agreement_id = (
                partner.id,
                outlet.id,
                agreement.id,
            )
            # the workers are other connections: they only see committed data
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.db.cursor() as cr:
            params = {"outlet": self.outlet_id, "agreement": self.agreement_id}
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'aftersales.outlet.agreement' "
                "AND res_id = %(agreement)s",
                params,
            )
            cr.execute(
                "UPDATE aftersales_outlet_agreement SET reevaluation_id = NULL "
                "WHERE id = %(agreement)s",
                params,
            )
            cr.execute(
                "DELETE FROM aftersales_outlet_evaluation WHERE outlet_id = %(outlet)s", params
            )
            cr.execute("DELETE FROM aftersales_outlet_report WHERE outlet_id = %(outlet)s", params)
            cr.execute(
                "DELETE FROM aftersales_outlet_agreement WHERE outlet_id = %(outlet)s", params
            )
            cr.execute("DELETE FROM aftersales_outlet WHERE id = %(outlet)s", params)
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.partner"].browse(self.partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _count(self, table, column, value):
        with self.db.cursor() as cr:
            # table and column are this test's constants
            cr.execute(f"SELECT count(*) FROM {table} WHERE {column} = %s", [value])  # noqa: S608
            return cr.fetchone()[0]

    def _reevaluation_job(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        Agreement = env["aftersales.outlet.agreement"]
        Agreement._cron_open_reevaluations()
        return Agreement.browse(self.agreement_id).reevaluation_id

    def _report_job(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        reports = env["aftersales.outlet.report"]._cron_generate_monthly()
        return reports.filtered(lambda r: r.outlet_id.id == self.outlet_id)

    def test_second_worker_skips_the_locked_agreement(self):
        with (
            freeze_time("2040-12-20"),
            self.db.cursor() as cr_a,
            self.db.cursor() as cr_b,
        ):
            self.assertTrue(self._reevaluation_job(cr_a))
            # worker A has not committed yet: worker B skips the agreement A holds
            self.assertFalse(self._reevaluation_job(cr_b))
            cr_a.commit()
            # B's snapshot predates A's commit: locking the row A changed fails, so B rolls
            # back (the cron retries later) rather than opening a second re-evaluation
            with self.assertRaises(SerializationFailure), mute_logger("odoo.sql_db"):
                self._reevaluation_job(cr_b)
            cr_b.rollback()
            # a worker starting afterwards finds the re-evaluation already opened
            evaluation = self._reevaluation_job(cr_b)
            cr_b.commit()
        self.assertTrue(evaluation)
        self.assertEqual(
            self._count("aftersales_outlet_evaluation", "outlet_id", self.outlet_id), 1
        )

    def test_second_worker_skips_the_locked_outlet(self):
        with freeze_time("2040-06-10"), self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            report = self._report_job(cr_a)
            self.assertEqual(report.date_from, date(2040, 5, 1))
            # worker A holds the outlet: worker B skips it
            self.assertFalse(self._report_job(cr_b))
            cr_a.commit()
            # B's snapshot predates A's commit: the unique constraint refuses its report
            with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
                self._report_job(cr_b)
            cr_b.rollback()
            # a worker starting afterwards finds the month reported
            self.assertFalse(self._report_job(cr_b))
            cr_b.commit()
        self.assertEqual(self._count("aftersales_outlet_report", "outlet_id", self.outlet_id), 1)
