from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .test_policy import PolicyCase


@tagged("post_install", "-at_install")
class TestPolicyPortal(PolicyCase, HttpCase):
    """Customers read the published public policies of the company serving them, nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, "pol_portal", groups="base.group_portal", name="Customer Huang"
        )
        cls.public = cls.make_policy(
            number="T/COM-01",
            name="Repair Commitments",
            is_public=True,
            content="<p>On site within 24 hours in cities.</p>",
        )
        cls.internal = cls.make_policy(number="T/ETQ-01", name="Staff Etiquette")
        cls.draft = cls.make_policy(
            number="T/RTX-01", name="Return Rules Draft", is_public=True, publish=False
        )
        cls.other_company = cls.env["res.company"].create({"name": "Pumps North Ltd"})
        cls.foreign = cls.env["aftersales.policy"].create(
            {
                "number": "N/COM-01",
                "name": "Northern Commitments",
                "category_id": cls.category.id,
                "company_id": cls.other_company.id,
                "state": "published",
                "is_public": True,
            }
        )

    def test_public_published_policies_listed_and_readable(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        listing = self.url_open("/my/policies")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Repair Commitments", listing.text)
        self.assertNotIn("Staff Etiquette", listing.text)
        self.assertNotIn("Return Rules Draft", listing.text)
        self.assertNotIn("Northern Commitments", listing.text)
        page = self.url_open(f"/my/policies/{self.public.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("On site within 24 hours in cities.", page.text)
        self.assertIn("A/0", page.text)

    def test_non_public_draft_and_foreign_policies_refused(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        for policy in (self.internal, self.draft, self.foreign):
            response = self.url_open(f"/my/policies/{policy.id}")
            self.assertEqual(response.status_code, 404, policy.name)
            self.assertNotIn(policy.name, response.text)

    def test_the_obsolete_revision_leaves_the_portal(self):
        a1 = self.revise(self.public)
        a1.write({"content": "<p>On site within 12 hours in cities.</p>"})
        self.publish(a1)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        self.assertEqual(self.url_open(f"/my/policies/{self.public.id}").status_code, 404)
        page = self.url_open(f"/my/policies/{a1.id}")
        self.assertIn("12 hours", page.text)

    def test_portal_user_of_the_other_company_sees_its_policies(self):
        customer = new_test_user(
            self.env,
            "pol_portal_north",
            groups="base.group_portal",
            company_id=self.other_company.id,
            company_ids=[Command.set([self.other_company.id])],
        )
        self.authenticate(customer.login, customer.login)
        listing = self.url_open("/my/policies")
        self.assertIn("Northern Commitments", listing.text)
        self.assertNotIn("Repair Commitments", listing.text)

    def test_home_counter(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_policy_count"]}
        )
        public_count = self.env["aftersales.policy"].search_count(
            [
                ("state", "=", "published"),
                ("is_public", "=", True),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(counters["aftersales_policy_count"], public_count)
