from datetime import date

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OTHER_VALID_USCC, CertificationCase


@tagged("post_install", "-at_install")
class TestCompanyChange(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.env.cr.savepoint():
            cls.cert = cls.create_certificate(today="2025-06-01")
            cls.iso = cls.create_certificate(
                today="2025-06-01",
                number="ISO-1",
                standard_id=cls.iso9001.id,
                star_level=False,
                registered_address="杭州市拱墅区莫干山路1418号",
            )
            # an expired certificate is not changed any more
            cls.expired = cls.create_certificate(
                today="2025-06-01",
                number="OLD-1",
                issue_date=date(2021, 1, 1),
                expiry_date=date(2023, 12, 31),
            )
            # a certificate of an outlet does not print the company's data
            cls.outlet = cls.env["res.partner"].create({"name": "宁波网点", "is_company": True})
            cls.outlet_cert = cls.create_certificate(
                today="2025-06-01",
                number="OUT-1",
                holder_id=cls.outlet.id,
                registered_name="宁波网点",
                registered_address="浙江省宁波市鄞州区天童南路1号",
            )

    def _proposals(self, cert=None):
        domain = [("origin", "=", "company_change"), ("change_kind", "=", "certificate_info")]
        if cert:
            domain.append(("certificate_id", "=", cert.id))
        return self.Application.search(domain)

    def test_address_change_proposes_applications(self):
        self.company.write({"street": "余杭区良渚街道好运街168号"})
        app = self._proposals(self.cert)
        self.assertEqual(len(app), 1)
        self.assertEqual(app.state, "draft")
        self.assertEqual(app.new_registered_address, "浙江省杭州市余杭区良渚街道好运街168号")
        self.assertFalse(app.new_registered_name)
        self.assertFalse(app.new_registered_code)
        self.assertEqual(app.activity_ids.user_id, self.coordinator)
        # the certificate printing the address without the province is found too
        self.assertEqual(len(self._proposals(self.iso)), 1)
        self.assertFalse(self._proposals(self.expired))
        self.assertFalse(self._proposals(self.outlet_cert))
        # the certificate itself only changes once the body approves
        self.assertEqual(self.cert.registered_address, "浙江省杭州市拱墅区莫干山路1418号")

    def test_second_change_updates_the_pending_proposal(self):
        self.company.write({"street": "余杭区良渚街道好运街168号"})
        self.company.write({"name": "杭州恒达智能电器有限公司"})
        app = self._proposals(self.cert)
        self.assertEqual(len(app), 1, "one pending proposal per certificate")
        self.assertEqual(app.new_registered_name, "杭州恒达智能电器有限公司")
        self.assertEqual(app.new_registered_address, "浙江省杭州市余杭区良渚街道好运街168号")

    def test_database_refuses_a_second_pending_proposal(self):
        self.company.write({"street": "余杭区良渚街道好运街168号"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Application.create(
                {
                    "certificate_id": self.cert.id,
                    "change_kind": "certificate_info",
                    "origin": "company_change",
                    "new_registered_name": "x",
                }
            )
            self.env.flush_all()

    def test_registry_code_change(self):
        self.company.company_registry = OTHER_VALID_USCC
        app = self._proposals(self.cert)
        self.assertEqual(app.new_registered_code, OTHER_VALID_USCC)
        self.assertFalse(app.new_registered_name)

    def test_unrelated_change_proposes_nothing(self):
        self.company.write({"phone": "+86 571 8888 8888", "email": "service@example.com"})
        self.assertFalse(self._proposals())

    def test_change_through_the_company_contact(self):
        self.company.partner_id.write({"name": "杭州恒达智能电器有限公司"})
        app = self._proposals(self.cert)
        self.assertEqual(app.new_registered_name, "杭州恒达智能电器有限公司")

    def test_change_by_an_administrator_who_is_not_coordinator(self):
        admin = self.env["res.users"].create(
            {
                "name": "系统管理员",
                "login": "cert_sysadmin",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("base.group_system").id,
                            self.env.ref("base.group_partner_manager").id,
                        ],
                    )
                ],
            }
        )
        self.company.with_user(admin).write({"street": "余杭区良渚街道好运街168号"})
        self.assertTrue(self._proposals(self.cert))

    def test_approving_the_proposal_updates_certificate_and_history(self):
        self.company.write({"street": "余杭区良渚街道好运街168号"})
        app = self._proposals(self.cert).with_user(self.coordinator)
        app.action_submit()
        app.decision_reference = "NUC-BG-1"
        app.action_approve()
        self.assertEqual(self.cert.registered_address, "浙江省杭州市余杭区良渚街道好运街168号")
        self.assertEqual(
            self.cert.history_ids.old_registered_address, "浙江省杭州市拱墅区莫干山路1418号"
        )
