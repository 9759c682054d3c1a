import re
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged

from .service_common import SIGNATURE, ServiceCase


@tagged("post_install", "-at_install")
class TestServiceRecordPortal(ServiceCase, HttpCase):
    """The customer reads and signs the service record online through its link."""

    def setUp(self):
        super().setUp()
        self.record = self.create_record()
        self.token = self.record._portal_ensure_token()
        self.url = f"/my/service_records/{self.record.id}"

    def test_sign_through_the_token_link(self):
        response = self.url_open(f"{self.url}?access_token={self.token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.record.name, response.text)
        self.assertIn("Seal replaced", response.text)
        result = self.make_jsonrpc_request(
            f"{self.url}/sign?access_token={self.token}",
            {"name": "Mr Zhou", "signature": SIGNATURE.decode()},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.record.signed_by, "Mr Zhou")
        self.assertTrue(self.record.signature)
        # once signed online, the technician can hand the record in
        self.record.action_submit()
        again = self.make_jsonrpc_request(
            f"{self.url}/sign?access_token={self.token}",
            {"name": "Someone else", "signature": SIGNATURE.decode()},
        )
        self.assertIn("error", again)
        self.assertEqual(self.record.signed_by, "Mr Zhou")

    def test_wrong_token_refused(self):
        response = self.url_open(f"{self.url}?access_token=wrong", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        result = self.make_jsonrpc_request(
            f"{self.url}/sign?access_token=wrong",
            {"name": "Intruder", "signature": SIGNATURE.decode()},
        )
        self.assertIn("error", result)
        self.assertFalse(self.record.signature)

    def test_portal_customer_signs_when_logged_in(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="portal.signature_form"', response.text)

    def test_send_for_signature_posts_the_link(self):
        self.record.action_send_for_signature()
        message = self.record.message_ids[:1]
        self.assertIn(f"access_token={self.record.access_token}", message.body)
        self.assertIn(self.customer, message.partner_ids)

    def test_customer_accepts_the_charges_online(self):
        self.env["aftersales.fee.standard"].create(
            {"ticket_type_id": self.type_repair.id, "labour_price": 150.0}
        )
        ticket = self.create_ticket(
            ticket_type_id=self.type_repair.id,
            product_id=self.product.id,
            shipping_date=date(2020, 1, 1),
        )
        record = self.create_record(
            ticket, part_ids=[Command.create({"product_id": self.seal.id, "quantity": 1})]
        )
        token = record._portal_ensure_token()
        url = f"/my/service_records/{record.id}?access_token={token}"
        page = self.url_open(url)
        self.assertIn("Accept the charges", page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/my/service_records/{record.id}/accept?access_token={token}",
            data={"csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(record.quotation_accepted_date)
        self.assertEqual(record.quotation_accepted_by, self.customer.name)
