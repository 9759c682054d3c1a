from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .service_common import ServiceCase


@tagged("post_install", "-at_install")
class TestServiceWarranty(ServiceCase):
    """Warranty from the delivery of the customer's unit, and dead after purchase (DAP)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.warranty_months = 12
        cls.company.aftersales_warranty_months = 24
        cls.company.aftersales_dap_days = 15

    def _ticket(self, shipped, received, **values):
        vals = {
            "ticket_type_id": self.type_repair.id,
            "product_id": self.product.id,
            "shipping_date": shipped,
            "request_date": received,
            **values,
        }
        return self.create_ticket(**vals)

    @freeze_time("2026-06-01 08:00:00")
    def test_last_day_in_first_day_out(self):
        last_in = self._ticket(date(2025, 1, 10), datetime(2026, 1, 9, 23, 0))
        self.assertEqual(last_in.delivery_date, date(2025, 1, 10))
        self.assertEqual(last_in.warranty_end_date, date(2026, 1, 9))
        self.assertEqual(last_in.warranty_state, "in_warranty")
        first_out = self._ticket(date(2025, 1, 10), datetime(2026, 1, 10, 1, 0))
        self.assertEqual(first_out.warranty_state, "out_of_warranty")

    @freeze_time("2026-06-01 08:00:00")
    def test_company_default_period(self):
        self.product.warranty_months = 0
        ticket = self._ticket(date(2025, 1, 10), datetime(2026, 6, 1, 1, 0))
        self.assertEqual(ticket.warranty_end_date, date(2027, 1, 9))
        self.assertEqual(ticket.warranty_state, "in_warranty")

    def test_unknown_without_delivery(self):
        ticket = self.create_ticket(ticket_type_id=self.type_repair.id, product_id=self.product.id)
        self.assertEqual(ticket.warranty_state, "unknown")
        self.assertFalse(ticket.warranty_end_date)
        self.assertFalse(ticket.is_dap)

    def test_delivery_from_the_sale_order(self):
        order = self.create_delivered_order(self.customer, 2)
        with Form(self.env["aftersales.ticket"]) as form:
            form.title = "Pump stopped"
            form.partner_id = self.customer
            form.ticket_type_id = self.type_repair
            form.sale_order_id = order
        ticket = form.record
        self.assertEqual(ticket.delivery_date, date.today())
        self.assertEqual(ticket.warranty_state, "in_warranty")
        self.assertTrue(ticket.is_dap, "a repair on the day of delivery is dead after purchase")

    def test_delivery_of_the_serial_number(self):
        self.product.tracking = "serial"
        lot = self.env["stock.lot"].create({"name": "SN-0001", "product_id": self.product.id})
        customers = self.env.ref("stock.stock_location_customers")
        with freeze_time("2025-03-05 10:00:00"):
            self.env["stock.quant"]._update_available_quantity(
                self.product, self.warehouse.lot_stock_id, 1, lot_id=lot
            )
            move = self.env["stock.move"].create(
                {
                    "name": "Delivery SN-0001",
                    "product_id": self.product.id,
                    "product_uom_qty": 1,
                    "location_id": self.warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                }
            )
            move._action_confirm()
            move._action_assign()
            move.move_line_ids.write({"lot_id": lot.id, "quantity": 1, "picked": True})
            move._action_done()
        ticket = self._ticket(date(2025, 6, 1), datetime(2026, 3, 5, 1, 0), lot_id=lot.id)
        self.assertEqual(ticket.delivery_date, date(2025, 3, 5), "the unit's own delivery wins")
        self.assertEqual(ticket.warranty_state, "out_of_warranty")

    @freeze_time("2026-06-01 08:00:00")
    def test_dap_on_the_last_day_and_off_the_day_after(self):
        dap = self._ticket(date(2026, 5, 1), datetime(2026, 5, 16, 9, 0))
        self.assertTrue(dap.is_dap)
        self.assertEqual(dap.priority, "2", "DAP raises the priority")
        late = self._ticket(date(2026, 5, 1), datetime(2026, 5, 17, 9, 0))
        self.assertFalse(late.is_dap)
        self.assertEqual(late.priority, "0")

    @freeze_time("2026-06-01 08:00:00")
    def test_dap_only_for_quality_failures(self):
        question = self._ticket(
            date(2026, 5, 28), datetime(2026, 5, 30, 9, 0), ticket_type_id=self.type_consultation.id
        )
        self.assertFalse(question.is_dap)
        question.ticket_type_id = self.type_exchange
        self.assertTrue(question.is_dap)
        self.assertEqual(question.priority, "2")

    @freeze_time("2026-06-01 08:00:00")
    def test_dap_found_when_a_complaint_moves_on_with_its_analysis(self):
        # the complaint form saves the analysis and the new stage together
        complaint = self._ticket(
            date(2026, 5, 28),
            datetime(2026, 5, 30, 9, 0),
            ticket_type_id=self.env.ref("aftersales_service.ticket_type_complaint").id,
            complaint_category="other",
            severity="minor",
        )
        self.assertFalse(complaint.is_dap)
        complaint.write(
            {
                "complaint_category": "quality",
                "stage_id": self.env.ref("aftersales_service.stage_analyse").id,
            }
        )
        self.assertTrue(complaint.is_dap)
        self.assertEqual(complaint.priority, "2")

    @freeze_time("2026-06-01 08:00:00")
    def test_dap_period_setting(self):
        settings = self.env["res.config.settings"].create({"aftersales_dap_days": 3})
        settings.execute()
        self.assertEqual(self.company.aftersales_dap_days, 3)
        ticket = self._ticket(date(2026, 5, 20), datetime(2026, 5, 25, 9, 0))
        self.assertFalse(ticket.is_dap)
