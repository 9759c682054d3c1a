from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SupervisionCase


@tagged("post_install", "-at_install")
class TestRepairDeviation(SupervisionCase):
    """Repairs done by an outlet against the agreed fee per repair (200 for outlet A)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.repair_over = cls._done_repair(cls.outlet_a, price_unit=150.0)  # 2 x 150 = 300
        cls.repair_on_schedule = cls._done_repair(cls.outlet_a, price_unit=100.0)  # 200
        cls.repair_no_outlet = cls._done_repair(None, price_unit=150.0)
        cls.repair_open = cls._done_repair(cls.outlet_a, price_unit=150.0, finish=False)

    @classmethod
    def _done_repair(cls, outlet, price_unit, finish=True):
        """A repair of the request's pump with two seals, quoted at ``price_unit`` each."""
        if outlet:
            ticket = cls._outlet_ticket(outlet)
        else:
            ticket = cls.env["aftersales.ticket"].create(
                {
                    "title": "Pump leaks",
                    "partner_id": cls.customer_hz.id,
                    "ticket_type_id": cls.type_repair.id,
                    "product_id": cls.pump.id,
                }
            )
        repair = cls.env["repair.order"].browse(ticket.action_create_repair()["res_id"])
        repair.move_ids = [
            Command.create(
                {"product_id": cls.seal.id, "product_uom_qty": 2, "repair_line_type": "add"}
            )
        ]
        repair.action_create_sale_order()
        repair.sale_order_id.order_line.price_unit = price_unit
        if finish:
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()
        return repair

    def _deviations(self):
        return self.env["aftersales.outlet.fee.deviation"].search(
            [("source", "=", "repair")], order="id"
        )

    def test_outlet_of_the_repair(self):
        self.assertEqual(self.repair_over.outlet_id, self.outlet_a, "stored from the request")
        self.assertFalse(self.repair_no_outlet.outlet_id)
        self.assertEqual(self.repair_over.state, "done")
        self.assertTrue(self.repair_over.done_date)
        self.assertFalse(self.repair_open.done_date)
        repairs = self.repair_over | self.repair_on_schedule | self.repair_open
        self.assertEqual(self.outlet_a.repair_count, 3)
        action = self.outlet_a.action_view_repairs()
        self.assertEqual(self.env["repair.order"].search(action["domain"]), repairs)
        # a request dispatched to another outlet moves its repairs along
        self.repair_open.ticket_id.outlet_id = self.outlet_b
        self.assertEqual(self.repair_open.outlet_id, self.outlet_b)

    def test_repair_deviation_with_exact_amounts(self):
        rows = self._deviations()
        self.assertEqual(
            [
                (r.repair_id, r.outlet_id, r.expected_amount, r.charged_amount, r.deviation_amount)
                for r in rows
            ],
            [(self.repair_over, self.outlet_a, 200.0, 300.0, 100.0)],
            "on schedule, without an outlet or not done: no deviation",
        )
        row = rows
        self.assertEqual(
            (row.deviation_kind, row.level_id, row.visit_hours, row.ticket_type_id),
            ("over", self.level_2, 0.0, self.type_repair),
        )
        self.assertEqual(row.id, self.repair_over.id * 2 + 1)
        self.assertFalse(row.record_id)
        self.assertEqual(row.ticket_id, self.repair_over.ticket_id)
        self.assertEqual(row.date, self.repair_over.done_date.date())
        self.assertEqual(row.agreement_id, self.outlet_a.current_agreement_id)
        self.assertEqual(row.display_name, self.repair_over.name)
        # browsing a row again finds the same repair
        self.assertEqual(row.browse(row.id).repair_id, self.repair_over)
        self.assertEqual(self.outlet_a.fee_deviation_count, 1)

    def test_quotation_changes_move_the_deviation(self):
        # a cheaper quotation: charged below the schedule
        self.repair_over.sale_order_id.order_line.price_unit = 80.0
        self.assertEqual(
            [(r.repair_id, r.deviation_kind, r.deviation_amount) for r in self._deviations()],
            [(self.repair_over, "under", -40.0)],
        )
        # the quotation matches the schedule once the seals cost 100 each
        self.repair_over.sale_order_id.order_line.price_unit = 100.0
        self.assertFalse(self._deviations())
        # a cancelled quotation charged nothing
        self.repair_on_schedule.sale_order_id._action_cancel()
        self.assertEqual(
            [(r.repair_id, r.charged_amount, r.deviation_amount) for r in self._deviations()],
            [(self.repair_on_schedule, 0.0, -200.0)],
        )

    def test_agreement_of_the_repair_day(self):
        # ended long before the agreement began: no agreed fee that day
        before = self.outlet_a.current_agreement_id.date_start - timedelta(days=5)
        self.repair_on_schedule.done_date = datetime.combine(before, time(10, 0))
        rows = self._deviations()
        self.assertEqual(
            [(r.repair_id, r.deviation_kind, r.expected_amount, r.deviation_amount) for r in rows],
            [
                (self.repair_over, "over", 200.0, 100.0),
                (self.repair_on_schedule, "no_fee", 0.0, 200.0),
            ],
        )
        self.assertFalse(rows[1].agreement_id)

    def test_records_and_repairs_together(self):
        record = self._handed_in_record(self.outlet_a, hours=1)  # 250 agreed, 300 charged
        rows = self.env["aftersales.outlet.fee.deviation"].search(
            [("outlet_id", "=", self.outlet_a.id)], order="id"
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual(len(set(rows.ids)), 2, "ids stay unique across records and repairs")
        by_source = {r.source: r for r in rows}
        self.assertEqual(by_source["record"].record_id, record)
        self.assertEqual(by_source["record"].id, record.id * 2)
        self.assertEqual(by_source["repair"].repair_id, self.repair_over)
        self.assertEqual(sum(rows.mapped("deviation_amount")), 150.0)
        groups = self.env["aftersales.outlet.fee.deviation"]._read_group(
            [("outlet_id", "=", self.outlet_a.id)], ["source"], ["__count", "deviation_amount:sum"]
        )
        self.assertEqual(sorted(groups), [("record", 1, 50.0), ("repair", 1, 100.0)])

    def test_monthly_report_counts_repairs(self):
        day = self.repair_over.done_date.date()
        start = day.replace(day=1)
        Report = self.env["aftersales.outlet.report"]
        Report.search([("outlet_id", "=", self.outlet_a.id)]).unlink()
        report = Report.create(
            {
                "outlet_id": self.outlet_a.id,
                "date_from": start,
                "date_to": start + relativedelta(months=1, days=-1),
            }
        )
        report.action_refresh()
        self.assertEqual((report.deviation_count, report.deviation_amount), (1, 100.0))

    def test_access(self):
        # a clerk reads the rows but not the repairs they come from
        rows = self.env["aftersales.outlet.fee.deviation"].with_user(self.clerk)
        found = rows.search([("outlet_id", "=", self.outlet_a.id)])
        self.assertEqual(found.mapped("deviation_amount"), [100.0])
        self.assertEqual(found.display_name, self.repair_over.name)
        with self.assertRaises(AccessError):
            found.read(["repair_id"])
        stock_user = self.clerk
        stock_user.groups_id += self.env.ref("stock.group_stock_user")
        self.assertEqual(found.with_user(stock_user).repair_id, self.repair_over)
        with self.assertRaises(AccessError):
            rows.with_user(self.portal_a).search([])

    def test_query_budget(self):
        Deviation = self.env["aftersales.outlet.fee.deviation"]
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            rows = Deviation.search([("outlet_id", "=", self.outlet_a.id)])
            rows.read(["repair_id", "charged_amount", "deviation_amount", "source"])

    def test_views_load_for_each_role(self):
        stock_user = new_test_user(
            self.env,
            "net_repairer",
            groups="aftersales_service.group_aftersales_user,stock.group_stock_user",
        )
        kinds = [(False, "list"), (False, "pivot"), (False, "search")]
        Deviation = self.env["aftersales.outlet.fee.deviation"]
        clerk_list = Deviation.with_user(self.clerk).get_views(kinds)["views"]["list"]["arch"]
        self.assertNotIn('name="repair_id"', clerk_list, "the clerk may not open repairs")
        stock_list = Deviation.with_user(stock_user).get_views(kinds)["views"]["list"]["arch"]
        self.assertIn('name="repair_id"', stock_list)
        repair_views = (
            self.env["repair.order"]
            .with_user(stock_user)
            .get_views([(False, "form"), (False, "list"), (False, "search")])["views"]
        )
        for kind in ("form", "list", "search"):
            self.assertIn('name="outlet_id"', repair_views[kind]["arch"])
        outlet_form = (
            self.env["aftersales.outlet"].with_user(self.clerk).get_views([(False, "form")])
        )
        self.assertNotIn("action_view_repairs", outlet_form["views"]["form"]["arch"])
        outlet = self.outlet_a.with_user(stock_user)
        self.assertEqual(outlet.repair_count, 3)
