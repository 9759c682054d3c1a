from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import INVALID_USCC, OTHER_VALID_USCC, VALID_USCC, CertificationCase


@tagged("post_install", "-at_install")
class TestApplication(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = cls.create_certificate()
        cls.App = cls.Application.with_user(cls.coordinator)

    def _change(self, **values):
        vals = {
            "certificate_id": self.cert.id,
            "application_type": "change",
            "change_kind": "certificate_info",
        }
        vals.update(values)
        return self.App.create(vals)

    def test_approved_change_updates_certificate_and_history(self):
        app = self._change(
            new_registered_name="杭州恒达智能电器有限公司",
            new_registered_code=OTHER_VALID_USCC,
            new_registered_address="浙江省杭州市余杭区良渚街道好运街168号",
        )
        self.assertTrue(app.name.startswith("CAP/"))
        app.action_submit()
        self.assertEqual(app.state, "submitted")
        self.assertTrue(app.submitted_date)
        app.action_start_review()
        self.assertEqual(app.state, "review")
        # the certificate does not change before the body decides
        self.assertEqual(self.cert.registered_name, "杭州恒达电器有限公司")
        app.decision_reference = "NUC-BG-2026-031"
        app.action_approve()
        self.assertEqual(app.state, "approved")
        self.assertTrue(app.decision_date)
        self.assertEqual(self.cert.registered_name, "杭州恒达智能电器有限公司")
        self.assertEqual(self.cert.registered_code, OTHER_VALID_USCC)
        self.assertEqual(self.cert.registered_address, "浙江省杭州市余杭区良渚街道好运街168号")
        history = self.cert.history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(history.application_id, app)
        self.assertEqual(history.old_registered_name, "杭州恒达电器有限公司")
        self.assertEqual(history.old_registered_code, VALID_USCC)
        self.assertEqual(history.old_registered_address, "浙江省杭州市拱墅区莫干山路1418号")
        self.assertEqual(app.history_ids, history)

    def test_rejected_change_leaves_certificate(self):
        app = self._change(new_registered_name="新名称有限公司")
        app.action_submit()
        with self.assertRaises(UserError):
            app.action_reject()  # no decision reference yet
        self.assertEqual(app.state, "submitted")
        app.decision_reference = "R-1"
        app.action_reject()
        self.assertEqual(app.state, "rejected")
        self.assertEqual(self.cert.registered_name, "杭州恒达电器有限公司")
        self.assertFalse(self.cert.history_ids)
        app.action_reset_draft()
        self.assertEqual(app.state, "draft")

    def test_kind_a_needs_a_new_value(self):
        app = self._change(new_registered_name="杭州恒达电器有限公司")  # same as printed
        with self.assertRaises(UserError):
            app.action_submit()
        self.assertEqual(app.state, "draft")
        self.assertFalse(app.submitted_date)

    def test_new_code_is_validated(self):
        with self.assertRaises(ValidationError):
            self._change(new_registered_code=INVALID_USCC)
        app = self._change(new_registered_code=OTHER_VALID_USCC.lower())
        self.assertEqual(app.new_registered_code, OTHER_VALID_USCC)

    def test_kind_b_needs_impact(self):
        app = self._change(change_kind="service_provision", description="合并部门")
        with self.assertRaises(UserError):
            app.action_submit()
        app.write({"provision_area": "organisation", "impact_description": "流程调整"})
        app.action_submit()
        self.assertEqual(app.state, "submitted")

    def test_kind_c_needs_description(self):
        app = self._change(change_kind="certified_service")
        with self.assertRaises(UserError):
            app.action_submit()
        app.description = "增加商用空调的安装服务"
        app.action_submit()
        self.assertEqual(app.state, "submitted")

    def test_change_needs_a_kind(self):
        with self.assertRaises(ValidationError):
            self._change(change_kind=False)

    def test_wrong_state_transitions(self):
        app = self._change(new_registered_name="新名称有限公司")
        for method in (
            "action_start_review",
            "action_approve",
            "action_reject",
            "action_reset_draft",
        ):
            with self.assertRaises(UserError):
                getattr(app, method)()
            self.assertEqual(app.state, "draft")
        app.action_submit()
        with self.assertRaises(UserError):
            app.action_submit()

    def test_recertification_approval_starts_a_new_cycle(self):
        app = self.App.create(
            {"certificate_id": self.cert.id, "application_type": "recertification"}
        )
        self.assertEqual(app.due_date, self.cert.recertification_due_date)
        self.assertEqual(app.cycle_expiry_date, self.cert.expiry_date)
        self.assertEqual(self.cert.recertification_application_id, app)
        with freeze_time("2026-10-01"):
            app.action_submit()
        audit = self.cert.audit_ids.filtered(lambda a: a.audit_type == "recertification")
        self.assertEqual(audit.planned_date, date(2026, 12, 15), "a month before expiry")
        app.write(
            {
                "decision_reference": "NUC-ZS-2027-001",
                "new_number": "NUC-SV-2027-0001",
                "new_issue_date": "2027-01-15",
                "new_expiry_date": "2030-01-14",
            }
        )
        app.action_approve()
        self.assertEqual(self.cert.number, "NUC-SV-2027-0001")
        self.assertEqual(str(self.cert.expiry_date), "2030-01-14")
        self.assertFalse(self.cert.recertification_application_id)
        self.assertEqual(self.cert.history_ids.old_number, "NUC-SV-2024-0001")
        # the surveillance audits of the new cycle are planned
        planned = self.cert.audit_ids.filtered(lambda a: a.audit_type == "surveillance")
        self.assertEqual(len(planned), 4)

    def test_recertification_audit_planned_once(self):
        app = self.App.create(
            {"certificate_id": self.cert.id, "application_type": "recertification"}
        )
        with freeze_time("2026-10-01"):
            app.action_submit()
            app.decision_reference = "R-2"
            app.action_reject()
            app.action_reset_draft()
            app.action_submit()
        audits = self.cert.audit_ids.filtered(lambda a: a.audit_type == "recertification")
        self.assertEqual(len(audits), 1)

    def test_form_onchange_recertification(self):
        form = Form(self.App)
        form.certificate_id = self.cert
        form.application_type = "recertification"
        self.assertEqual(form.due_date, self.cert.recertification_due_date)
        self.assertEqual(form.user_id, self.coordinator)
        app = form.save()
        self.assertFalse(app.change_kind)

    def test_letter_renders(self):
        app = self._change(new_registered_address="浙江省杭州市余杭区良渚街道好运街168号")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_certification.report_application_letter", app.ids)[0]
            .decode()
        )
        self.assertIn("浙江省杭州市余杭区良渚街道好运街168号", html)
        self.assertIn("浙江省杭州市拱墅区莫干山路1418号", html)
        self.assertIn(self.cert.number, html)
        self.assertTrue("Application for Change" in html, "the letter has its title")
        action = app.action_print_letter()
        self.assertEqual(
            action["report_name"], "aftersales_certification.report_application_letter"
        )
