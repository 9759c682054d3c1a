from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .service_common import ServiceCase


@tagged("post_install", "-at_install")
class TestServiceStock(ServiceCase):
    """Repairs, returns and exchanges made from a request with Odoo's own documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.create_delivered_order(cls, cls.customer, 10)
        cls.delivery = cls.order.picking_ids

    def _ticket(self, ticket_type):
        return self.create_ticket(
            ticket_type_id=ticket_type.id,
            sale_order_id=self.order.id,
            product_id=self.product.id,
            quantity=10,
            defective_qty=2,
        )

    def _return_wizard(self, ticket, quantity):
        action = ticket.action_return_delivery()
        self.assertEqual(action["res_model"], "stock.return.picking")
        wizard = Form(self.env["stock.return.picking"].with_context(**action["context"]))
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = quantity
        return wizard.save()

    def test_repair_from_ticket(self):
        ticket = self._ticket(self.type_repair)
        self.assertEqual(ticket.warranty_state, "in_warranty")
        action = ticket.action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertEqual(repair.ticket_id, ticket)
        self.assertEqual(repair.product_id, self.product)
        self.assertEqual(repair.partner_id, self.customer)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(ticket.repair_count, 1)
        self.assertIn(ticket.repair_state_summary, ("New: 1", "Draft: 1"))
        repair.action_repair_cancel()
        ticket.invalidate_recordset(["repair_state_summary"])
        self.assertEqual(ticket.repair_state_summary, "Cancelled: 1")
        action = ticket.action_view_repairs()
        self.assertEqual(self.env["repair.order"].search(action["domain"]), repair)

    def test_repair_out_of_warranty(self):
        ticket = self.create_ticket(
            ticket_type_id=self.type_repair.id,
            product_id=self.product.id,
            shipping_date=date(2020, 1, 1),
        )
        self.assertEqual(ticket.warranty_state, "out_of_warranty")
        repair = self.env["repair.order"].browse(ticket.action_create_repair()["res_id"])
        self.assertFalse(repair.under_warranty)

    def test_return_never_above_delivered(self):
        ticket = self._ticket(self.type_return)
        with self.assertRaisesRegex(UserError, "at most 10"):
            self._return_wizard(ticket, 11).action_create_returns()
        action = self._return_wizard(ticket, 4).action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(returned.aftersales_ticket_id, ticket)
        self.assertEqual(returned.return_id, self.delivery)
        self.assertEqual(ticket.picking_count, 1)
        with self.assertRaisesRegex(UserError, "at most 6"):
            self._return_wizard(ticket, 7).action_create_returns()
        self._return_wizard(ticket, 6).action_create_returns()
        ticket.invalidate_recordset(["picking_count"])
        self.assertEqual(ticket.picking_count, 2)
        action = ticket.action_view_pickings()
        self.assertEqual(len(self.env["stock.picking"].search(action["domain"])), 2)

    def test_exchange_end_to_end(self):
        ticket = self._ticket(self.type_exchange)
        self.assertTrue(ticket.is_dap, "failed on the day of delivery")
        self._return_wizard(ticket, 2).action_create_exchanges()
        transfers = ticket.picking_ids
        self.assertEqual(len(transfers), 2, "the return and the replacement")
        returned = transfers.filtered(lambda p: p.picking_type_code == "incoming")
        replacement = transfers.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(returned.move_ids.product_uom_qty, 2)
        self.assertEqual(replacement.move_ids.product_uom_qty, 2)
        self.assertIn(replacement, self.order.picking_ids, "sent within the sale order")
        for picking in (returned, replacement):
            picking.move_ids.quantity = 2
            picking.move_ids.picked = True
            picking._action_done()
        self.assertEqual(set(ticket.picking_ids.mapped("state")), {"done"})
        self.assertEqual(self.order.order_line.qty_delivered, 10)

    def test_return_with_refund_credit_note_from_the_order(self):
        self.product.invoice_policy = "delivery"
        order = self.create_delivered_order(self.customer, 5)
        invoice = order._create_invoices()
        invoice.action_post()
        ticket = self.create_ticket(
            ticket_type_id=self.type_return.id,
            sale_order_id=order.id,
            product_id=self.product.id,
        )
        with self.assertRaisesRegex(UserError, "validate the return"):
            ticket.action_create_credit_note()
        returned = self.env["stock.picking"].browse(
            self._return_wizard(ticket, 2).action_create_returns()["res_id"]
        )
        returned.move_ids.quantity = 2
        returned.move_ids.picked = True
        returned._action_done()
        self.assertEqual(order.order_line.qty_delivered, 3)
        action = ticket.action_create_credit_note()
        credit_note = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2)
        self.assertIn(credit_note, order.invoice_ids)

    def test_return_needs_a_delivered_order(self):
        ticket = self.create_ticket(ticket_type_id=self.type_return.id)
        with self.assertRaisesRegex(UserError, "sale order"):
            ticket.action_return_delivery()

    @property
    def type_return(self):
        return self.env.ref("aftersales_service.ticket_type_return")

    def test_smart_buttons_of_product_and_serial(self):
        self.product.tracking = "serial"
        lot = self.env["stock.lot"].create({"name": "SN-42", "product_id": self.product.id})
        ticket = self.create_ticket(
            ticket_type_id=self.type_repair.id, product_id=self.product.id, lot_id=lot.id
        )
        self.assertEqual(lot.aftersales_ticket_count, 1)
        self.assertEqual(
            self.env["aftersales.ticket"].search(lot.action_view_aftersales_tickets()["domain"]),
            ticket,
        )
        template = self.product.product_tmpl_id
        self.assertEqual(template.aftersales_ticket_count, 1)
        self.assertIn(
            ticket,
            self.env["aftersales.ticket"].search(
                template.action_view_aftersales_tickets()["domain"]
            ),
        )
