"""Two workers running a scheduled job at the same time, as two cron workers of a server do.

Each worker is a connection of its own and only sees committed data, so the records a test
gives the job are committed, and removed again at the end of the test.
"""

from contextlib import contextmanager

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase
from odoo.tools import SQL

WORKER_CONTEXT = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


class TwoWorkersCase(TransactionCase):
    """A job that sends something gives each record one reminder, whatever two workers do."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(self.env.cr.dbname)
        self._committed = []
        self.addCleanup(self._remove_committed)

    @contextmanager
    def committed(self):
        """An environment whose work is committed; :meth:`keep` what must be removed later."""
        with self.db.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, dict(WORKER_CONTEXT))
            cr.commit()  # pylint: disable=invalid-commit

    def keep(self, records):
        """Remove ``records`` at the end of the test (the last kept are removed first)."""
        self._committed.append((records._name, records.ids))
        return records

    def _remove_committed(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(WORKER_CONTEXT))
            for model, ids in reversed(self._committed):
                records = env[model].with_context(active_test=False).browse(ids).exists()
                env["mail.activity"].with_context(active_test=False).search(
                    [("res_model", "=", model), ("res_id", "in", records.ids)]
                ).unlink()
                try:
                    with cr.savepoint():
                        records.unlink()
                except (UserError, ValidationError, AccessError, psycopg2.Error):
                    # a record the flow no longer lets anybody delete (e.g. a published
                    # policy): this test's own rows go directly
                    ids = tuple(records.ids)
                    cr.execute(
                        "DELETE FROM mail_message WHERE model = %s AND res_id IN %s", [model, ids]
                    )
                    cr.execute(
                        SQL("DELETE FROM %s WHERE id IN %s", SQL.identifier(records._table), ids)
                    )
            cr.commit()  # pylint: disable=invalid-commit

    def reminders(self, records, activity_type):
        """{record id: {user id: activities}} of ``activity_type`` on ``records``, committed."""
        with self.db.cursor() as cr:
            cr.execute(
                "SELECT res_id, user_id, count(*) FROM mail_activity WHERE res_model = %s "
                "AND res_id IN %s AND activity_type_id = %s GROUP BY res_id, user_id",
                [records._name, tuple(records.ids), activity_type.id],
            )
            rows = cr.fetchall()
        counts = {record_id: {} for record_id in records.ids}
        for res_id, user_id, count in rows:
            counts[res_id][user_id] = count
        return counts

    def run_two_workers(self, job):
        """Two workers run ``job(env)`` at once, then a third after both committed.

        Worker A takes its batch and has not committed when worker B runs the same job: B
        must leave A's records alone (a job that only searched would handle them a second
        time, and B's commit would keep it). A worker starting after both committed finds
        nothing left to do.
        """
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            job(api.Environment(cr_a, SUPERUSER_ID, dict(WORKER_CONTEXT)))
            job(api.Environment(cr_b, SUPERUSER_ID, dict(WORKER_CONTEXT)))
            cr_b.commit()  # pylint: disable=invalid-commit
            cr_a.commit()  # pylint: disable=invalid-commit
            job(api.Environment(cr_b, SUPERUSER_ID, dict(WORKER_CONTEXT)))
            cr_b.commit()  # pylint: disable=invalid-commit

    def assertOneReminderEach(self, job, records, activity_type):
        """Two workers run ``job(env)`` (:meth:`run_two_workers`): each of ``records`` has a
        reminder of ``activity_type``, and none has two for the same user."""
        self.run_two_workers(job)
        for record_id, by_user in self.reminders(records, activity_type).items():
            self.assertTrue(by_user, f"{records._name}({record_id}) was not reminded")
            self.assertEqual(
                set(by_user.values()), {1}, f"{records._name}({record_id}) reminded twice"
            )
