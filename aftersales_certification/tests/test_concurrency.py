from datetime import date

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTwoWorkers(TransactionCase):
    """Two workers run the recertification job at the same time on committed data.

    The test cursor is not used: each worker is a real connection of its own, as two cron
    workers of a production server are; what they commit is removed at the end.
    """

    def setUp(self):
        super().setUp()
        self.db = db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            body = env["res.partner"].create({"name": "并发测试认证机构", "is_company": True})
            with freeze_time("2024-01-15"):
                cert = env["aftersales.certificate"].create(
                    {
                        "holder_id": env.company.partner_id.id,
                        "body_id": body.id,
                        "standard_id": env.ref("aftersales_certification.standard_iso_9001").id,
                        "number": "CONCURRENCY-1",
                        "issue_date": date(2024, 1, 15),
                        "expiry_date": date(2027, 1, 14),
                        "user_id": env.ref("base.user_admin").id,
                    }
                )
            self.cert_id, self.body_id = cert.id, body.id
            # the workers are other connections: they only see committed data
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cert = env["aftersales.certificate"].browse(self.cert_id)
            env["aftersales.certification.application"].search(
                [("certificate_id", "=", cert.id)]
            ).unlink()
            cert.audit_ids.unlink()
            cert.unlink()
            env["res.partner"].browse(self.body_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _job(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        return env["aftersales.certification.application"]._open_recertification_applications()

    def _applications(self):
        with self.db.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM aftersales_certification_application "
                "WHERE certificate_id = %s AND application_type = 'recertification'",
                [self.cert_id],
            )
            return cr.fetchone()[0]

    def test_second_worker_skips_the_locked_certificate(self):
        with freeze_time("2026-09-14"), self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            opened_a = self._job(cr_a)
            self.assertIn(self.cert_id, opened_a.certificate_id.ids)
            # worker A has not committed yet: worker B skips the row A holds
            opened_b = self._job(cr_b)
            self.assertNotIn(self.cert_id, opened_b.certificate_id.ids)
            cr_a.commit()
            # B's snapshot predates A's commit: locking the row A changed fails, so B rolls
            # back (the cron retries later) rather than opening a second application
            with self.assertRaises(SerializationFailure), mute_logger("odoo.sql_db"):
                self._job(cr_b)
            cr_b.rollback()
            # a worker starting afterwards finds nothing left to open
            self.assertFalse(self._job(cr_b))
            cr_b.commit()
        self.assertEqual(self._applications(), 1)
