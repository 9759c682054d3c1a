import base64
import json
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestIndicators(AftersalesCase):
    """A hand-built March 2023 of a company of its own, so that no other data counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.co = cls.env["res.company"].create({"name": "杭州恒达泵业有限公司"})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.co.id]))
        cls.Indicator = cls.env["aftersales.indicator"].with_company(cls.co)
        cls.svc_team = cls.env["aftersales.team"].create(
            {
                "name": "Hangzhou Pump Service",
                "company_id": cls.co.id,
                "resource_calendar_id": cls.calendar.copy({"company_id": cls.co.id}).id,
                "assignment_method": "manual",
                # complaints: a first answer within 2 working hours
                "commitment_ids": [
                    Command.create(
                        {
                            "ticket_type_id": cls.env.ref(
                                "aftersales_service.ticket_type_complaint"
                            ).id,
                            "response_hours": 2,
                            "resolve_hours": 40,
                        }
                    )
                ],
            }
        )
        cls.pump = cls.env["product.product"].create(
            {"name": "Pump CDL8", "is_storable": True, "tracking": "serial"}
        )
        Lot = cls.env["stock.lot"]
        cls.lot1 = Lot.create(
            {"name": "SN-001", "product_id": cls.pump.id, "company_id": cls.co.id}
        )
        cls.lot2 = Lot.create(
            {"name": "SN-002", "product_id": cls.pump.id, "company_id": cls.co.id}
        )
        cls.stage_cancelled = cls.env.ref("aftersales_service.stage_cancelled")
        cls.type_complaint = cls.env.ref("aftersales_service.ticket_type_complaint")
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.co.id)], limit=1)
        stock = warehouse.lot_stock_id
        customers = cls.env.ref("stock.stock_location_customers")
        # deliveries: 300 + 100 in March; February, a return and an undone move do not count
        for qty, when, src, dest, state in (
            (300, "2023-03-02 02:00:00", stock, customers, "done"),
            (100, "2023-03-31 10:00:00", stock, customers, "done"),
            (50, "2023-02-27 10:00:00", stock, customers, "done"),
            (7, "2023-03-15 10:00:00", customers, stock, "done"),
            (40, "2023-03-15 10:00:00", stock, customers, "assigned"),
        ):
            move = cls.env["stock.move"].create(
                {
                    "name": "Pumps",
                    "product_id": cls.pump.id,
                    "product_uom_qty": qty,
                    "location_id": src.id,
                    "location_dest_id": dest.id,
                    "company_id": cls.co.id,
                }
            )
            move.write({"state": state, "date": when})

        def ticket(when, kind, **values):
            vals = {
                "title": "Pump",
                "partner_id": cls.customer.id,
                "company_id": cls.co.id,
                "team_id": cls.svc_team.id,
                "ticket_type_id": kind.id,
                "product_id": cls.pump.id,
                "request_date": when,
            }
            vals.update(values)
            return cls.env["aftersales.ticket"].create(vals)

        def close(record, closed, records=0):
            for _n in range(records):
                cls.env["aftersales.service.record"].create(
                    {
                        "ticket_id": record.id,
                        "technician_ids": [Command.set(cls.user.ids)],
                        "work_done": "<p>Seal replaced.</p>",
                    }
                )
            record.write({"stage_id": cls.stage_done.id})
            record.write({"closed_date": closed})

        # 1. a complaint answered on time, closed after 6 working hours with one visit
        cls.complaint_a = ticket(
            "2023-03-06 01:00:00",
            cls.type_complaint,
            severity="minor",
            complaint_category="non_quality",
            root_cause="Wrong installation",
        )
        cls.complaint_a.first_response_date = "2023-03-06 02:00:00"
        close(cls.complaint_a, "2023-03-06 08:00:00", records=1)
        # 2. a complaint answered late, still open
        cls.complaint_b = ticket("2023-03-07 01:00:00", cls.type_complaint, severity="minor")
        cls.complaint_b.first_response_date = "2023-03-07 05:00:00"
        # 3. a repair dead after purchase (no response commitment), closed after 8 working hours
        #    with two visits
        cls.repair_1 = ticket(
            "2023-03-10 01:00:00", cls.type_repair, lot_id=cls.lot1.id, shipping_date="2023-03-05"
        )
        close(cls.repair_1, "2023-03-13 01:00:00", records=2)
        # 4. the same unit again 10 days later: a repeat repair
        cls.repair_2 = ticket("2023-03-20 01:00:00", cls.type_repair, lot_id=cls.lot1.id)
        # 5. a unit last repaired 144 days before: no repeat within 90 days
        ticket("2022-11-01 01:00:00", cls.type_repair, lot_id=cls.lot2.id)
        cls.repair_3 = ticket("2023-03-25 01:00:00", cls.type_repair, lot_id=cls.lot2.id)
        # 6. a consultation cancelled: a request, not resolved
        cancelled = ticket("2023-03-28 01:00:00", cls.type_consultation)
        cancelled.write({"stage_id": cls.stage_cancelled.id})
        # April: one complaint never answered, nothing delivered, nothing closed
        ticket("2023-04-03 01:00:00", cls.type_complaint, severity="minor")

        # callbacks answered in March (expected, actual on every question): better than
        # expected, as expected, worse; one still planned and one unreachable do not count
        def callback(expected, actual, done_on=None, action="action_done"):
            record = cls.env["aftersales.callback"].create(
                {
                    "partner_id": cls.customer.id,
                    "ticket_id": cls.repair_1.id,
                    "user_id": cls.user.id,
                    "date_planned": "2023-03-20",
                }
            )
            record.answer_ids.write({"expected": str(expected), "actual": str(actual)})
            if done_on:
                getattr(record, action)()
                record.date_done = done_on
            return record

        callback(4, 5, "2023-03-21")
        callback(4, 4, "2023-03-22")
        callback(5, 3, "2023-03-23")
        callback(3, 5)
        callback(3, 5, "2023-03-24", action="action_unreachable")
        cls.env.flush_all()

    def test_march_exact_figures(self):
        self.assertEqual(
            self.complaint_a.response_deadline, datetime(2023, 3, 6, 3), "11:00 in Hangzhou"
        )
        figures = self.Indicator.get_indicators(date(2023, 3, 1), date(2023, 3, 31))
        self.assertTrue(self.repair_1.is_dap)
        self.assertEqual(self.complaint_a.resolve_working_hours, 6)
        self.assertEqual(self.repair_1.resolve_working_hours, 8, "Fri 9-17 and Mon 8-9")
        expected = {
            "requests": 6,
            "complaints": 2,
            "units_delivered": 400,
            "complaint_rate": 2 / 400,
            "response_compliance_rate": 1 / 2,
            "complaint_handling_rate": 1 / 2,
            "repeat_repair_rate": 1 / 3,
            "dap_rate": 1 / 400,
            "first_time_fix_rate": 1 / 2,
            "mean_resolve_hours": 7.0,
            "callbacks": 3,
            # satisfied when actual >= expected: 2 of 3; satisfaction (+1 + 0 - 2) / 3
            "satisfaction_rate": 2 / 3,
            "average_satisfaction": -1 / 3,
        }
        for key, value in expected.items():
            self.assertAlmostEqual(figures[key], value, msg=key)
        for key, value in figures.items():
            if key.endswith("_rate"):
                self.assertTrue(0 <= value <= 1, key)

    def test_repeat_repair_window_is_a_setting(self):
        self.co.aftersales_repeat_repair_days = 200
        figures = self.Indicator.get_indicators("2023-03-01", "2023-03-31")
        self.assertAlmostEqual(figures["repeat_repair_rate"], 2 / 3)

    def test_nothing_delivered_nothing_closed(self):
        figures = self.Indicator.get_indicators(date(2023, 4, 1), date(2023, 4, 30))
        self.assertEqual(figures["requests"], 1)
        self.assertEqual(figures["complaints"], 1)
        self.assertEqual(figures["complaint_rate"], 0.0, "nothing delivered: 0, no division")
        self.assertEqual(figures["dap_rate"], 0.0)
        self.assertEqual(figures["complaint_handling_rate"], 0.0)
        self.assertEqual(figures["first_time_fix_rate"], 0.0)
        self.assertEqual(figures["mean_resolve_hours"], 0.0)
        self.assertEqual(figures["callbacks"], 0)
        self.assertEqual(figures["satisfaction_rate"], 0.0, "no callback: 0, no division")
        self.assertEqual(figures["average_satisfaction"], 0.0)
        # its deadline passed without an answer: due, and missed
        [(due, on_time)] = self.Indicator._read_group(
            [("date", ">=", "2023-04-01"), ("date", "<=", "2023-04-30")],
            [],
            ["response_due_count:sum", "response_on_time_count:sum"],
        )
        self.assertEqual((due, on_time), (1, 0))
        self.assertEqual(figures["response_compliance_rate"], 0.0)
        empty = self.Indicator.get_indicators(date(2020, 1, 1), date(2020, 1, 31))
        self.assertEqual(empty["requests"], 0)
        self.assertEqual(empty["response_compliance_rate"], 0.0)

    def test_rates_of_groups_are_ratios_of_sums(self):
        domain = [("date", ">=", "2023-02-01"), ("date", "<=", "2023-04-30")]
        groups = self.Indicator._read_group(
            domain,
            ["date:month"],
            ["request_count:sum", "complaint_rate:sum", "first_time_fix_rate:sum"],
        )
        by_month = {month: rest for month, *rest in groups}
        self.assertEqual(by_month[date(2023, 3, 1)][0], 6)
        self.assertAlmostEqual(by_month[date(2023, 3, 1)][1], 0.5, msg="2/400 as a %")
        self.assertAlmostEqual(by_month[date(2023, 3, 1)][2], 50.0)
        self.assertEqual(by_month[date(2023, 2, 1)][1], 0.0, "February: deliveries only")
        self.assertEqual(by_month[date(2023, 4, 1)][1], 0.0)
        # by team, kind and product
        by_kind = dict(
            self.Indicator._read_group(
                [("date", ">=", "2023-03-01"), ("date", "<=", "2023-03-31")],
                ["ticket_type_id"],
                ["repeat_repair_rate:sum"],
            )
        )
        self.assertAlmostEqual(by_kind[self.type_repair], 100 / 3)
        by_team = dict(
            self.Indicator._read_group(
                [("date", ">=", "2023-03-01"), ("date", "<=", "2023-03-31")],
                ["team_id"],
                ["request_count:sum"],
            )
        )
        self.assertEqual(by_team[self.svc_team], 6)
        # the web client's read_group goes the same way
        [web] = self.Indicator.read_group(
            [("date", ">=", "2023-03-01"), ("date", "<=", "2023-03-31")],
            ["complaint_rate:sum"],
            [],
        )
        self.assertAlmostEqual(web["complaint_rate"], 0.5)

    def test_other_company_not_counted(self):
        other = self.env["aftersales.indicator"].with_company(self.env.ref("base.main_company"))
        figures = other.get_indicators(date(2023, 3, 1), date(2023, 3, 31))
        self.assertNotEqual(figures["complaint_rate"], 2 / 400)

    def test_query_budget(self):
        self.Indicator.get_indicators(date(2023, 3, 1), date(2023, 3, 31))
        with self.assertQueryCount(1):
            self.Indicator.get_indicators(date(2023, 3, 1), date(2023, 3, 31))

    def test_access(self):
        clerk = new_test_user(
            self.env,
            "ind_clerk",
            groups="aftersales_service.group_aftersales_user",
            company_id=self.co.id,
            company_ids=[Command.set(self.co.ids)],
        )
        manager = new_test_user(
            self.env,
            "ind_manager",
            groups="aftersales_service.group_aftersales_manager",
            company_id=self.co.id,
            company_ids=[Command.set(self.co.ids)],
        )
        figures = self.Indicator.with_user(manager).get_indicators("2023-03-01", "2023-03-31")
        self.assertEqual(figures["requests"], 6)
        with self.assertRaises(AccessError):
            self.Indicator.with_user(clerk).get_indicators("2023-03-01", "2023-03-31")


@tagged("post_install", "-at_install")
class TestIndicatorDashboard(AftersalesCase):
    def test_dashboard_reads_existing_fields(self):
        dashboard = self.env.ref("aftersales_service.spreadsheet_dashboard_aftersales_indicators")
        self.assertIn(
            self.env.ref("aftersales_service.group_aftersales_manager"), dashboard.group_ids
        )
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        for pivot in data["pivots"].values():
            model = self.env[pivot["model"]]
            for measure in pivot["measures"]:
                self.assertIn(measure["fieldName"], model._fields)
            for row in pivot["rows"]:
                self.assertIn(row["fieldName"], model._fields)
        for odoo_list in data["lists"].values():
            model = self.env[odoo_list["model"]]
            for column in odoo_list["columns"]:
                self.assertIn(column, model._fields)
        for figure in data["sheets"][0]["figures"]:
            meta = figure["data"]["metaData"]
            self.assertIn(meta["measure"], self.env[meta["resModel"]]._fields)
        # every indicator of the table has its target and a highlight when out of it
        self.assertEqual(len(data["sheets"][0]["conditionalFormats"]), 7)

    def test_targets_are_percentages(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.aftersales_repeat_repair_days, 90)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"aftersales_target_dap_rate": 120})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"aftersales_repeat_repair_days": -1})
        targets = self.env.company._aftersales_indicator_targets()
        self.assertEqual(targets["complaint_handling_rate"], (1.0, True))
        self.assertEqual(targets["complaint_rate"], (0.005, False))
