from odoo import http
from odoo.tests import HttpCase, tagged

from .common import NetworkCase


@tagged("post_install", "-at_install")
class TestOutletPortal(HttpCase, NetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls.env["aftersales.ticket"].create(
            {
                "title": "Motor noise at Hangzhou",
                "partner_id": cls.customer_hz.id,
                "ticket_type_id": cls.type_repair.id,
                "outlet_id": cls.outlet_a.id,
            }
        )
        cls.ticket_b = cls.env["aftersales.ticket"].create(
            {
                "title": "Seal leak at Suzhou",
                "partner_id": cls.customer_sz.id,
                "ticket_type_id": cls.type_repair.id,
                "outlet_id": cls.outlet_b.id,
            }
        )

    def test_list_shows_own_outlet_only(self):
        self.authenticate("net_portal_a", "net_portal_a")
        response = self.url_open("/my/outlet")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Motor noise at Hangzhou", response.text)
        self.assertNotIn("Seal leak at Suzhou", response.text)

    def test_detail_and_actions_of_other_outlet_refused(self):
        self.authenticate("net_portal_a", "net_portal_a")
        response = self.url_open(f"/my/outlet/request/{self.ticket_b.id}")
        self.assertNotIn("Seal leak at Suzhou", response.text)
        self.assertTrue(response.url.endswith("/my"))
        response = self.url_open(
            f"/my/outlet/request/{self.ticket_b.id}/accept",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(self.ticket_b.outlet_status, "dispatched")
        response = self.url_open(f"/my/outlet/request/{self.ticket_a.id}")
        self.assertIn("Motor noise at Hangzhou", response.text)

    def test_accept_decline_and_progress(self):
        self.authenticate("net_portal_a", "net_portal_a")
        self.url_open(
            f"/my/outlet/request/{self.ticket_a.id}/accept",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(self.ticket_a.outlet_status, "accepted")
        self.url_open(
            f"/my/outlet/request/{self.ticket_a.id}/progress",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "message": "Engineer on site, seal replaced",
            },
        )
        self.assertIn(
            "Engineer on site, seal replaced", "".join(self.ticket_a.message_ids.mapped("body"))
        )
        self.authenticate("net_portal_b", "net_portal_b")
        response = self.url_open(
            f"/my/outlet/request/{self.ticket_b.id}/decline",
            data={"csrf_token": http.Request.csrf_token(self), "reason": ""},
        )
        self.assertEqual(self.ticket_b.outlet_status, "dispatched")
        self.assertIn("why", response.text)
        self.url_open(
            f"/my/outlet/request/{self.ticket_b.id}/decline",
            data={"csrf_token": http.Request.csrf_token(self), "reason": "Out of our area"},
        )
        self.assertEqual(self.ticket_b.outlet_status, "declined")

    def test_letter_pdf_route(self):
        self.authenticate("net_portal_a", "net_portal_a")
        # tests render reports as HTML: the letter's number shows it is the own outlet's
        response = self.url_open(f"/my/outlet/{self.outlet_a.id}/letter")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.outlet_a.letter_number, response.text)
        response = self.url_open(f"/my/outlet/{self.outlet_b.id}/letter")
        self.assertNotIn(self.outlet_b.letter_number, response.text)
        self.assertTrue(response.url.endswith("/my"))
        self.outlet_a.action_suspend()
        response = self.url_open(f"/my/outlet/{self.outlet_a.id}/letter")
        self.assertNotIn(self.outlet_a.letter_number, response.text)

    def test_assign_engineer_within_level(self):
        Engineer = self.env["aftersales.outlet.engineer"]
        installer = Engineer.create(
            {
                "outlet_id": self.outlet_a.id,
                "partner_id": self.outlet_a.partner_id.id,
                "level_ids": [(6, 0, self.level_1.ids)],
            }
        )
        repairer = Engineer.create(
            {
                "outlet_id": self.outlet_a.id,
                "partner_id": self.outlet_a.partner_id.id,
                "level_ids": [(6, 0, self.level_2.ids)],
            }
        )
        other = Engineer.create(
            {
                "outlet_id": self.outlet_b.id,
                "partner_id": self.outlet_b.partner_id.id,
                "level_ids": [(6, 0, self.level_2.ids)],
            }
        )
        self.authenticate("net_portal_a", "net_portal_a")
        url = f"/my/outlet/request/{self.ticket_a.id}"
        self.url_open(f"{url}/accept", data={"csrf_token": http.Request.csrf_token(self)})
        page = self.url_open(url).text
        self.assertIn(f'value="{repairer.id}"', page)
        self.assertNotIn(f'value="{installer.id}"', page)
        # an installer is not certified for repairs; another outlet's engineer is refused
        for engineer in (installer, other):
            self.url_open(
                f"{url}/engineer",
                data={"csrf_token": http.Request.csrf_token(self), "engineer_id": engineer.id},
            )
            self.assertFalse(self.ticket_a.outlet_engineer_id)
        self.url_open(
            f"{url}/engineer",
            data={"csrf_token": http.Request.csrf_token(self), "engineer_id": repairer.id},
        )
        self.assertEqual(self.ticket_a.outlet_engineer_id, repairer)
