import io

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import OTHER_VALID_USCC, CertificationCase


@tagged("post_install", "-at_install")
class TestReports(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = cls.create_certificate()
        cls.iso = cls.create_certificate(
            number="ISO-1",
            standard_id=cls.iso9001.id,
            star_level=False,
            registered_code=OTHER_VALID_USCC,
        )

    def test_register_xlsx(self):
        fileobj = io.BytesIO()
        self.Certificate.with_user(self.as_user)._xlsx_export(
            [("id", "in", (self.cert | self.iso).ids)], fileobj
        )
        sheet = openpyxl.load_workbook(io.BytesIO(fileobj.getvalue())).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Certificate Number")
        self.assertEqual(len(rows), 3)
        by_number = {row[0]: row for row in rows[1:]}
        gbt = by_number["NUC-SV-2024-0001"]
        self.assertEqual(gbt[2], "Five Stars")
        self.assertEqual(gbt[6], "91330105MA2H3K7P10")
        self.assertEqual(gbt[10].date().isoformat(), "2027-01-14")
        self.assertEqual(gbt[12], "Valid")
        self.assertEqual(by_number["ISO-1"][6], OTHER_VALID_USCC)

    def test_register_action(self):
        action = (self.cert | self.iso).action_export_register()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(
            action["url"],
            f"/aftersales/xlsx/aftersales.certificate?ids={self.cert.id},{self.iso.id}",
        )
        self.assertEqual(action["target"], "download")

    def test_letter_pdf(self):
        app = self.Application.create(
            {
                "certificate_id": self.cert.id,
                "application_type": "change",
                "change_kind": "certificate_info",
                "new_registered_address": "浙江省杭州市余杭区良渚街道好运街168号",
            }
        )
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = reports._render_qweb_pdf(
            "aftersales_certification.report_application_letter", app.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestRegisterDownload(HttpCase):
    def test_download_route(self):
        self.authenticate("admin", "admin")
        response = self.url_open("/aftersales/xlsx/aftersales.certificate")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(workbook.active.cell(1, 1).value, "Certificate Number")

    def test_download_refused_without_access(self):
        new_test_user(self.env, "cert_http_employee", groups="base.group_user")
        self.authenticate("cert_http_employee", "cert_http_employee")
        with mute_logger("odoo.http"):
            response = self.url_open("/aftersales/xlsx/aftersales.certificate")
        self.assertEqual(response.status_code, 403)

    def test_register_menu_is_gone(self):
        # the register is an action on the certificates, not a menu that only downloads
        self.assertFalse(
            self.env.ref(
                "aftersales_certification.menu_aftersales_certificate_register",
                raise_if_not_found=False,
            )
        )
