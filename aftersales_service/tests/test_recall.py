import time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .field_common import FieldCase

# action_find_affected for a whole campaign: the same queries for 10 units or 100,000
FIND_BUDGET = 12
# action_open for 11 customers: the requests in one batched create and the units linked in one
# query; what grows with the customers is Odoo's own follower subscription of the new requests
# (the customer and the assignee, 4 queries a request)
OPEN_BUDGET = 100


@tagged("post_install", "-at_install")
class TestInstalledBase(FieldCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.serials
        cls.customer_site = cls.env["res.partner"].create(
            {
                "name": "Hangzhou Water Works, Xixi plant",
                "parent_id": cls.customer.id,
                "type": "delivery",
            }
        )
        cls.deliver(cls.customer_site, s[0] | s[1] | s[2])
        cls.deliver(cls.other_customer, s[3])
        cls.take_back(cls.customer, s[1])
        # the returned valve went on to the other customer
        cls.deliver(cls.other_customer, s[1])
        # an untracked pump: 5 delivered, 2 back
        cls.deliver(cls.customer, product=cls.product, quantity=5)
        cls.take_back(cls.customer, product=cls.product, quantity=2)

    def _units(self, domain=()):
        return self.env["aftersales.installed.unit"].search(
            [("product_id", "in", (self.valve | self.product).ids), *domain]
        )

    def test_installed_base_net_of_returns(self):
        units = self._units()
        s = self.serials
        held = {(u.partner_id, u.product_id, u.lot_id, u.quantity) for u in units}
        self.assertEqual(
            held,
            {
                (self.customer, self.valve, s[0], 1.0),
                (self.customer, self.valve, s[2], 1.0),
                (self.other_customer, self.valve, s[3], 1.0),
                (self.other_customer, self.valve, s[1], 1.0),
                (self.customer, self.product, self.env["stock.lot"], 3.0),
            },
        )
        unit = units.filtered(lambda u: u.lot_id == s[0])
        self.assertEqual(unit.site_partner_id, self.customer_site, "where it was delivered")
        self.assertTrue(unit.delivery_date)
        self.assertEqual(unit.warranty_end_date.year, unit.delivery_date.year + 1)

    def test_installed_base_searchable_by_serial_and_customer(self):
        self.assertEqual(
            self._units([("lot_id.name", "=", "BV-002")]).partner_id, self.other_customer
        )
        self.assertEqual(len(self._units([("partner_id", "=", self.customer.id)])), 3)

    def test_history_of_a_unit(self):
        ticket = self.create_ticket(
            ticket_type_id=self.type_repair.id, product_id=self.valve.id, lot_id=self.serials[1].id
        )
        unit = self._units([("lot_id", "=", self.serials[1].id)]).with_user(self.manager)
        self.assertFalse(unit.ticket_ids, "the request is the first customer's, not this one's")
        ticket.partner_id = self.other_customer
        unit.invalidate_recordset()
        self.assertEqual(unit.ticket_ids, ticket)
        record = self.env["aftersales.service.record"].create({"ticket_id": ticket.id})
        unit.invalidate_recordset()
        self.assertEqual(unit.service_record_ids, record)
        self.assertEqual(len(unit.sudo().move_line_ids), 1, "only the delivery to this customer")

    def test_loans_are_not_installed_units(self):
        self.warehouse.aftersales_standby_location_id = self.stock
        ticket = self.create_ticket(ticket_type_id=self.type_repair.id)
        loan = self.env["aftersales.standby.loan"].create(
            {
                "ticket_id": ticket.id,
                "product_id": self.valve.id,
                "lot_id": self.serials[4].id,
                "date_due": "2099-01-01",
            }
        )
        loan.action_lend()
        self.assertFalse(self._units([("lot_id", "=", self.serials[4].id)]))


@tagged("post_install", "-at_install")
class TestRecall(FieldCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.serials
        cls.deliver(cls.customer, s[0] | s[1] | s[2])
        cls.deliver(cls.other_customer, s[3])
        cls.take_back(cls.customer, s[1])
        # a pump, not recalled, at the same customer
        cls.deliver(cls.customer, product=cls.product, quantity=2)
        cls.third_customer = cls.env["res.partner"].create(
            {"name": "Ningbo Heating Co.", "is_company": True, "email": "nb@example.com"}
        )
        cls.other_customer.email = "tj@example.com"

    def _recall(self, **values):
        vals = {
            "name": "Ball valves DN50, seat batch 2026-03",
            "reason": "<p>The seat can crack under 16 bar.</p>",
            "product_ids": [Command.set(self.valve.ids)],
            "team_id": self.team.id,
        }
        vals.update(values)
        return self.env["aftersales.recall"].with_user(self.manager).create(vals)

    def _held(self, recall):
        return {(line.partner_id, line.lot_id) for line in recall.line_ids}

    def test_find_affected_exact(self):
        recall = self._recall()
        recall.action_find_affected()
        s = self.serials
        self.assertEqual(
            self._held(recall),
            {(self.customer, s[0]), (self.customer, s[2]), (self.other_customer, s[3])},
            "the returned valve, the valves in stock and the pump are not affected",
        )
        self.assertEqual(set(recall.line_ids.mapped("state")), {"todo"})
        self.assertEqual(recall.affected_count, 3)
        self.assertEqual(recall.customer_count, 2)
        # found again: the same lines, not twice as many
        recall.action_find_affected()
        self.assertEqual(len(recall.line_ids), 3)

    def test_find_affected_by_lots(self):
        recall = self._recall(lot_ids=[Command.set((self.serials[1] | self.serials[2]).ids)])
        recall.action_find_affected()
        self.assertEqual(self._held(recall), {(self.customer, self.serials[2])})

    def test_open_one_request_per_customer_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_service"], ["zh_CN"])
        self.other_customer.lang = "zh_CN"
        recall = self._recall()
        recall.action_find_affected()
        recall.action_open()
        self.assertEqual(recall.state, "open")
        tickets = recall.ticket_ids
        self.assertEqual(len(tickets), 2)
        self.assertEqual(tickets.partner_id, self.customer | self.other_customer)
        self.assertEqual(set(tickets.mapped("ticket_type_code")), {"recall"})
        mine = tickets.filtered(lambda t: t.partner_id == self.customer)
        self.assertEqual(mine.quantity, 2)
        self.assertEqual(mine.product_id, self.valve)
        self.assertIn("BV-001", mine.description)
        self.assertIn("BV-003", mine.description)
        for line in recall.line_ids:
            self.assertEqual(line.ticket_id.partner_id, line.partner_id)
        template = self.env.ref("aftersales_service.mail_template_recall_notice")
        queued = self.env["aftersales.ticket.mail"].search([("ticket_id", "in", tickets.ids)])
        self.assertEqual(queued.filtered(lambda m: m.template_id == template).ticket_id, tickets)
        self.assertEqual(
            template._render_lang(tickets.ids),
            {mine.id: "en_US", (tickets - mine).id: "zh_CN"},
        )
        self.env["aftersales.ticket.mail"]._cron_send()
        for ticket in tickets:
            notice = ticket.message_ids.filtered(lambda m: recall.name in (m.subject or ""))
            self.assertEqual(notice.partner_ids, ticket.partner_id, "each customer is told")

    def test_progress_and_closing_rule(self):
        recall = self._recall()
        recall.action_find_affected()
        with self.assertRaisesRegex(UserError, "open recall"):
            recall.line_ids[0].action_done()
        with self.assertRaisesRegex(UserError, "open recall"):
            recall.line_ids[0].with_user(self.user).write({"state": "done"})
        recall.action_open()
        first, second, third = recall.line_ids
        first.with_user(self.user).action_done()
        self.assertAlmostEqual(recall.progress, 100.0 / 3)
        second.with_user(self.user).action_unreachable()
        with self.assertRaisesRegex(UserError, "1 units to handle"):
            recall.action_close()
        self.assertEqual(recall.state, "open")
        with self.assertRaises(AccessError):
            third.with_user(self.user).action_waive()
        with self.assertRaises(AccessError):
            third.with_user(self.user).write({"is_waived": True, "waive_reason": "moved"})
        with self.assertRaisesRegex(UserError, "reason"):
            third.with_user(self.manager).action_waive()
        self.assertFalse(third.is_waived)
        third.with_user(self.manager).write({"waive_reason": "Plant closed, valve scrapped"})
        third.with_user(self.manager).action_waive()
        self.assertEqual(third.waived_by_id, self.manager)
        recall.with_user(self.manager).action_close()
        self.assertEqual(recall.state, "done")
        self.assertAlmostEqual(recall.progress, 100.0 / 3, msg="done ÷ affected, waived not done")

    def test_closing_a_recall_request_marks_its_units_done(self):
        recall = self._recall()
        recall.action_find_affected()
        recall.action_open()
        mine = recall.line_ids.filtered(lambda line: line.partner_id == self.customer)
        others = recall.line_ids - mine
        self.assertEqual((len(mine), len(others)), (2, 1))
        contacted, unreachable = mine
        contacted.with_user(self.user).action_contacted()
        unreachable.with_user(self.user).action_unreachable()
        mine.ticket_id.with_user(self.user).stage_id = self.stage_done
        self.assertEqual(contacted.state, "done")
        self.assertEqual(unreachable.state, "unreachable", "kept as recorded")
        self.assertEqual(others.state, "todo", "the other customer's units wait for their request")

    def test_users_work_lines_but_do_not_run_recalls(self):
        recall = self._recall()
        with self.assertRaises(AccessError):
            recall.with_user(self.user).action_find_affected()
        with self.assertRaises(AccessError):
            self.env["aftersales.recall"].with_user(self.user).create(
                {"name": "x", "reason": "<p>x</p>", "product_ids": [Command.set(self.valve.ids)]}
            )
        recall.action_find_affected()
        recall.action_open()
        line = recall.line_ids[0].with_user(self.user)
        line.action_contacted()
        self.assertEqual(line.state, "contacted")
        self.assertTrue(recall.with_user(self.user).affected_count)

    def test_open_needs_affected_units_and_draft(self):
        recall = self._recall(lot_ids=[Command.set(self.serials[5].ids)])
        recall.action_find_affected()
        with self.assertRaisesRegex(UserError, "no affected units"):
            recall.action_open()
        self.assertEqual(recall.state, "draft")
        self.assertFalse(recall.ticket_ids)

    def test_open_for_many_customers_within_budget(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Water plant {n}", "email": f"plant{n}@example.com"} for n in range(10)]
        )
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 60)
        for customer in customers:
            self.deliver(customer, product=self.product, quantity=2)
        recall = self._recall(product_ids=[Command.set(self.product.ids)])
        recall.action_find_affected()
        self.assertEqual(recall.customer_count, 11, "the thirty plants and Hangzhou Water Works")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(OPEN_BUDGET):
            recall.action_open()
            self.env.flush_all()
        self.assertEqual(len(recall.ticket_ids), 11)

    def test_find_affected_over_100000_units_within_budget(self):
        """100 customers with 1,000 delivered valves each, 500 of them returned: built by SQL."""
        cr = self.env.cr
        company = self.company.id
        valve = self.valve.id
        uom = self.valve.uom_id.id
        out_type = self.warehouse.out_type_id.id
        partners = (
            self.env["res.partner"]
            .create([{"name": f"Bulk customer {n}", "is_company": True} for n in range(100)])
            .ids
        )
        cr.execute(
            "INSERT INTO stock_picking (name, partner_id, picking_type_id, location_id, "
            "location_dest_id, move_type, state, company_id) "
            "SELECT 'BULK/' || p, p, %s, %s, %s, 'direct', 'done', %s FROM unnest(%s) p "
            "RETURNING id, partner_id",
            [out_type, self.stock.id, self.customers_location.id, company, partners],
        )
        pickings = cr.fetchall()
        cr.execute(
            "INSERT INTO stock_lot (name, product_id, company_id) "
            "SELECT 'BULK-' || n, %s, %s FROM generate_series(1, 100000) n RETURNING id",
            [valve, company],
        )
        lots = [row[0] for row in cr.fetchall()]
        cr.execute(
            "INSERT INTO stock_move_line (company_id, product_id, product_uom_id, location_id, "
            "location_dest_id, date, quantity, quantity_product_uom, state, picking_id, lot_id) "
            "SELECT %s, %s, %s, %s, %s, now(), 1, 1, 'done', pick.id, lot.id "
            "FROM unnest(%s, %s) AS pick(id, partner_id) "
            "JOIN LATERAL unnest(%s::int[]) WITH ORDINALITY AS lot(id, n) "
            "ON (lot.n - 1) / 1000 = array_position(%s, pick.id) - 1",
            [
                company,
                valve,
                uom,
                self.stock.id,
                self.customers_location.id,
                [p for p, _partner in pickings],
                [partner for _p, partner in pickings],
                lots,
                [p for p, _partner in pickings],
            ],
        )
        self.assertEqual(cr.rowcount, 100000)
        # 500 valves of the first customer came back
        cr.execute(
            "INSERT INTO stock_move_line (company_id, product_id, product_uom_id, location_id, "
            "location_dest_id, date, quantity, quantity_product_uom, state, picking_id, lot_id) "
            "SELECT company_id, product_id, product_uom_id, location_dest_id, location_id, "
            "now(), 1, 1, 'done', picking_id, lot_id FROM stock_move_line "
            "WHERE picking_id = %s ORDER BY id LIMIT 500",
            [pickings[0][0]],
        )
        self.env.invalidate_all()
        # the statistics PostgreSQL keeps of a database where these units were delivered over
        # time (autovacuum cannot see rows this transaction wrote; ANALYZE here does)
        cr.execute("ANALYZE stock_move_line, stock_picking, stock_lot, res_partner")
        recall = self._recall()
        recall.flush_recordset()
        started = time.perf_counter()
        with self.assertQueryCount(FIND_BUDGET):
            recall.action_find_affected()
        elapsed = time.perf_counter() - started
        self.assertEqual(recall.affected_count, 3 + 100000 - 500)
        self.assertEqual(recall.customer_count, 2 + 100)
        self.assertLess(elapsed, 60, "grouped in the database, not a query per unit")


@tagged("post_install", "-at_install")
class TestRecallNotice(HttpCase):
    def test_public_notice_of_published_recalls(self):
        valve = self.env["product.product"].create({"name": "Ball valve DN50 public"})
        Recall = self.env["aftersales.recall"]
        values = {"reason": "<p>internal analysis</p>", "product_ids": [Command.set(valve.ids)]}
        published = Recall.create(
            dict(
                values,
                name="Recall of DN50 valves",
                is_published=True,
                public_notice="<p>Stop using the valve and call us.</p>",
                state="open",
            )
        )
        Recall.create(dict(values, name="Quiet draft recall", is_published=True))
        Recall.create(dict(values, name="Unpublished recall", state="open"))
        page = self.url_open("/recalls")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Recall of DN50 valves", page.text)
        self.assertNotIn("Quiet draft recall", page.text)
        self.assertNotIn("Unpublished recall", page.text)
        page = self.url_open(f"/recalls/{published.id}")
        self.assertIn("Stop using the valve", page.text)
        self.assertNotIn("internal analysis", page.text)
        self.assertEqual(self.url_open(f"/recalls/{published.id + 1}").status_code, 404)


@tagged("post_install", "-at_install")
class TestRecallCompanies(FieldCase):
    def test_other_companys_recalls_loans_and_plans_are_hidden(self):
        other = self.env["res.company"].create({"name": "Tianjin Branch"})
        recall = self.env["aftersales.recall"].create(
            {
                "name": "Tianjin valves",
                "reason": "<p>x</p>",
                "product_ids": [Command.set(self.valve.ids)],
                "company_id": other.id,
            }
        )
        plan = self.env["aftersales.parts.plan"].create(
            {
                "name": "Tianjin plan",
                "company_id": other.id,
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "phase": "1",
                "production_qty": 10,
                "warehouse_id": False,
            }
        )
        for model, record in (("aftersales.recall", recall), ("aftersales.parts.plan", plan)):
            Model = self.env[model].with_user(self.manager)
            self.assertFalse(Model.search([("id", "=", record.id)]))
            with self.assertRaises(AccessError):
                record.with_user(self.manager).read(["name"])
        self.manager.company_ids |= other
        self.assertEqual(
            self.env["aftersales.recall"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([("id", "=", recall.id)]),
            recall,
        )
