import json

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SIGNATURE, SupervisionCase


@tagged("post_install", "-at_install")
class TestOutletServiceRecordPortal(HttpCase, SupervisionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls._outlet_ticket(cls.outlet_a)
        cls.ticket_b = cls._outlet_ticket(cls.outlet_b)
        cls.record_b = cls.env["aftersales.service.record"].create(
            {"ticket_id": cls.ticket_b.id, "work_done": "<p>Suzhou seal work</p>"}
        )

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data})

    def _sign(self, record, name="Li Wei"):
        response = self.url_open(
            f"/my/outlet/record/{record.id}/sign",
            data=json.dumps({"params": {"name": name, "signature": SIGNATURE.decode()}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    def test_fill_in_sign_and_hand_in(self):
        self.authenticate("net_portal_a", "net_portal_a")
        self._post(f"/my/outlet/request/{self.ticket_a.id}/record")
        record = self.ticket_a.service_record_ids
        self.assertEqual(len(record), 1)
        self.assertEqual(record.outlet_id, self.outlet_a)
        url = f"/my/outlet/record/{record.id}"
        # out of warranty: the work starts once the customer accepted the charges
        response = self._post(f"{url}/update", visit_start="2026-10-05T09:00")
        self.assertIn("accept", response.text)
        self.assertFalse(record.visit_start)
        self._post(f"{url}/accept_charges", name="Wang Fang")
        self.assertEqual(
            (record.quotation_accepted_by, record.quotation_accepted_amount),
            ("Wang Fang", 300.0),
        )
        response = self._post(
            f"{url}/update",
            visit_start="2026-10-05T09:00",
            visit_end="2026-10-05T11:30",
            work_done="Seal replaced, pump tested",
            customer_opinion="Quick and clean",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual((record.visit_end - record.visit_start).total_seconds(), 9000)
        self.assertIn("Seal replaced", record.work_done)
        self.assertEqual(record.customer_opinion, "Quick and clean")
        # parts by their internal reference, from the outlet's parts stock
        response = self._post(f"{url}/part", default_code="NO-SUCH-PART", quantity="1")
        self.assertIn("NO-SUCH-PART", response.text)
        self._post(f"{url}/part", default_code="NET-SEAL-12", quantity="3")
        self._post(f"{url}/part", default_code="NET-SEAL-12", quantity="2")
        self.assertEqual(record.location_id, self.van)
        self._post(f"{url}/part/{record.part_ids[0].id}/remove")
        self.assertEqual(record.part_ids.mapped("quantity"), [2.0])
        self.assertEqual(record.amount_total, 370.0)
        # the record's own rules: no hand-in without the customer's signature, nor with
        # charges above what the customer accepted
        response = self._post(f"{url}/submit")
        self.assertIn("signature", response.text)
        self.assertEqual(record.state, "draft")
        self.assertEqual(self._sign(record)["redirect_url"], url)
        response = self._post(f"{url}/submit")
        self.assertIn("accept", response.text)
        self.assertEqual(record.state, "draft")
        self._post(f"{url}/accept_charges", name="Wang Fang")
        self.assertEqual(record.quotation_accepted_amount, 370.0)
        self.assertEqual(record.signed_by, "Li Wei")
        self.assertIn("already signed", self._sign(record)["error"])
        self._post(f"{url}/submit")
        self.assertEqual(record.state, "submitted")
        self.assertTrue(record.submitted_date)
        self.assertEqual(record.move_ids.mapped("state"), ["done"])
        self.assertEqual(record.move_ids.location_id, self.van)
        # handed in: locked
        response = self._post(f"{url}/update", customer_opinion="Changed afterwards")
        self.assertEqual(record.customer_opinion, "Quick and clean")
        response = self.url_open("/my/outlet/records")
        self.assertIn(record.name, response.text)
        self.assertNotIn(self.record_b.name, response.text)

    def test_no_record_before_acceptance(self):
        self.ticket_a.outlet_status = "dispatched"
        self.authenticate("net_portal_a", "net_portal_a")
        response = self._post(f"/my/outlet/request/{self.ticket_a.id}/record")
        self.assertIn("Accept the request", response.text)
        self.assertFalse(self.ticket_a.service_record_ids)

    def test_other_outlet_refused(self):
        self.authenticate("net_portal_a", "net_portal_a")
        url = f"/my/outlet/record/{self.record_b.id}"
        response = self.url_open(url)
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Suzhou seal work", response.text)
        self._post(f"{url}/update", customer_opinion="Hacked")
        self._post(f"{url}/accept_charges", name="Hacked")
        self._post(f"{url}/part", default_code="NET-SEAL-12", quantity="1")
        self.assertFalse(self.record_b.part_ids)
        self.assertFalse(self.record_b.customer_opinion)
        self.assertFalse(self.record_b.quotation_accepted_date)
        self.assertIn("error", self._sign(self.record_b))
        self.assertFalse(self.record_b.signature)
        response = self.url_open(f"{url}/pdf")
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn(self.record_b.name, response.text)
        self._post(f"/my/outlet/request/{self.ticket_b.id}/record")
        self.assertEqual(len(self.ticket_b.service_record_ids), 1)
        # the own outlet's PDF (rendered as HTML in tests)
        self.authenticate("net_portal_b", "net_portal_b")
        response = self.url_open(f"{url}/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.record_b.name, response.text)

    def test_record_rules(self):
        Record = self.env["aftersales.service.record"]
        self.assertEqual(
            Record.with_user(self.portal_a).search([("outlet_id", "!=", False)]).outlet_id,
            self.outlet_a.browse(),
            "outlet A has no record yet",
        )
        self.assertEqual(Record.with_user(self.portal_b).search([]), self.record_b)
        with self.assertRaises(AccessError):
            self.record_b.with_user(self.portal_a).read(["work_done"])
        # outlet users change records through the checked actions only
        with self.assertRaises(AccessError):
            self.record_b.with_user(self.portal_b).write({"quotation_accepted_amount": 1.0})
        with self.assertRaises(AccessError):
            self.record_b.with_user(self.portal_a).action_outlet_update({"work_done": "x"})
        # the customer's own portal rule still holds, and gives no other customer's record
        customer_user = new_test_user(
            self.env,
            "net_portal_customer_sz",
            groups="base.group_portal",
            partner_id=self.customer_sz.id,
        )
        self.assertEqual(Record.with_user(customer_user).search([]), self.record_b)
        with self.assertRaises(AccessError):
            self.record_b.with_user(customer_user).action_outlet_update({"work_done": "x"})
