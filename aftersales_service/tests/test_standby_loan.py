from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .field_common import FieldCase


@tagged("post_install", "-at_install")
class TestStandbyLoan(FieldCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standby = cls.env["stock.location"].create(
            {
                "name": "Standby units",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
            }
        )
        cls.warehouse.aftersales_standby_location_id = cls.standby
        cls.unit = cls.serials[5]
        cls.env["stock.quant"]._update_available_quantity(cls.valve, cls.stock, -1, lot_id=cls.unit)
        cls.env["stock.quant"]._update_available_quantity(
            cls.valve, cls.standby, 1, lot_id=cls.unit
        )
        cls.ticket = cls.create_ticket(cls, ticket_type_id=cls.type_repair.id, user_id=cls.user.id)

    def _loan(self, user=None, **values):
        vals = {
            "ticket_id": self.ticket.id,
            "product_id": self.valve.id,
            "lot_id": self.unit.id,
            "date_due": "2099-03-10",
        }
        vals.update(values)
        return self.env["aftersales.standby.loan"].with_user(user or self.user).create(vals)

    def _qty(self, location):
        return self.env["stock.quant"]._get_available_quantity(
            self.valve, location, lot_id=self.unit, strict=True
        )

    def test_lend_and_return_are_stock_transfers(self):
        with freeze_time("2026-03-02"):
            loan = self._loan()
            self.assertEqual(loan.partner_id, self.customer)
            self.assertTrue(loan.name.startswith("SB/"))
            loan.action_lend()
        self.assertEqual(loan.state, "out")
        self.assertEqual(str(loan.date_out), "2026-03-02")
        lent = loan.sudo().picking_ids
        self.assertEqual(lent.state, "done")
        self.assertEqual(lent.location_id, self.standby)
        self.assertEqual(lent.move_ids.lot_ids, self.unit)
        self.assertEqual(lent.aftersales_ticket_id, self.ticket)
        self.assertEqual(self._qty(self.standby), 0)
        self.assertEqual(
            self.unit.sudo().quant_ids.filtered(lambda q: q.quantity > 0).location_id.usage,
            "customer",
        )
        self.assertEqual(self.ticket.standby_loan_count, 1)
        loan.action_return()
        self.assertEqual(loan.state, "returned")
        returned = loan.sudo().picking_ids - lent
        self.assertEqual(returned.state, "done")
        self.assertEqual(returned.location_dest_id, self.standby)
        self.assertEqual(self._qty(self.standby), 1)

    def test_a_lent_unit_cannot_be_lent_twice(self):
        self._loan().action_lend()
        second = self._loan(ticket_id=self.create_ticket(ticket_type_id=self.type_repair.id).id)
        with self.assertRaisesRegex(UserError, "already lent"):
            second.action_lend()
        self.assertEqual(second.state, "draft")
        with self.assertRaisesRegex(UserError, "not lent out"):
            second.action_return()
        # two clerks at once: the database refuses the second loan of the unit
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            second.write({"state": "out"})
            second.flush_recordset()

    def test_lend_needs_the_unit_in_standby_stock_and_a_location(self):
        loan = self._loan(lot_id=self.serials[0].id)
        with self.assertRaisesRegex(UserError, "not in the standby stock"):
            loan.action_lend()
        self.assertFalse(loan.sudo().picking_ids)
        self.warehouse.aftersales_standby_location_id = False
        with self.assertRaisesRegex(UserError, "no standby units location"):
            self._loan().action_lend()
        self.warehouse.aftersales_standby_location_id = self.standby
        with self.assertRaisesRegex(UserError, "already past"):
            self._loan(date_due="2020-01-01").action_lend()
        serial_missing = self._loan(lot_id=False)
        with self.assertRaisesRegex(UserError, "Choose the serial"):
            serial_missing.action_lend()

    def test_overdue_job_gives_the_owner_an_activity(self):
        with freeze_time("2026-03-02"):
            late = self._loan(date_due="2026-03-10")
            late.action_lend()
            on_time = self._loan(
                lot_id=False,
                product_id=self.product.id,
                date_due="2026-03-20",
                ticket_id=self.create_ticket(ticket_type_id=self.type_repair.id).id,
            )
            self.env["stock.quant"]._update_available_quantity(self.product, self.standby, 1)
            on_time.action_lend()
        Loan = self.env["aftersales.standby.loan"]
        with freeze_time("2026-03-10"):
            self.assertEqual(Loan._cron_flag_overdue(), 0, "due today is not overdue")
        with freeze_time("2026-03-11"):
            self.assertEqual(Loan._cron_flag_overdue(), 1)
            self.assertEqual(late.state, "overdue")
            self.assertEqual(on_time.state, "out")
            activity = late.activity_ids
            self.assertEqual(activity.user_id, self.user, "the request's owner")
            self.assertIn(self.unit.name, activity.summary)
            self.assertEqual(Loan._cron_flag_overdue(), 0, "flagged once")
            self.assertEqual(len(late.activity_ids), 1)
        late.action_return()
        self.assertEqual(late.state, "returned")

    def test_access(self):
        loan = self._loan()
        with self.assertRaises(AccessError):
            loan.with_user(self.user).unlink()
        with self.assertRaises(AccessError):
            self._loan(user=self.employee)
        loan.with_user(self.manager).unlink()
        lent = self._loan()
        lent.action_lend()
        with self.assertRaisesRegex(UserError, "not lent yet"):
            lent.with_user(self.manager).unlink()
