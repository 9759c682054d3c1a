import json
from urllib.parse import urlparse

from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAftersalesPortal(HttpCase):
    """The customer portal: isolation between customers, submission, conversation, tokens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Alpha Pumps Ltd", "is_company": True})
        cls.contact_a = Partner.create(
            {"name": "Anna Alpha", "parent_id": cls.customer_a.id, "email": "anna@alpha.example"}
        )
        cls.customer_b = Partner.create({"name": "Beta Valves Co", "is_company": True})
        cls.contact_b = Partner.create(
            {"name": "Bob Beta", "parent_id": cls.customer_b.id, "email": "bob@beta.example"}
        )
        cls.portal_a = new_test_user(
            cls.env,
            "as_portal_a",
            groups="base.group_portal",
            partner_id=cls.contact_a.id,
            name=cls.contact_a.name,
        )
        cls.portal_b = new_test_user(
            cls.env,
            "as_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
            name=cls.contact_b.name,
        )
        Product = cls.env["product.product"]
        cls.pump = Product.create({"name": "Circulation Pump CP-40", "type": "consu"})
        cls.valve = Product.create({"name": "Check Valve DN25", "type": "consu"})
        cls.order_a = cls._confirmed_order(cls.contact_a, cls.pump)
        cls.order_b = cls._confirmed_order(cls.contact_b, cls.valve)
        Ticket = cls.env["aftersales.ticket"]
        cls.ticket_a = Ticket.create(
            {"title": "Pump makes a grinding noise", "partner_id": cls.contact_a.id}
        )
        cls.ticket_b = Ticket.create(
            {"title": "Valve leaks at the flange", "partner_id": cls.contact_b.id}
        )
        cls.kind_repair = cls.env.ref("aftersales_service.ticket_type_repair")

    @classmethod
    def _confirmed_order(cls, partner, product):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10})],
            }
        )
        order.action_confirm()
        return order

    def _submit(self, **values):
        """POST the request form as the authenticated user; return the response."""
        files = values.pop("files", None)
        data = {
            "title": "Pump stopped after two days",
            "ticket_type_id": self.kind_repair.id,
            "sale_order_id": self.order_a.id,
            "product_id": self.pump.id,
            "quantity": "4",
            "defective_qty": "1",
            "customer_request": "A replacement pump",
            "description": "It stops <b>after</b> ten minutes.",
            "csrf_token": http.Request.csrf_token(self),
        }
        data.update(values)
        return self.url_open("/my/aftersales/new", data=data, files=files)

    def _tickets_titled(self, title):
        return self.env["aftersales.ticket"].search([("title", "=", title)])

    # ---------------------------------------------------------------------------------------
    # isolation
    # ---------------------------------------------------------------------------------------
    def test_orm_isolation(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.portal_a)
        self.assertEqual(Ticket.search([]), self.ticket_a.with_user(self.portal_a))
        self.assertEqual(Ticket.search_count([("id", "=", self.ticket_b.id)]), 0)
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.portal_a).read(["title"])
        # a colleague of the same customer company sees the company's requests
        colleague = self.env["res.partner"].create(
            {"name": "Alan Alpha", "parent_id": self.customer_a.id}
        )
        shared = self.env["aftersales.ticket"].create(
            {"title": "Manual missing", "partner_id": colleague.id}
        )
        self.assertIn(shared, Ticket.search([]))
        self.assertEqual(
            shared.with_user(self.portal_a).read(["title"])[0]["title"], "Manual missing"
        )

    @mute_logger("odoo.http")
    def test_route_isolation(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open(f"/my/aftersales/{self.ticket_b.id}")
        self.assertEqual(urlparse(response.url).path, "/my")
        self.assertNotIn(self.ticket_b.title, response.text)
        self.assertNotIn(self.ticket_b.name, response.text)

        # the customer's own rating shows on their request
        self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("aftersales.ticket"),
                "res_id": self.ticket_a.id,
                "partner_id": self.contact_a.id,
                "rating": 5,
                "feedback": "Fast and friendly service",
                "consumed": True,
            }
        )
        response = self.url_open(f"/my/aftersales/{self.ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.title, response.text)
        self.assertIn(self.ticket_a.stage_id.name, response.text)
        self.assertIn("Fast and friendly service", response.text)
        self.assertIn('class="d-print-none o_portal_chatter', response.text)

        home = self.url_open("/my")
        self.assertIn('href="/my/aftersales"', home.text)
        self.assertIn('data-placeholder_count="aftersales_count"', home.text)
        self.assertIn('href="/my/aftersales/new"', home.text)

        for url in ("/my/aftersales", "/my/aftersales?filterby=all&sortby=stage"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn(self.ticket_a.name, response.text)
            self.assertNotIn(self.ticket_b.name, response.text)
        # a search that matches B's reference still shows nothing of B
        response = self.url_open(f"/my/aftersales?search={self.ticket_b.name}&filterby=all")
        self.assertIn("There are no after-sales requests to show here.", response.text)
        self.assertNotIn(self.ticket_b.access_url, response.text)
        self.assertNotIn(self.ticket_b.title, response.text)

        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["aftersales_count"]})
        self.assertEqual(counters["aftersales_count"], 1)

    def test_list_queries_do_not_grow_with_tickets(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)

        def list_queries():
            start = self.cr.sql_log_count
            response = self.url_open("/my/aftersales?filterby=all")
            self.assertEqual(response.status_code, 200)
            return self.cr.sql_log_count - start

        list_queries()  # warm the caches (templates, session, rules)
        few = list_queries()
        stages = self.env["aftersales.ticket.stage"].search([("is_cancel", "=", False)])
        kinds = self.env["aftersales.ticket.type"].search([])
        self.env["aftersales.ticket"].create(
            [
                {
                    "title": f"Follow-up {index}",
                    "partner_id": self.contact_a.id,
                    "stage_id": stages[index % len(stages)].id,
                    "ticket_type_id": kinds[index % len(kinds)].id,
                }
                for index in range(6)
            ]
        )
        list_queries()  # the first request after the creation also flushes it
        self.assertEqual(list_queries(), few)

    @mute_logger("odoo.http")
    def test_access_token(self):
        token = self.ticket_b._portal_ensure_token()
        # not logged in: the token alone opens the request
        response = self.url_open(f"/my/aftersales/{self.ticket_b.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_b.title, response.text)
        # a wrong token opens nothing and leads to the login page
        response = self.url_open(f"/my/aftersales/{self.ticket_b.id}?access_token=wrong")
        self.assertEqual(urlparse(response.url).path, "/web/login")
        self.assertNotIn(self.ticket_b.title, response.text)
        # the e-mails link to this page, with the token
        self.assertEqual(self.ticket_b.access_url, f"/my/aftersales/{self.ticket_b.id}")
        self.assertEqual(
            self.ticket_b.get_portal_url(), f"{self.ticket_b.access_url}?access_token={token}"
        )

    # ---------------------------------------------------------------------------------------
    # submission
    # ---------------------------------------------------------------------------------------
    def test_submit_request(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        form = self.url_open("/my/aftersales/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn(self.order_a.name, form.text)
        self.assertNotIn(self.order_b.name, form.text)
        self.assertNotIn(self.valve.name, form.text)

        response = self._submit(
            lot_name="SN-0042",
            files=[
                ("attachments", ("photo.jpg", b"not really a photo", "image/jpeg")),
                ("attachments", ("invoice.txt", b"invoice text", "text/plain")),
            ],
        )
        ticket = self._tickets_titled("Pump stopped after two days")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(urlparse(response.url).path, f"/my/aftersales/{ticket.id}")
        self.assertIn(ticket.name, response.text)
        self.assertEqual(ticket.partner_id, self.contact_a)
        self.assertEqual(ticket.commercial_partner_id, self.customer_a)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.company_id, self.order_a.company_id)
        self.assertEqual(ticket.ticket_type_id, self.kind_repair)
        self.assertEqual(ticket.sale_order_id, self.order_a)
        self.assertEqual(ticket.product_id, self.pump)
        self.assertEqual((ticket.quantity, ticket.defective_qty), (4, 1))
        self.assertEqual(ticket.customer_request, "A replacement pump")
        # typed text is escaped, the unknown serial number is kept for the staff
        self.assertIn("&lt;b&gt;after&lt;/b&gt;", ticket.description)
        self.assertIn("SN-0042", ticket.description)
        self.assertFalse(ticket.lot_id)

        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(sorted(attachments.mapped("name")), ["invoice.txt", "photo.jpg"])
        message = ticket.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids, attachments)
        self.assertEqual(message.author_id, self.contact_a)
        # the customer sees it in the portal
        self.assertEqual(
            self.env["aftersales.ticket"].with_user(self.portal_a).search([("id", "=", ticket.id)]),
            ticket,
        )

    def test_submit_refusals(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        cases = [
            (
                "another customer's order",
                {"sale_order_id": self.order_b.id, "product_id": self.valve.id},
                "This order is not one of your confirmed orders",
            ),
            (
                "a product outside the order",
                {"product_id": self.valve.id},
                "This product is not part of order",
            ),
            ("more defective than delivered", {"defective_qty": "5"}, "cannot be larger"),
            ("a quantity that is not a number", {"quantity": "a few"}, "must be a number"),
            ("no kind", {"ticket_type_id": ""}, "Choose the kind of request"),
        ]
        for label, values, message in cases:
            with self.subTest(label):
                title = f"Refused: {label}"
                response = self._submit(title=title, **values)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(urlparse(response.url).path, "/my/aftersales/new")
                self.assertIn(message, response.text)
                # what the customer typed is still in the form
                self.assertIn(f'value="{title}"', response.text.replace("&#39;", "'"))
                self.assertFalse(self._tickets_titled(title))

        self.kind_repair.active = False
        response = self._submit(title="Refused: archived kind")
        self.assertIn("Choose the kind of request", response.text)
        self.assertFalse(self._tickets_titled("Refused: archived kind"))

    @mute_logger("odoo.http")
    def test_submit_needs_csrf_token(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self._submit(title="Forged request", csrf_token="forged")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._tickets_titled("Forged request"))

    # ---------------------------------------------------------------------------------------
    # conversation
    # ---------------------------------------------------------------------------------------
    @mute_logger("odoo.http")
    def test_portal_message(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "aftersales.ticket",
                "thread_id": self.ticket_a.id,
                "post_data": {"body": "Any news about the pump?", "message_type": "comment"},
            },
        )
        message = self.ticket_a.message_ids.filtered(lambda m: "Any news" in m.body)
        self.assertEqual(message.author_id, self.contact_a)
        self.assertEqual(message.message_type, "comment")
        # nothing can be written on another customer's request
        response = self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "params": {
                        "thread_model": "aftersales.ticket",
                        "thread_id": self.ticket_b.id,
                        "post_data": {"body": "Intruder"},
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("error", response.json())
        self.assertFalse(self.ticket_b.message_ids.filtered(lambda m: "Intruder" in m.body))
