import io
import json
from datetime import date
from urllib.parse import parse_qs, urlencode, urlsplit

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .policy_training_common import PolicyTrainingCase


@tagged("post_install", "-at_install")
class TestEvaluation(PolicyTrainingCase):
    """Year-end evaluation (年终考评) per department and per person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_training_check = "warn"  # the clerk handles requests untrained
        cls.department = cls.env["hr.department"].create({"name": "Evaluated Service Dept"})
        (cls.emp_clerk | cls.emp_colleague).department_id = cls.department
        cls.year = date.today().year
        model_id = cls.env["ir.model"]._get_id("aftersales.ticket")
        ratings = [(cls.colleague, 5), (cls.colleague, 5), (cls.colleague, 1), (cls.user, 3)]
        tickets = cls.env["aftersales.ticket"].create(
            [
                {
                    "title": f"Rated request {n}",
                    "partner_id": cls.customer.id,
                    "team_id": cls.team.id,
                    "user_id": user.id,
                }
                for n, (user, _value) in enumerate(ratings)
            ]
        )
        cls.env["rating.rating"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "partner_id": cls.customer.id,
                    "rating": value,
                    "consumed": True,
                }
                for ticket, (_user, value) in zip(tickets, ratings, strict=True)
            ]
        )
        # a rating not given yet counts for nothing
        cls.env["rating.rating"].create(
            {"res_model_id": model_id, "res_id": tickets[0].id, "partner_id": cls.customer.id}
        )
        cls.env["aftersales.ticket"].create(
            [
                {
                    "title": "Rude on the phone",
                    "partner_id": cls.customer.id,
                    "team_id": cls.team.id,
                    "ticket_type_id": cls.type_complaint.id,
                    "is_attitude_complaint": True,
                    "attitude_employee_id": employee.id,
                }
                for employee in (cls.emp_clerk, cls.emp_clerk, cls.emp_colleague)
            ]
        )
        Report = cls.env["aftersales.nonconformity"]
        finding = "<p>Service record handed in late</p>"
        Report.create(
            [
                {"department_id": cls.department.id, "finding": finding, "state": "sent"},
                {"department_id": cls.department.id, "finding": finding, "state": "closed"},
                {"department_id": cls.department.id, "finding": finding},  # draft: not counted
                {
                    "department_id": cls.department.id,
                    "finding": finding,
                    "state": "closed",
                    "date": date(cls.year - 1, 6, 1),
                },
            ]
        )
        cls.env.flush_all()

    def _figures(self, groupby, domain=()):
        Evaluation = self.env["aftersales.evaluation"]
        aggregates = [
            "nonconformity_count:sum",
            "complaint_count:sum",
            "rating_count:sum",
            "satisfaction:avg",
            "rating_value:avg",
            "training_count:sum",
            "training_hours:sum",
            "missing_training_count:sum",
        ]
        return {
            key: dict(zip(aggregates, values, strict=True))
            for key, *values in Evaluation._read_group(
                [("department_id", "=", self.department.id), *domain], [groupby], aggregates
            )
        }

    def test_department_figures(self):
        by_year = self._figures("year")
        this = by_year[self.year]
        self.assertEqual(this["nonconformity_count:sum"], 2)
        self.assertEqual(this["complaint_count:sum"], 3)
        self.assertEqual(this["rating_count:sum"], 4)
        self.assertAlmostEqual(this["satisfaction:avg"], 50.0)  # 2 of 4 ratings satisfied
        self.assertAlmostEqual(this["rating_value:avg"], 3.5)
        self.assertEqual(this["training_count:sum"], 2)
        self.assertAlmostEqual(this["training_hours:sum"], 4.0)
        self.assertEqual(this["missing_training_count:sum"], 1)
        self.assertEqual(by_year[self.year - 1]["nonconformity_count:sum"], 1)

    def test_person_figures(self):
        by_employee = self._figures("employee_id", [("year", "=", self.year)])
        clerk, colleague = by_employee[self.emp_clerk], by_employee[self.emp_colleague]
        self.assertEqual(clerk["complaint_count:sum"], 2)
        self.assertEqual(clerk["rating_count:sum"], 1)
        self.assertAlmostEqual(clerk["satisfaction:avg"], 0.0)
        self.assertEqual(clerk["missing_training_count:sum"], 1)
        self.assertEqual(colleague["complaint_count:sum"], 1)
        self.assertEqual(colleague["rating_count:sum"], 3)
        self.assertAlmostEqual(colleague["satisfaction:avg"], 200.0 / 3)
        self.assertEqual(colleague["training_count:sum"], 2)
        self.assertEqual(colleague["missing_training_count:sum"], 0)
        statuses = {
            employee: status
            for employee, status in self.env["aftersales.evaluation"]._read_group(
                [("employee_id", "in", (self.emp_clerk | self.emp_colleague).ids)],
                ["employee_id", "training_status"],
            )
        }
        self.assertEqual(statuses[self.emp_clerk], "missing")
        self.assertEqual(statuses[self.emp_colleague], "trained")

    def test_xlsx_export(self):
        fileobj = io.BytesIO()
        self.env["aftersales.evaluation"].with_user(self.manager)._write_evaluation_xlsx(
            self.year, fileobj
        )
        workbook = openpyxl.load_workbook(io.BytesIO(fileobj.getvalue()))
        departments = workbook.worksheets[0]
        self.assertEqual(departments.cell(1, 1).value, f"Year-End Evaluation {self.year}")
        row = next(
            r
            for r in departments.iter_rows(min_row=4, values_only=True)
            if r[0] == self.department.display_name
        )
        self.assertEqual(row[1:4], (2, 3, 4))
        self.assertAlmostEqual(row[4], 50.0)
        self.assertEqual(row[5:8], (2, 4, 1))
        staff = {r[0]: r for r in workbook.worksheets[1].iter_rows(min_row=4, values_only=True)}
        clerk = staff[self.emp_clerk.name]
        self.assertEqual(clerk[1], self.department.display_name)
        self.assertEqual(clerk[2:4], (2, 1))
        self.assertEqual(clerk[4], 0)
        self.assertEqual(clerk[8], "Training Missing")
        self.assertIn("Staff etiquette", clerk[9])
        colleague = staff[self.emp_colleague.name]
        self.assertAlmostEqual(colleague[4], 200.0 / 3)
        self.assertAlmostEqual(colleague[5], 11.0 / 3)
        self.assertEqual(colleague[6:9], (2, 4, "Trained"))

    def test_export_action_and_access(self):
        action = self.env["aftersales.evaluation"].with_user(self.manager).action_export_xlsx()
        url = urlsplit(action["url"])
        self.assertEqual(url.path, "/aftersales/xlsx/aftersales.evaluation")
        self.assertEqual(json.loads(parse_qs(url.query)["domain"][0]), [["year", "=", self.year]])
        with self.assertRaises(AccessError):
            self.env["aftersales.evaluation"].with_user(self.user).search([])
        self.assertTrue(
            self.env["aftersales.evaluation"]
            .with_user(self.manager)
            .search([("department_id", "=", self.department.id)])
        )

    def test_new_revision_shows_in_evaluation(self):
        new = self.publish_revision(self.etiquette)
        self.env.flush_all()
        by_employee = self._figures("employee_id", [("year", "=", self.year)])
        self.assertEqual(by_employee[self.emp_colleague]["missing_training_count:sum"], 1)
        self.train(self.emp_colleague, new)
        self.assertEqual(
            self.emp_colleague.aftersales_missing_policy_ids, self.env["aftersales.policy"]
        )
        self.assertEqual(len(self.emp_colleague.aftersales_training_ids), 3)


@tagged("post_install", "-at_install")
class TestEvaluationHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "as_eval_manager", groups="aftersales_service.group_aftersales_manager"
        )
        cls.clerk = new_test_user(
            cls.env, "as_eval_clerk", groups="aftersales_service.group_aftersales_user"
        )
        cls.department = cls.env["hr.department"].create({"name": "Downloaded Dept"})
        cls.env["aftersales.nonconformity"].create(
            {"department_id": cls.department.id, "finding": "<p>x</p>", "state": "sent"}
        )

    def test_download(self):
        year = date.today().year
        url = "/aftersales/xlsx/aftersales.evaluation?" + urlencode(
            {"domain": json.dumps([["year", "=", year]])}
        )
        self.authenticate(self.clerk.login, self.clerk.login)
        self.assertEqual(self.url_open(url).status_code, 403)
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
        self.assertEqual(rows["Downloaded Dept"][1], 1)
        bad = self.url_open("/aftersales/xlsx/aftersales.evaluation?domain=soon")
        self.assertEqual(bad.status_code, 400)
