from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SupervisionCase


@tagged("post_install", "-at_install")
class TestOutletReportPortal(HttpCase, SupervisionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Report = cls.env["aftersales.outlet.report"]
        cls.report_a, cls.report_b = Report.create(
            [
                {"outlet_id": outlet.id, "date_from": cls.month_start, "date_to": cls.month_end}
                for outlet in (cls.outlet_a, cls.outlet_b)
            ]
        )
        cls.report_b.outlet_remarks = "Suzhou remarks"

    def _xlsx(self, report):
        with mute_logger("odoo.http"):
            return self.url_open(f"/aftersales/xlsx/aftersales.outlet.report?ids={report.id}")

    def test_list_view_and_submit(self):
        self.authenticate("net_portal_a", "net_portal_a")
        response = self.url_open("/my/outlet/reports")
        self.assertIn(self.report_a.name, response.text)
        self.assertNotIn(self.report_b.name, response.text)
        response = self.url_open(f"/my/outlet/report/{self.report_a.id}")
        self.assertIn("Submit the Report", response.text)
        self.url_open(
            f"/my/outlet/report/{self.report_a.id}/submit",
            data={"csrf_token": http.Request.csrf_token(self), "remarks": "One seal short"},
        )
        self.assertEqual(
            (self.report_a.state, self.report_a.outlet_remarks), ("submitted", "One seal short")
        )

    def test_other_outlet_refused(self):
        self.authenticate("net_portal_a", "net_portal_a")
        response = self.url_open(f"/my/outlet/report/{self.report_b.id}")
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Suzhou remarks", response.text)
        self.url_open(
            f"/my/outlet/report/{self.report_b.id}/submit",
            data={"csrf_token": http.Request.csrf_token(self), "remarks": "Not ours"},
        )
        self.assertEqual(self.report_b.state, "draft")
        # the record rules refuse another outlet's report
        self.assertEqual(self._xlsx(self.report_b).status_code, 403)
        response = self._xlsx(self.report_a)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        self.assertIn("spreadsheetml", response.headers["Content-Type"])

    def test_xlsx_from_the_back_office(self):
        self.authenticate("net_manager", "net_manager")
        self.assertEqual(self._xlsx(self.report_b).status_code, 200)
        missing = self.url_open("/aftersales/xlsx/aftersales.outlet.report?ids=999999")
        self.assertEqual(missing.status_code, 404)
