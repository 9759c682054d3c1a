from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.aftersales_service.tests.portal_crawler import crawl_portal
from odoo.addons.aftersales_service.tests.role_common import setup_roles


@tagged("post_install", "-at_install", "aftersales_browser")
class TestOutletPortalTour(HttpCase):
    """The outlet's daily work in the portal, in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users, cls.records = setup_roles(cls.env)
        outlet = cls.records["outlet"]
        contact = cls.env["res.partner"].create(
            {"name": "陈师傅 Master Chen", "parent_id": outlet.partner_id.id}
        )
        cls.outlet_user = new_test_user(
            cls.env,
            "role_outlet_portal",
            groups="base.group_portal",
            partner_id=contact.id,
            password="role_outlet_portal",
        )

    def test_outlet_accepts_and_hands_in_its_record(self):
        ticket = self.records["dispatched"]
        self.assertEqual(ticket.outlet_status, "dispatched")
        self.start_tour("/my/outlet", "aftersales_outlet_portal_tour", login=self.outlet_user.login)
        self.assertEqual(ticket.outlet_status, "accepted")
        record = ticket.service_record_ids
        self.assertEqual(len(record), 1)
        self.assertEqual(record.state, "submitted")
        self.assertTrue(record.signature)
        self.assertEqual(record.signed_by, "Mr Zhou")
        self.assertIn("booster pumps", record.work_done)
        self.assertEqual(record.customer_opinion, "Clean installation, well explained.")

    def test_outlet_portal_pages_open(self):
        self.authenticate(self.outlet_user.login, self.outlet_user.login)
        pages = crawl_portal(self)
        self.assertIn("/my/outlet", pages)
        self.assertIn(f"/my/outlet/request/{self.records['dispatched'].id}", pages)
