import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CertificationCase


class AssessmentCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Assessment = cls.env["aftersales.assessment"]
        cls.Indicator = cls.env["aftersales.assessment.indicator"]
        cls.complaint_handling = cls.env.ref(
            "aftersales_certification.assessment_indicator_complaint_handling"
        )
        cls.take_back = cls.env.ref("aftersales_certification.assessment_indicator_take_back")

    @classmethod
    def assess(cls, earned, when="2025-11-20", deductions=0, bonus=False, since="2023-01-01"):
        """A done-able assessment whose single line of 100 points earns ``earned``."""
        return cls.Assessment.create(
            {
                "company_id": cls.company.id,
                "date": when,
                "compliant_since": since,
                "line_ids": [
                    Command.create(
                        {
                            "indicator_id": cls.complaint_handling.id,
                            "max_points": 100,
                            "points": earned,
                            "is_sampled": False,
                        }
                    )
                ],
                "deduction_ids": [
                    Command.create({"reason": f"Breach {n}", "kind": "own_rules"})
                    for n in range(deductions)
                ],
                "has_bonus": bonus,
                "bonus_reason": "Leading practice" if bonus else False,
            }
        )


class TestAssessmentIndicators(AssessmentCase):
    def test_tree_of_the_standard(self):
        first = self.Indicator.search([("parent_id", "=", False)])
        self.assertEqual(
            sorted(first.mapped("points")), [25.0, 35.0, 40.0], "the public weights 40/35/25"
        )
        self.assertEqual(sum(first.mapped("points")), 100)
        for indicator in first:
            self.assertEqual(indicator.children_points, indicator.points, indicator.code)
        self.assertEqual(
            [len(i.child_ids) for i in first.sorted("sequence")], [7, 6, 2], "15 second-level"
        )
        self.assertEqual(len(self.Indicator._get_scored()), 15)

    def test_new_assessment_scores_every_indicator(self):
        assessment = self.Assessment.create({"company_id": self.company.id})
        self.assertEqual(len(assessment.line_ids), 15)
        self.assertEqual(assessment.points_applicable, 100)
        self.assertEqual(assessment.score, 100)
        self.assertTrue(assessment.name.startswith("SA/"))

    def test_weights_editable_and_kept_by_done_assessments(self):
        assessment = self.Assessment.create({"company_id": self.company.id})
        self.complaint_handling.with_user(self.coordinator).points = 15
        line = assessment.line_ids.filtered(lambda x: x.indicator_id == self.complaint_handling)
        self.assertEqual(line.max_points, 13, "the weight of the day the line was made")
        later = self.Assessment.create({"company_id": self.company.id})
        self.assertEqual(later.points_applicable, 102)


