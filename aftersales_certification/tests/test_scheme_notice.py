from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CertificationCase


@tagged("post_install", "-at_install")
class TestSchemeNotice(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = cls.create_certificate()
        cls.cert2 = cls.create_certificate(number="NUC-SV-2024-0002")
        cls.iso = cls.create_certificate(
            number="ISO-1", standard_id=cls.iso9001.id, star_level=False
        )
        cls.Notice = cls.env["aftersales.certification.scheme.notice"].with_user(cls.coordinator)
        cls.Task = cls.env["aftersales.certification.transition.task"]

    def _notice(self, certs):
        return self.Notice.create(
            {
                "name": "售后服务认证实施规则换版",
                "body_id": self.body.id,
                "standard_id": self.gbt.id,
                "transition_deadline": "2026-06-30",
                "certificate_ids": [(6, 0, certs.ids)],
            }
        )

    def test_form_proposes_the_affected_certificates(self):
        form = Form(self.Notice)
        form.name = "换版通知"
        form.body_id = self.body
        form.standard_id = self.gbt
        form.transition_deadline = "2026-06-30"
        notice = form.save()
        self.assertEqual(notice.certificate_ids, self.cert | self.cert2)

    def test_confirm_creates_the_transition_tasks(self):
        notice = self._notice(self.cert | self.cert2)
        notice.action_confirm()
        self.assertEqual(notice.state, "confirmed")
        self.assertEqual(notice.task_ids.certificate_id, self.cert | self.cert2)
        self.assertEqual(set(notice.task_ids.mapped("deadline")), {notice.transition_deadline})
        self.assertTrue(all(task.activity_ids for task in notice.task_ids))
        # the job finds nothing more to do: no duplicates
        self.assertFalse(self.Notice._cron_transition_tasks())
        self.assertEqual(len(notice.task_ids), 2)
        with self.assertRaises(UserError):
            notice.action_done()  # tasks open
        notice.task_ids.with_user(self.coordinator).action_done()
        notice.action_done()
        self.assertEqual(notice.state, "done")

    def test_job_creates_tasks_for_added_certificates_once(self):
        notice = self._notice(self.cert)
        notice.action_confirm()
        notice.certificate_ids = [(4, self.iso.id)]
        self.assertFalse(notice.tasks_created)
        tasks = self.Notice._cron_transition_tasks()
        self.assertEqual(tasks.certificate_id, self.iso)
        self.assertFalse(self.Notice._cron_transition_tasks())
        self.assertEqual(len(notice.task_ids), 2)

    def test_job_in_batches(self):
        notices = self.Notice
        for _index in range(3):
            notice = self._notice(self.cert)
            notice.write({"state": "confirmed"})  # as if confirmed by another worker
            notices |= notice
        first = self.Notice._cron_transition_tasks(batch_size=2)
        self.assertEqual(len(first), 2)
        second = self.Notice._cron_transition_tasks(batch_size=2)
        self.assertEqual(len(second), 1)
        self.assertEqual(len(notices.task_ids), 3)

    def test_one_task_per_notice_and_certificate(self):
        notice = self._notice(self.cert)
        notice.action_confirm()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Task.create(
                {"name": "dup", "notice_id": notice.id, "certificate_id": self.cert.id}
            )
            self.env.flush_all()

    def test_confirm_needs_certificates(self):
        notice = self._notice(self.Certificate)
        with self.assertRaises(UserError):
            notice.action_confirm()
        self.assertEqual(notice.state, "draft")
