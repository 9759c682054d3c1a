from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .service_common import ServiceCase


@tagged("post_install", "-at_install")
class TestServiceFee(ServiceCase):
    """Fees (domain.md §6): itemised, from the fee standard, nothing under warranty by default."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.fee.standard"].create(
            {"ticket_type_id": cls.type_repair.id, "labour_price": 200.0}
        )
        cls.seal.lst_price = 35.0

    def _record(self, shipped):
        ticket = self.create_ticket(
            ticket_type_id=self.type_repair.id, product_id=self.product.id, shipping_date=shipped
        )
        return self.create_record(
            ticket,
            signature=self.signature,
            location_id=self.van.id,
            part_ids=[Command.create({"product_id": self.seal.id, "quantity": 2})],
        )

    def test_nothing_charged_under_warranty(self):
        record = self._record(date.today())
        self.assertEqual(record.ticket_id.warranty_state, "in_warranty")
        self.assertFalse(record.is_chargeable)
        self.assertEqual(record.labour_price, 200.0)
        self.assertEqual(record.amount_total, 0.0)
        record.action_submit()
        with self.assertRaises(UserError):
            record.action_create_invoice()

    def test_out_of_warranty_priced_accepted_and_invoiced(self):
        record = self._record(date(2020, 1, 1))
        self.assertTrue(record.is_chargeable)
        self.assertEqual(record.amount_labour, 200.0)
        self.assertEqual(record.amount_parts, 70.0)
        self.assertEqual(record.amount_total, 270.0)
        with self.assertRaisesRegex(UserError, "accept"):
            record.action_submit()
        record.action_accept_quotation()
        self.assertEqual(record.quotation_accepted_by, self.customer.name)
        record.action_submit()
        invoice = self.env["account.move"].browse(record.action_create_invoice()["res_id"])
        self.assertEqual(record.invoice_id, invoice)
        self.assertEqual(len(invoice.invoice_line_ids), 2, "labour and the part, itemised")
        part_line = invoice.invoice_line_ids.filtered("product_id")
        self.assertEqual((part_line.product_id, part_line.quantity), (self.seal, 2))
        self.assertEqual(invoice.amount_untaxed, 270.0)

    def test_quotation_accepted_before_work_starts(self):
        record = self._record(date(2020, 1, 1))
        with self.assertRaisesRegex(ValidationError, "before the work starts"), self.cr.savepoint():
            record.visit_start = "2026-11-20 02:00:00"
        record.action_accept_quotation()
        self.assertEqual(record.quotation_accepted_amount, 270.0)
        record.visit_start = "2026-11-20 02:00:00"
        # a part found on site raises the charges: the customer accepts the new total again
        record.part_ids = [Command.create({"product_id": self.seal.id, "quantity": 1})]
        self.assertEqual(record.amount_total, 305.0)
        with self.assertRaisesRegex(UserError, "not accepted"):
            record.action_submit()
        record.action_accept_quotation()
        record.action_submit()
        self.assertEqual(record.state, "submitted")

    def test_manager_override_with_reason(self):
        record = self._record(date.today())
        with self.assertRaisesRegex(UserError, "manager"):
            record.with_user(self.user).charge_override = True
        with self.assertRaises(ValidationError):
            record.with_user(self.manager).charge_override = True
        record.with_user(self.manager).write(
            {"charge_override": True, "charge_override_reason": "Pump run dry by the user"}
        )
        self.assertTrue(record.is_chargeable)
        self.assertEqual(record.amount_total, 270.0)

    def test_fee_standard_access(self):
        standards = self.env["aftersales.fee.standard"]
        standards.with_user(self.user).search([]).read(["labour_price"])
        with self.assertRaises(AccessError):
            standards.with_user(self.user).create(
                {"ticket_type_id": self.type_complaint.id, "labour_price": 1}
            )

    def test_customer_consent_rules(self):
        """Signing and accepting the charges: the same rules for the customer's portal and for
        the outlet's device (both call these methods)."""
        record = self._record(date(2020, 1, 1))
        with self.assertRaisesRegex(UserError, "customer accepting"):
            record._accept_charges("  ", "note")
        record._accept_charges(" Mr Zhou ", "Charges accepted by Mr Zhou")
        self.assertEqual(record.quotation_accepted_by, "Mr Zhou")
        self.assertEqual(record.quotation_accepted_amount, 270.0)
        self.assertIn("Charges accepted by Mr Zhou", record.message_ids[:1].body)
        # the record of _record() is signed already: no second signature
        with self.assertRaisesRegex(UserError, "already signed"):
            record._sign("Someone else", self.signature, "note")
        unsigned = self.create_record(self.create_ticket())
        with self.assertRaisesRegex(UserError, "signer's name"):
            unsigned._sign("", self.signature, "note")
        with self.assertRaisesRegex(UserError, "no charges"):
            unsigned._accept_charges("Mr Zhou", "note")
        unsigned._sign("Mr Zhou", self.signature, "Signed by Mr Zhou")
        self.assertEqual(unsigned.signed_by, "Mr Zhou")
        self.assertTrue(unsigned.signed_on)
