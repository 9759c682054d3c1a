from odoo.tests import HttpCase, new_test_user, tagged

from .portal_crawler import crawl_portal
from .role_common import setup_roles


@tagged("post_install", "-at_install", "aftersales_browser")
class TestRoleTours(HttpCase):
    """The daily work of each role, done in the browser as that role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users, cls.records = setup_roles(cls.env)
        cls.Ticket = cls.env["aftersales.ticket"]

    def _portal_customer(self):
        """The customer's contact as a portal user (login = password)."""
        return new_test_user(
            self.env,
            "role_portal_customer",
            groups="base.group_portal",
            partner_id=self.records["contact"].id,
            password="role_portal_customer",
        )

    def test_hotline_registers_a_complaint_by_quick_create(self):
        hotline = self.users["role_hotline"]
        self.start_tour("/odoo", "aftersales_hotline_complaint_tour", login=hotline.login)
        complaint = self.Ticket.search([("title", "=", "Booster pump stops twice a day")])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.ticket_type_id.code, "complaint")
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.create_uid, hotline)
        self.assertEqual(complaint.partner_id.commercial_partner_id, self.records["customer"])
        self.assertTrue(complaint.name, "the reference comes from the sequence")

    def test_engineer_hands_in_a_signed_service_record(self):
        record = self.records["record"]
        self.start_tour(
            "/odoo",
            "aftersales_engineer_service_record_tour",
            login=self.users["role_engineer"].login,
        )
        self.assertEqual(record.state, "submitted")
        self.assertTrue(record.signature)
        self.assertEqual(record.signed_by, "Mr Zhou")
        self.assertEqual(record.customer_opinion, "Quick and tidy work.")
        self.assertIn("mechanical seal", record.work_done)
        self.assertTrue(record.submitted_date)

    def test_leader_approves_a_severe_complaint(self):
        leader = self.users["role_leader"]
        department = self.env["hr.department"].create({"name": "After-Sales 售后服务部"})
        department.manager_id = self.env["hr.employee"].create(
            {"name": leader.name, "user_id": leader.id, "department_id": department.id}
        )
        self.env.company.aftersales_approval_department_ids = department
        complaint = self.records["complaint"]
        complaint.final_solution = "Replace the pump free of charge; check the seal batch."
        complaint.action_request_approvals()
        self.assertEqual(complaint.approval_status, "pending")
        self.start_tour("/odoo", "aftersales_leader_approval_tour", login=leader.login)
        self.assertEqual(complaint.approval_ids.state, "approved")
        self.assertEqual(complaint.approval_ids.decided_by_id, leader)
        self.assertEqual(complaint.approval_status, "approved")

    def test_customer_submits_a_request_in_the_portal(self):
        customer = self._portal_customer()
        self.start_tour(
            "/my/aftersales/new", "aftersales_customer_portal_request_tour", login=customer.login
        )
        ticket = self.Ticket.search([("title", "=", "Circulation pump hums and does not start")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.ticket_type_id.code, "repair")
        self.assertEqual(ticket.partner_id, self.records["contact"])
        self.assertEqual(ticket.customer_request, "A technician on site this week")

    def test_customer_portal_pages_open(self):
        customer = self._portal_customer()
        self.authenticate(customer.login, customer.login)
        pages = crawl_portal(self)
        self.assertIn("/my/aftersales", pages)
        self.assertIn(f"/my/aftersales/{self.records['repair'].id}", pages)
        self.assertIn(f"/my/aftersales/{self.records['complaint'].id}", pages)
