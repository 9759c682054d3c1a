import io
from datetime import datetime, time, timedelta

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SupervisionCase


@tagged("post_install", "-at_install")
class TestFeeSupervision(SupervisionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Report = cls.env["aftersales.outlet.report"]
        # earlier reports (demo data) stay out of the figures of these tests
        Report.search([("date_from", ">=", cls.month_start)]).unlink()
        cls.on_schedule = cls._record(cls.outlet_a, hours=2)  # 200 + 2 h x 50 = 300 charged 300
        cls.over = cls._record(cls.outlet_a, hours=1)  # 250 agreed, 300 charged
        day = cls.month_start.replace(day=10)
        cls.under = cls._record(
            cls.outlet_a,
            labour_price=180.0,
            parts=2,
            day=day,
            # returned 3 days before the hand-in: late
            return_date=datetime.combine(day, time(8, 0)) - timedelta(days=3),
        )
        cls.in_warranty = cls._record(cls.outlet_a, hours=1, warranty=True)
        cls.no_fee = cls._record(cls.outlet_b, ticket_type=cls.type_delivery)
        cls.over_b = cls._record(cls.outlet_b, hours=3)  # 200 agreed, no hourly fee
        mid_month = datetime.combine(cls.month_start.replace(day=12), time(10, 0))
        (cls.on_schedule | cls.over).ticket_id.outlet_dispatch_date = mid_month

    @classmethod
    def _record(cls, outlet, **kwargs):
        return cls._handed_in_record(outlet, **kwargs)

    def _deviations(self, outlet):
        return self.env["aftersales.outlet.fee.deviation"].search(
            [("outlet_id", "=", outlet.id)], order="id"
        )

    def test_deviations_with_exact_amounts(self):
        self.assertEqual(self.on_schedule.outlet_id, self.outlet_a, "stored from the request")
        rows = self._deviations(self.outlet_a)
        self.assertEqual(
            [(r.record_id, r.expected_amount, r.charged_amount, r.deviation_amount) for r in rows],
            [(self.over, 250.0, 300.0, 50.0), (self.under, 200.0, 180.0, -20.0)],
            "on schedule and under warranty are not deviations",
        )
        self.assertEqual(rows.mapped("deviation_kind"), ["over", "under"])
        self.assertEqual(rows[0].visit_hours, 1.0)
        self.assertEqual(rows.level_id, self.level_2)
        self.assertEqual(rows.agreement_id, self.outlet_a.current_agreement_id)
        rows_b = self._deviations(self.outlet_b)
        self.assertEqual(
            [
                (r.record_id, r.deviation_kind, r.expected_amount, r.deviation_amount)
                for r in rows_b
            ],
            [(self.no_fee, "no_fee", 0.0, 80.0), (self.over_b, "over", 200.0, 100.0)],
            "a delivery needs level 1, which the agreement does not price",
        )
        self.assertEqual(self.outlet_a.fee_deviation_count, 2)
        action = self.outlet_a.action_view_fee_deviations()
        self.assertEqual(self.env["aftersales.outlet.fee.deviation"].search(action["domain"]), rows)

    def test_schedule_change_moves_the_deviation(self):
        self.outlet_a.current_agreement_id.fee_ids.write({"fee": 250.0, "labour_hour_fee": 0.0})
        rows = self._deviations(self.outlet_a)
        self.assertEqual(
            [(r.record_id, r.deviation_amount) for r in rows],
            [(self.on_schedule, 50.0), (self.over, 50.0), (self.under, -70.0)],
        )

    def test_deviations_read_by_users_not_portal(self):
        rows = self.env["aftersales.outlet.fee.deviation"].with_user(self.clerk)
        self.assertEqual(len(rows.search([("outlet_id", "=", self.outlet_a.id)])), 2)
        with self.assertRaises(AccessError):
            rows.with_user(self.portal_a).search([])

    # ---------------------------------------------------------------------------------------
    # monthly reports
    # ---------------------------------------------------------------------------------------
    def _reports(self, outlets=None):
        return self.env["aftersales.outlet.report"].search(
            [("outlet_id", "in", (outlets or self.outlet_a | self.outlet_b).ids)],
            order="date_from, outlet_id",
        )

    def test_monthly_job_figures_and_idempotence(self):
        Report = self.env["aftersales.outlet.report"]
        with freeze_time(self.today):
            Report._cron_generate_monthly()
            reports = self._reports()
            self.assertEqual(reports.outlet_id, self.outlet_a | self.outlet_b)
            total = Report.search_count([])
            # a second run, e.g. by another worker after the first committed, adds nothing
            Report._cron_generate_monthly()
            self.assertEqual(Report.search_count([]), total)
            self.assertEqual(self._reports(), reports)
        report_a = reports.filtered(lambda r: r.outlet_id == self.outlet_a)
        self.assertEqual(
            (report_a.date_from, report_a.date_to, report_a.state),
            (self.month_start, self.month_end, "draft"),
        )
        self.assertEqual(
            [report_a[f] for f in ("ticket_dispatched_count", "ticket_handled_count")], [2, 4]
        )
        self.assertEqual((report_a.record_count, report_a.late_record_count), (4, 1))
        self.assertEqual(
            (report_a.amount_labour, report_a.amount_parts, report_a.amount_total),
            (780.0, 70.0, 850.0),
        )
        self.assertEqual((report_a.deviation_count, report_a.deviation_amount), (2, 30.0))
        self.assertEqual(
            [(line.product_id, line.quantity, line.amount) for line in report_a.line_ids],
            [(self.seal, 2.0, 70.0)],
        )
        report_b = reports - report_a
        self.assertEqual((report_b.record_count, report_b.amount_total), (2, 380.0))
        self.assertEqual((report_b.deviation_count, report_b.deviation_amount), (2, 180.0))
        # next month: one new report each, the month's work is empty
        with freeze_time(self.today + relativedelta(months=1)):
            Report._cron_generate_monthly()
        new = self._reports() - reports
        self.assertEqual(len(new), 2)
        self.assertEqual(set(new.mapped("record_count")), {0})

    def test_only_outlets_owing_a_report(self):
        self.outlet_b.current_agreement_id.monthly_report_required = False
        with freeze_time(self.today):
            self.env["aftersales.outlet.report"]._cron_generate_monthly()
        self.assertEqual(self._reports().outlet_id, self.outlet_a)

    def test_job_in_batches(self):
        Report = self.env["aftersales.outlet.report"]
        others = Report.search([("outlet_id", "not in", (self.outlet_a | self.outlet_b).ids)])
        with freeze_time(self.today):
            Report._cron_generate_monthly(batch_size=1)
            # the lowest outlet id first, the rest in the runs the job triggers
            self.assertEqual(len(Report.search([]) - others), 1)
            while Report._cron_generate_monthly(batch_size=1):
                pass
        self.assertEqual(self._reports().outlet_id, self.outlet_a | self.outlet_b)

    def test_figures_query_budget(self):
        Report = self.env["aftersales.outlet.report"]
        reports = Report.create(
            [
                {"outlet_id": o.id, "date_from": self.month_start, "date_to": self.month_end}
                for o in self.outlet_a | self.outlet_b
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        # cold registry caches, whatever ran before (creating a team clears them): the count
        # then depends on this test only (13 with warm caches, 3 to fill them)
        self.env.registry.clear_cache()
        # a fixed number of grouped queries for the month, then one write per report
        with self.assertQueryCount(16):
            reports[:1]._compute_figures()
            self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(17):
            reports._compute_figures()
            self.env.flush_all()

    def test_submit_confirm_and_send_back(self):
        report = self.env["aftersales.outlet.report"].create(
            {
                "outlet_id": self.outlet_a.id,
                "date_from": self.month_start,
                "date_to": self.month_end,
            }
        )
        # another outlet, a clerk, or the outlet writing the report directly: refused
        with self.assertRaises(AccessError):
            report.with_user(self.portal_b).action_submit("Not ours")
        with self.assertRaises(AccessError):
            report.with_user(self.clerk).action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.portal_a).write({"state": "confirmed"})
        report.with_user(self.portal_a).action_submit("  Two seals from our own stock ")
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.outlet_remarks, "Two seals from our own stock")
        self.assertEqual(report.submitted_by_id, self.portal_a)
        # the outlet's responsible at the company gets a to-do to confirm it
        self.assertEqual(report.activity_ids.user_id, self.outlet_a.user_id)
        with self.assertRaises(UserError):
            report.with_user(self.portal_a).action_submit()
        for user in (self.portal_a, self.clerk):
            with self.assertRaises(AccessError):
                report.with_user(user).action_confirm()
        manager_report = report.with_user(self.network_manager)
        with self.assertRaises(UserError):
            manager_report.action_send_back(" ")
        wizard = (
            self.env["aftersales.outlet.report.send.back"]
            .with_user(self.network_manager)
            .create({"report_id": report.id, "note": "The seals are missing from the parts"})
        )
        wizard.action_send_back()
        self.assertEqual(report.state, "draft")
        self.assertEqual(report.manager_note, "The seals are missing from the parts")
        with self.assertRaises(UserError):
            manager_report.action_confirm()
        report.with_user(self.portal_a).action_submit()
        manager_report.action_confirm()
        self.assertEqual(
            (report.state, report.confirmed_by_id, report.manager_note),
            ("confirmed", self.network_manager, False),
        )
        self.assertFalse(report.activity_ids)

    def test_report_unique_per_outlet_and_month(self):
        Report = self.env["aftersales.outlet.report"]
        vals = {
            "outlet_id": self.outlet_a.id,
            "date_from": self.month_start,
            "date_to": self.month_end,
        }
        Report.create(vals)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            Report.create(vals)
            self.env.flush_all()

    def test_xlsx_content(self):
        report = self.env["aftersales.outlet.report"].create(
            {
                "outlet_id": self.outlet_a.id,
                "date_from": self.month_start,
                "date_to": self.month_end,
            }
        )
        report._compute_figures()
        fileobj = io.BytesIO()
        report._xlsx_export([("id", "=", report.id)], fileobj)
        sheet = openpyxl.load_workbook(io.BytesIO(fileobj.getvalue())).active
        rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
        self.assertEqual(rows["Outlet"][0], self.outlet_a.name)
        self.assertEqual(rows["Total Charged"][0], 850, "the total charged of the month")
        self.assertIn(self.seal.display_name, rows)
        action = report.action_export_xlsx()
        self.assertEqual(
            action["url"], f"/aftersales/xlsx/aftersales.outlet.report?ids={report.id}"
        )