class TestAssessmentScore(AssessmentCase):
    def test_not_applicable_lines_and_sampled_deduction(self):
        assessment = self.Assessment.create({"company_id": self.company.id, "date": "2025-11-20"})
        lines = {line.indicator_id: line for line in assessment.line_ids}
        lines[self.take_back].applicable = False
        complaint = lines[self.complaint_handling]
        self.assertTrue(complaint.is_sampled, "complaint resolution is checked on samples")
        complaint.write({"sample_size": 20, "sample_failed": 2})
        self.assertAlmostEqual(complaint.sample_deduction, 1.3)
        self.assertAlmostEqual(complaint.earned_points, 11.7)
        self.assertEqual(assessment.points_applicable, 96)
        self.assertAlmostEqual(assessment.points_earned, 94.7)
        # 94.7 / 96 × 100 = 98.6458...
        self.assertEqual(assessment.score, 98.65)
        lines[self.take_back].points = 0
        self.assertEqual(assessment.score, 98.65, "a line left out does not count")

    def test_partial_points(self):
        assessment = self.assess(63.5)
        self.assertEqual(assessment.score, 63.5)

    def test_thresholds(self):
        cases = [
            (69.9, "none"),
            (70, "compliant"),
            (79.99, "compliant"),
            (80, "three"),
            (89.99, "three"),
            (90, "four"),
            (94.99, "four"),
            (95, "five"),
            (100, "five"),
        ]
        for earned, level in cases:
            with self.subTest(score=earned):
                assessment = self.assess(earned)
                self.assertEqual(assessment.score, earned)
                self.assertEqual(assessment.star_level, level)
                self.assertTrue(assessment.star_reason)

    def test_deductions_and_bonus(self):
        self.assertEqual(self.assess(97, deductions=2).score, 95)
        self.assertEqual(self.assess(97, deductions=2).star_level, "five")
        with_bonus = self.assess(94, bonus=True)
        self.assertEqual(with_bonus.score, 95)
        self.assertEqual(with_bonus.star_level, "five")
        with self.assertRaises(ValidationError):
            self.assess(94).write({"has_bonus": True, "bonus_reason": " "})

    def test_five_deductions_stop_the_stars(self):
        four = self.assess(99, deductions=4)
        self.assertEqual((four.score, four.star_level), (95, "five"))
        five = self.assess(100, deductions=5)
        self.assertEqual(five.score, 95)
        self.assertEqual(five.star_level, "compliant")
        self.assertIn("fewer than five special deductions", five.star_reason)
        # 5 deductions at a compliant score change nothing
        self.assertEqual(self.assess(80, deductions=5).star_level, "compliant")

    def test_a_year_at_compliant(self):
        not_yet = self.assess(85, when="2025-11-20", since="2024-11-21")
        self.assertEqual(not_yet.star_level, "compliant")
        self.assertIn("a year at compliant", not_yet.star_reason)
        self.assertEqual(self.assess(85, when="2025-11-20", since="2024-11-20").star_level, "three")
        never = self.assess(85, since=False)
        self.assertEqual(never.star_level, "compliant")

    def test_compliant_since_from_the_previous_assessments(self):
        first = self.assess(76, when="2024-11-15", since=False)
        first.action_done()
        self.assertEqual(first.star_level, "compliant")
        second = self.Assessment.create(
            {
                "company_id": self.company.id,
                "date": "2025-11-20",
                "line_ids": [
                    Command.create(
                        {
                            "indicator_id": self.complaint_handling.id,
                            "max_points": 100,
                            "points": 83,
                        }
                    )
                ],
            }
        )
        self.assertEqual(second.compliant_since, date(2024, 11, 15))
        self.assertEqual(second.star_level, "three")
        # a failed assessment in between breaks the run
        failed = self.assess(60, when="2025-05-10", since=False)
        failed.action_done()
        second.action_recompute_compliant_since()
        self.assertFalse(second.compliant_since)
        self.assertEqual(second.star_level, "compliant")
        # another company's assessments do not count
        self.assertFalse(
            self.Assessment.create(
                {"company_id": self.other_company.id, "date": "2025-11-20"}
            ).compliant_since
        )

    def test_bad_input(self):
        assessment = self.assess(80)
        line = assessment.line_ids
        with self.assertRaises(ValidationError):
            line.points = 101
        with self.assertRaises(ValidationError):
            line.write({"is_sampled": True, "sample_size": 3, "sample_failed": 4})
        with self.assertRaises(ValidationError):
            line.points = -1
        line.applicable = False
        with self.assertRaises(UserError):
            assessment.action_done()
        self.assertEqual(assessment.state, "draft")
        with self.assertRaises(UserError):
            assessment.action_reset_draft()


