from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import NetworkCase


class TestAccess(NetworkCase):
    def test_clerk_reads_outlets_but_does_not_manage(self):
        Outlet = self.env["aftersales.outlet"].with_user(self.clerk)
        self.assertIn(self.outlet_a, Outlet.search([]))
        with self.assertRaises(AccessError):
            self.outlet_a.with_user(self.clerk).name = "Renamed"
        with self.assertRaises(AccessError):
            self.env["aftersales.outlet.agreement"].with_user(self.clerk).search([])
        with self.assertRaises(AccessError):
            self.env["aftersales.outlet.level"].with_user(self.clerk).create(
                {"name": "L9", "code": "L9"}
            )

    def test_network_manager_manages(self):
        outlet = self.outlet_a.with_user(self.network_manager)
        outlet.technician_count = 7
        self.assertEqual(outlet.agreement_ids, self.outlet_a.agreement_ids)
        self.env["aftersales.outlet.criterion"].with_user(self.network_manager).create(
            {"name": "Training records", "weight": 5}
        )

    def test_employee_without_aftersales_group(self):
        employee = self.env["res.users"].create(
            {
                "name": "Plain",
                "login": "net_plain",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["aftersales.outlet"].with_user(employee).search([])

    def test_portal_outlet_isolation_orm(self):
        ticket_a = self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        ticket_b = self._ticket(self.customer_sz, outlet_id=self.outlet_b.id)
        Ticket = self.env["aftersales.ticket"]
        self.assertEqual(Ticket.with_user(self.portal_a).search([]), ticket_a)
        self.assertEqual(Ticket.with_user(self.portal_b).search([]), ticket_b)
        self.assertEqual(
            self.env["aftersales.outlet"].with_user(self.portal_a).search([]), self.outlet_a
        )
        with self.assertRaises(AccessError):
            ticket_b.with_user(self.portal_a).read(["title"])
        with self.assertRaises(AccessError):
            ticket_b.with_user(self.portal_a).action_outlet_accept()
        with self.assertRaises(AccessError):
            ticket_a.with_user(self.portal_a).write({"title": "Changed"})
        with self.assertRaises(AccessError):
            self.outlet_b.with_user(self.portal_a).read(["name"])
        ticket_a.with_user(self.portal_a).action_outlet_accept()
        self.assertEqual(ticket_a.outlet_status, "accepted")
        self.assertTrue(ticket_a.outlet_accept_date)

    def test_portal_decline_needs_reason(self):
        ticket = self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            ticket.with_user(self.portal_a).action_outlet_decline("  ")
        ticket.with_user(self.portal_a).action_outlet_decline("No technician free this week")
        self.assertEqual(ticket.outlet_status, "declined")
        self.assertEqual(ticket.outlet_decline_reason, "No technician free this week")
        self.assertTrue(ticket.activity_ids)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "North Pump Co."})
        outlet = self.env["aftersales.outlet"].create(
            {
                "name": "Harbin Service",
                "code": "A",  # codes are unique per company only
                "partner_id": self.env["res.partner"].create({"name": "Harbin Service"}).id,
                "company_id": other_company.id,
            }
        )
        manager = self.network_manager
        self.assertNotIn(outlet, self.env["aftersales.outlet"].with_user(manager).search([]))
        manager.company_ids = [(4, other_company.id)]
        Outlet = self.env["aftersales.outlet"].with_user(manager)
        self.assertNotIn(
            outlet, Outlet.with_context(allowed_company_ids=self.company.ids).search([])
        )
        self.assertIn(outlet, Outlet.with_context(allowed_company_ids=other_company.ids).search([]))

    def test_group_by_region(self):
        groups = self.env["aftersales.outlet"].read_group(
            [("id", "in", (self.outlet_a | self.outlet_b).ids)], ["code"], ["region_ids"]
        )
        regions = {group["region_ids"][0] for group in groups}
        self.assertEqual(regions, {self.region_hangzhou.id, self.region_jiangsu.id})

    def test_customer_portal_user_is_no_outlet(self):
        self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        customer_user = new_test_user(
            self.env,
            "net_customer",
            groups="base.group_portal",
            partner_id=self.env["res.partner"]
            .create({"name": "Buyer", "parent_id": self.customer_sz.id})
            .id,
        )
        self.assertFalse(self.env["aftersales.outlet"].with_user(customer_user).search([]))
        self.assertFalse(
            self.env["aftersales.ticket"]
            .with_user(customer_user)
            .search([("outlet_id", "!=", False)])
        )
