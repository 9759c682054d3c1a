import io
import json
from datetime import datetime
from urllib.parse import urlencode

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .complaint_common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintOutput(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaints = cls.env["aftersales.ticket"]
        for index, (category, severity) in enumerate(
            [("quality", "severe"), ("non_quality", "minor"), ("other", "minor")]
        ):
            cls.complaints |= cls.env["aftersales.ticket"].create(
                {
                    "title": f"Complaint {index}",
                    "partner_id": cls.customer.id,
                    "team_id": cls.team.id,
                    "ticket_type_id": cls.type_complaint.id,
                    "complaint_category": category,
                    "severity": severity,
                    "product_id": cls.product.id,
                    "quantity": 10,
                    "defective_qty": index + 1,
                    "customer_request": "Replacement",
                    "responsible_department_id": cls.dep_technical.id,
                    "root_cause": f"Cause {index}",
                    "root_cause_category": "manufacturing",
                    "is_our_cause": index != 2,
                    "appraisal_result": "Site atmosphere" if index == 2 else False,
                    "final_solution": f"Solution {index}",
                }
            )
        cls.env["aftersales.corrective.action"].create(
            [
                {"name": "Open action", "ticket_id": cls.complaints[0].id},
                {"name": "Another", "ticket_id": cls.complaints[0].id},
            ]
        )
        cls.consultation = cls.env["aftersales.ticket"].create(
            {"title": "Not a complaint", "partner_id": cls.customer.id, "team_id": cls.team.id}
        )

    def _register(self, domain, user=None, batch_size=2):
        stream = io.BytesIO()
        Ticket = self.env["aftersales.ticket"].with_user(user or self.user)
        count = Ticket._write_complaint_register(domain, stream, batch_size=batch_size)
        stream.seek(0)
        return count, openpyxl.load_workbook(stream, read_only=True).active

    def test_register_xlsx_content(self):
        count, sheet = self._register([("partner_id", "=", self.customer.id)])
        self.assertEqual(count, 3)  # the consultation is no complaint
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("客户投诉登记表", rows[0][0])
        header = rows[2]
        for label in (
            "Reference",
            "Order Number",
            "Part Number",
            "Shipping Date",
            "Quantity",
            "Defective Quantity",
            "Customer Asks For",
            "Root Cause",
            "Final Solution",
        ):
            self.assertIn(label, header)
        data = {
            row[header.index("Reference")]: dict(zip(header, row, strict=True)) for row in rows[3:]
        }
        self.assertEqual(set(data), set(self.complaints.mapped("name")))
        first = data[self.complaints[0].name]
        self.assertEqual(first["Customer"], self.customer.display_name)
        self.assertEqual(first["Part Number"], "CDL4-60")
        self.assertEqual(first["Category"], "Quality abnormality")
        self.assertEqual(first["Severity"], "Severe")
        self.assertEqual(first["Defective Quantity"], 1)
        self.assertEqual(first["Open Actions"], 2)
        self.assertEqual(first["Final Solution"], "Solution 0")
        self.assertEqual(first["Root Cause Category"], "Manufacturing")
        # typed cells: dates and numbers are spreadsheet values, not text
        self.assertIsInstance(first["Received On"], datetime)
        self.assertIsInstance(first["Quantity"], int | float)
        third = data[self.complaints[2].name]
        self.assertEqual(third["Our Cause"], "No")
        self.assertEqual(third["Appraisal Result"], "Site atmosphere")

    def test_register_follows_the_user_rights(self):
        count, _sheet = self._register([], user=self.outsider)
        self.assertEqual(count, 0)
        count, _sheet = self._register([], user=self.manager)
        self.assertGreaterEqual(count, 3)

    def test_register_action_points_to_the_download(self):
        action = self.complaints.action_export_complaint_register()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("/aftersales/xlsx/aftersales.ticket?domain=", action["url"])

    def test_handling_form_pdf(self):
        complaint = self.complaints[0]
        complaint.write(
            {
                "production_measures": "Fast-stop test",
                "approval_ids": [Command.create({"department_id": self.dep_technical.id})],
            }
        )
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        html = report._render_qweb_html(
            "aftersales_service.action_report_complaint_handling_form", complaint.ids
        )[0].decode()
        self.assertIn("Fast-stop test", html)
        self.assertIn("Solution 0", html)
        self.assertIn("Technical Dept", html)
        pdf, kind = report._render_qweb_pdf(
            "aftersales_service.action_report_complaint_handling_form", complaint.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestComplaintHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Gamma Water", "is_company": True})
        cls.contact = cls.env["res.partner"].create(
            {"name": "Gina Gamma", "parent_id": cls.customer.id, "email": "gina@gamma.example"}
        )
        cls.portal = new_test_user(
            cls.env, "as_portal_g", groups="base.group_portal", partner_id=cls.contact.id
        )
        cls.manager = new_test_user(
            cls.env, "as_cmp_manager", groups="aftersales_service.group_aftersales_manager"
        )
        cls.member = new_test_user(
            cls.env, "as_cmp_member", groups="aftersales_service.group_aftersales_user"
        )
        cls.clerk = new_test_user(
            cls.env, "as_cmp_clerk", groups="aftersales_service.group_aftersales_user"
        )
        cls.complaint = cls.env["aftersales.ticket"].create(
            {
                "title": "Casings corroded",
                "partner_id": cls.contact.id,
                "ticket_type_id": cls.env.ref("aftersales_service.ticket_type_complaint").id,
                "complaint_category": "other",
                "severity": "minor",
                "final_solution": "Four 316L casings at cost, fitted free of charge",
            }
        )

    def test_portal_shows_the_agreed_solution(self):
        self.authenticate(self.portal.login, self.portal.login)
        response = self.url_open(f"/my/aftersales/{self.complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Agreed Solution", response.text)
        self.assertIn("Four 316L casings at cost", response.text)

    def _download(self, login, **query):
        self.authenticate(login, login)
        with mute_logger("odoo.http"):
            return self.url_open("/aftersales/xlsx/aftersales.ticket?" + urlencode(query))

    def _rows(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        return list(sheet.iter_rows(values_only=True))

    def test_register_download(self):
        domain = json.dumps([("id", "=", self.complaint.id)])
        rows = self._rows(self._download(self.manager.login, domain=domain))
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows[3][0], self.complaint.name)
        self.assertEqual(self._download(self.manager.login, domain="notjson").status_code, 400)

    def test_register_download_needs_read_access(self):
        # an employee without access to the requests: the model's read access refuses
        employee = new_test_user(self.env, "as_cmp_employee", groups="base.group_user")
        domain = json.dumps([])
        self.assertEqual(self._download(employee.login, domain=domain).status_code, 403)
        self.assertEqual(
            self._download(employee.login, ids=str(self.complaint.id)).status_code, 403
        )
        # a model without a spreadsheet of the suite has no download
        self.assertEqual(self.url_open("/aftersales/xlsx/res.partner?domain=[]").status_code, 404)

    def test_register_download_follows_the_record_rules(self):
        # the record rules give an After-Sales user the requests of the user's teams (and
        # those of no team): the complaint of another team is left out, or refused by id
        team = self.env["aftersales.team"].create(
            {"name": "Team North", "member_ids": [Command.set(self.member.ids)]}
        )
        self.complaint.team_id = team
        rows = self._rows(self._download(self.member.login, domain="[]"))
        self.assertIn(self.complaint.name, [row[0] for row in rows[3:]])
        rows = self._rows(self._download(self.clerk.login, domain="[]"))
        self.assertNotIn(self.complaint.name, [row[0] for row in rows[3:]])
        response = self._download(self.clerk.login, ids=str(self.complaint.id))
        self.assertEqual(response.status_code, 403)
        # a customer's portal user may not read the register's data (the corrective actions)
        response = self._download(self.portal.login, domain="[]")
        self.assertEqual(response.status_code, 403)
