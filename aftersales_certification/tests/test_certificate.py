from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import INVALID_USCC, OTHER_VALID_USCC, VALID_USCC, CertificationCase


@tagged("post_install", "-at_install")
class TestCertificate(CertificationCase):
    def test_recertification_due_three_months_before_expiry(self):
        cert = self.create_certificate()
        self.assertEqual(cert.recertification_due_date, date(2026, 10, 14))

    def test_state_around_the_three_month_limit(self):
        cert = self.create_certificate()
        self.assertEqual(cert.state, "valid")
        # the day before the three-month limit: still valid, the job leaves it alone
        with freeze_time("2026-10-13"):
            self.Certificate._cron_update_states()
            self.assertEqual(cert.state, "valid")
        # on the day after the limit the certificate is expiring
        with freeze_time("2026-10-15"):
            self.Certificate._cron_update_states()
            self.assertEqual(cert.state, "expiring")
        # the day after the expiry date it is expired
        with freeze_time("2027-01-14"):
            self.Certificate._cron_update_states()
            self.assertEqual(cert.state, "expiring")
        with freeze_time("2027-01-15"):
            self.Certificate._cron_update_states()
            self.assertEqual(cert.state, "expired")

    def test_state_job_in_batches(self):
        certs = self.Certificate
        for index in range(5):
            certs |= self.create_certificate(number=f"B-{index}")
        with freeze_time("2026-11-01"):
            first = self.Certificate._cron_update_states(batch_size=2)
            self.assertEqual(len(first), 2)
            self.assertEqual(
                len(certs.filtered(lambda c: c.state == "expiring")), 2, "only one batch"
            )
            self.Certificate._cron_update_states(batch_size=2)
            self.Certificate._cron_update_states(batch_size=2)
            self.assertEqual(set(certs.mapped("state")), {"expiring"})
            # nothing left: running again changes nothing
            self.assertFalse(self.Certificate._cron_update_states(batch_size=2))

    def test_state_job_query_budget(self):
        for index in range(10):
            self.create_certificate(number=f"Q-{index}")
        with freeze_time("2026-11-01"):
            self.env.invalidate_all()
            with self.assertQueryCount(12):
                self.Certificate._cron_update_states()

    @freeze_time("2025-06-01")
    def test_suspend_withdraw_reinstate(self):
        cert = self.create_certificate()
        cert.action_suspend()
        self.assertEqual(cert.state, "suspended")
        cert.action_reinstate()
        self.assertEqual(cert.state, "valid")
        cert.action_withdraw()
        self.assertEqual(cert.state, "withdrawn")
        with self.assertRaises(UserError):
            cert.action_reinstate()
        self.assertEqual(cert.state, "withdrawn")

    def test_uscc_check_character(self):
        cert = self.create_certificate()
        self.assertEqual(cert.registered_code, VALID_USCC)
        # spaces and lower case are normalised
        cert.registered_code = "9133 0110 ma2j 4l8q 2j"
        self.assertEqual(cert.registered_code, OTHER_VALID_USCC)
        # a wrong check character, a wrong length: refused, nothing changes
        for bad in (INVALID_USCC, "91330105MA2H3K7P1", "ABCDEFGHIJKLMNOPQR"):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                cert.registered_code = bad
                cert.flush_recordset()
        cert.invalidate_recordset()
        self.assertEqual(cert.registered_code, OTHER_VALID_USCC)
        with self.assertRaises(ValidationError):
            self.create_certificate(number="X", registered_code=INVALID_USCC)

    def test_history_keeps_former_printed_data(self):
        cert = self.create_certificate()
        self.assertFalse(cert.history_ids)
        cert.write({"registered_name": "杭州恒达智能电器有限公司", "scope": "家用空调器的售后服务"})
        self.assertEqual(len(cert.history_ids), 1, "an unchanged value is no change")
        history = cert.history_ids
        self.assertEqual(history.old_registered_name, "杭州恒达电器有限公司")
        self.assertFalse(history.old_scope)
        self.assertEqual(cert.history_count, 1)
        # the same date given as a string is no change
        cert.write({"expiry_date": "2027-01-14", "issue_date": "2024-01-15"})
        self.assertEqual(len(cert.history_ids), 1)
        # a field that is not printed leaves no history
        cert.note = "<p>scan received</p>"
        self.assertEqual(len(cert.history_ids), 1)

    def test_star_level_required_for_gbt_27922(self):
        with self.assertRaises(ValidationError):
            self.create_certificate(number="S", star_level=False)
        cert = self.create_certificate(number="ISO", standard_id=self.iso9001.id, star_level=False)
        self.assertFalse(cert.star_level)

    def test_expiry_after_issue(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.create_certificate(number="D", expiry_date=date(2023, 1, 1))

    def test_surveillance_audits_planned_on_issue(self):
        cert = self.create_certificate()
        audits = cert.audit_ids.filtered(lambda a: a.audit_type == "surveillance")
        self.assertEqual(
            sorted(audits.mapped("planned_date")), [date(2025, 1, 15), date(2026, 1, 15)]
        )
        self.assertEqual(set(audits.mapped("user_id")), {self.coordinator})
        # planning again (a date corrected) does not duplicate them
        cert.issue_date = date(2024, 1, 20)
        self.assertEqual(len(cert.audit_ids), 2)
        # a longer validity gets one audit per year
        long_cert = self.create_certificate(number="L", expiry_date=date(2029, 1, 14))
        self.assertEqual(len(long_cert.audit_ids), 4)

    def test_form_proposes_holder_data_and_expiry(self):
        with freeze_time("2025-03-01"):
            form = Form(self.Certificate.with_user(self.coordinator))
            form.holder_id = self.company.partner_id
            form.body_id = self.body
            form.standard_id = self.gbt
            form.star_level = "4"
            form.number = "F-1"
            form.issue_date = date(2025, 3, 1)
            self.assertEqual(form.expiry_date, date(2028, 2, 29))
            self.assertEqual(form.registered_name, "杭州恒达电器有限公司")
            self.assertEqual(form.registered_code, VALID_USCC)
            self.assertEqual(form.registered_address, "浙江省杭州市拱墅区莫干山路1418号")
            cert = form.save()
        self.assertEqual(cert.state, "valid")
