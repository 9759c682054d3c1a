from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CertificationCase


@tagged("post_install", "-at_install")
class TestAccess(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = cls.create_certificate()
        cls.other_cert = cls.create_certificate(
            number="OTHER-1",
            company_id=cls.other_company.id,
            holder_id=cls.other_company.partner_id.id,
            user_id=cls.other_coordinator.id,
        )
        cls.app = cls.Application.create(
            {
                "certificate_id": cls.cert.id,
                "application_type": "change",
                "change_kind": "certificate_info",
                "new_registered_name": "新名称有限公司",
            }
        )

    def test_coordinator_manages(self):
        cert = self.cert.with_user(self.coordinator)
        cert.scope = "家用及商用空调器的售后服务"
        new = self.Certificate.with_user(self.coordinator).create(
            {
                "holder_id": self.company.partner_id.id,
                "body_id": self.body.id,
                "standard_id": self.iso9001.id,
                "number": "C-NEW",
                "issue_date": "2025-01-01",
                "expiry_date": "2027-12-31",
            }
        )
        self.assertEqual(new.company_id, self.company)
        app = self.app.with_user(self.coordinator)
        app.action_submit()
        self.env["aftersales.certification.standard"].with_user(self.coordinator).create(
            {"name": "Test scheme", "code": "TEST-1"}
        )
        self.assertTrue(cert.history_ids.with_user(self.coordinator).read(["old_scope"]))

    def test_after_sales_user_reads_only(self):
        cert = self.cert.with_user(self.as_user)
        self.assertEqual(cert.number, "NUC-SV-2024-0001")
        self.assertTrue(cert.audit_ids.read(["name"]))
        self.assertTrue(self.app.with_user(self.as_user).read(["name"]))
        with self.assertRaises(AccessError):
            cert.write({"scope": "x"})
        with self.assertRaises(AccessError):
            self.Certificate.with_user(self.as_user).create(
                {
                    "body_id": self.body.id,
                    "standard_id": self.iso9001.id,
                    "number": "U-1",
                    "issue_date": "2025-01-01",
                    "expiry_date": "2027-12-31",
                }
            )
        with self.assertRaises(AccessError):
            self.app.with_user(self.as_user).write({"state": "approved"})
        with self.assertRaises(AccessError):
            cert.unlink()

    def test_after_sales_manager_reads_only(self):
        # managing the after-sales desk is not managing the certificates
        cert = self.cert.with_user(self.manager)
        self.assertEqual(cert.state, "valid")
        with self.assertRaises(AccessError):
            cert.write({"scope": "x"})
        with self.assertRaises(AccessError):
            self.app.with_user(self.manager).action_submit()
        self.assertEqual(self.app.state, "draft")

    def test_history_cannot_be_forged(self):
        for user in (self.coordinator, self.as_user):
            with self.assertRaises(AccessError):
                self.env["aftersales.certificate.history"].with_user(user).create(
                    {"certificate_id": self.cert.id, "old_registered_name": "forged"}
                )

    def test_plain_employee_sees_nothing(self):
        for model in (
            "aftersales.certificate",
            "aftersales.certification.application",
            "aftersales.certification.audit",
            "aftersales.certification.calendar",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.employee).search([])

    def test_other_company(self):
        # the coordinator of the other company does not see this company's certificates
        visible = self.Certificate.with_user(self.other_coordinator).search([])
        self.assertIn(self.other_cert, visible)
        self.assertNotIn(self.cert, visible)
        with self.assertRaises(AccessError):
            self.cert.with_user(self.other_coordinator).read(["number"])
        with self.assertRaises(AccessError):
            self.app.with_user(self.other_coordinator).read(["name"])
        events = self.env["aftersales.certification.calendar"].with_user(self.other_coordinator)
        self.assertEqual(events.search([]).certificate_id, self.other_cert)
        # a coordinator of both companies sees both, when both are active
        both = self.Certificate.with_user(self.both_coordinator).with_context(
            allowed_company_ids=(self.company | self.other_company).ids
        )
        self.assertIn(self.other_cert, both.search([]))
        self.assertIn(self.cert, both.search([]))

    def test_views_load_for_readers_and_coordinators(self):
        views = {
            "aftersales.certificate": ["kanban", "list", "form", "search"],
            "aftersales.certification.audit": ["list", "form", "calendar", "search"],
            "aftersales.certification.application": ["kanban", "list", "form", "search"],
            "aftersales.certification.calendar": ["calendar", "list", "form", "search"],
            "aftersales.certification.scheme.notice": ["list", "form"],
            "aftersales.certification.transition.task": ["list", "form", "search"],
            "aftersales.certificate.history": ["list", "search"],
        }
        for user in (self.as_user, self.coordinator):
            for model, types in views.items():
                result = self.env[model].with_user(user).get_views([(False, t) for t in types])
                self.assertEqual(set(result["views"]), set(types), (user.login, model))
        # the coordinator's form shows the buttons a reader does not get
        form = self.Certificate.with_user(self.as_user).get_views([(False, "form")])
        self.assertNotIn("action_suspend", form["views"]["form"]["arch"])
        form = self.Certificate.with_user(self.coordinator).get_views([(False, "form")])
        self.assertIn("action_suspend", form["views"]["form"]["arch"])

    def test_menus(self):
        menus = self.env["ir.ui.menu"]
        root = self.env.ref("aftersales_certification.menu_aftersales_certification")
        config = self.env.ref("aftersales_certification.menu_aftersales_certification_config")
        self.assertIn(config.id, menus.with_user(self.coordinator)._visible_menu_ids())
        self.assertIn(root.id, menus.with_user(self.as_user)._visible_menu_ids())
        self.assertNotIn(config.id, menus.with_user(self.as_user)._visible_menu_ids())
        self.assertNotIn(root.id, menus.with_user(self.employee)._visible_menu_ids())