class TestAssessmentAccess(AssessmentCase):
    def test_roles(self):
        for user in (self.coordinator, self.manager):
            assessment = self.Assessment.with_user(user).create({"company_id": self.company.id})
            assessment.action_done()
            self.assertEqual(assessment.state, "done")
        with self.assertRaises(AccessError):
            self.Assessment.with_user(self.as_user).search([])
        with self.assertRaises(AccessError):
            self.Assessment.with_user(self.as_user).create({"company_id": self.company.id})
        with self.assertRaises(AccessError):
            self.complaint_handling.with_user(self.as_user).points = 1

    def test_multi_company(self):
        mine = self.Assessment.create({"company_id": self.company.id})
        self.assertFalse(
            self.Assessment.with_user(self.other_coordinator).search([("id", "=", mine.id)])
        )
        self.assertTrue(self.Assessment.with_user(self.coordinator).search([("id", "=", mine.id)]))


class TestAssessmentEvidence(AssessmentCase):
    def test_proposed_from_the_suite(self):
        department = self.env["hr.department"].create(
            {"name": "品控中心", "company_id": self.company.id}
        )
        action = self.env["aftersales.corrective.action"].create(
            {
                "name": "Check the seal supplier",
                "department_id": department.id,
                "company_id": self.company.id,
            }
        )
        self.env["aftersales.corrective.action"].create(
            {
                "name": "Other company",
                "company_id": self.other_company.id,
                "department_id": self.env["hr.department"]
                .create({"name": "QC", "company_id": self.other_company.id})
                .id,
            }
        )
        assessment = self.Assessment.with_user(self.coordinator).create(
            {"company_id": self.company.id}
        )
        assessment.action_propose_evidence()
        improvement = assessment.line_ids.filtered(lambda line: line.indicator_id.code == "1.6")
        self.assertEqual(improvement.evidence_ids.mapped("res_id"), action.ids)
        self.assertEqual(improvement.evidence_ids.res_model, "aftersales.corrective.action")
        self.assertEqual(improvement.evidence_count, 1)
        # proposing again links nothing twice
        assessment.action_propose_evidence()
        self.assertEqual(improvement.evidence_count, 1)
        opened = improvement.evidence_ids.action_open_record()
        self.assertEqual((opened["res_model"], opened["res_id"]), (action._name, action.id))


@tagged("post_install", "-at_install")
class TestAssessmentDocuments(AssessmentCase):
    def test_xlsx(self):
        assessment = self.assess(85, deductions=1)
        fileobj = io.BytesIO()
        self.Assessment.with_user(self.coordinator)._xlsx_export(
            [("id", "=", assessment.id)], fileobj
        )
        sheet = openpyxl.load_workbook(io.BytesIO(fileobj.getvalue())).active
        rows = list(sheet.iter_rows(values_only=True))
        values = {}
        for row in rows:
            if row and row[0]:
                values.setdefault(row[0], row[1])
        self.assertEqual(values["Score"], 84)
        self.assertEqual(values["Star Level"], "Three Stars")
        self.assertEqual(values["Special Deductions"], 1)
        self.assertIn("Breach 0", [row[1] for row in rows])

    def test_attached_to_audit_and_application(self):
        cert = self.create_certificate()
        audit = self.Audit.create(
            {
                "certificate_id": cert.id,
                "audit_type": "recertification",
                "planned_date": "2026-11-01",
            }
        )
        application = self.Application.create(
            {"certificate_id": cert.id, "application_type": "recertification"}
        )
        cert.recertification_application_id = application
        assessment = self.assess(85)
        assessment.write({"audit_id": audit.id, "certificate_id": cert.id})
        with self.assertRaises(UserError):
            self.assess(85).action_attach_documents()
        assessment.with_user(self.coordinator).with_context(
            force_report_rendering=True
        ).action_attach_documents()
        for record in (audit, application):
            attachments = self.env["ir.attachment"].search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            )
            self.assertEqual(
                sorted(attachments.mapped("mimetype")),
                [
                    "application/pdf",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ],
            )
        self.assertEqual(audit.with_user(self.coordinator).assessment_count, 1)
        self.assertEqual(audit.action_view_assessments()["domain"], [("audit_id", "=", audit.id)])
