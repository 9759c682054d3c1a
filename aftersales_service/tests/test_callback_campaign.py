from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .care_common import CareCase


class TestCallbackCampaign(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Campaign = cls.env["aftersales.callback.campaign"]
        # a kind of the tests' own: the demo's closed repairs stay out of the samples
        cls.type_repair = cls.env["aftersales.ticket.type"].create(
            {"name": "Pump overhaul", "code": "care_test_overhaul"}
        )
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Customer {i:02d}", "is_company": True} for i in range(12)]
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Sun", "parent_id": cls.customers[0].id}
        )
        vals_list = []
        # 2026: two closed repairs per customer (one by a contact for the first one), a
        # consultation per customer; and repairs closed in 2025 and still open
        for index, customer in enumerate(cls.customers):
            for partner in (customer, cls.contact if index == 0 else customer):
                vals_list.append(
                    {"partner_id": partner.id, "ticket_type_id": cls.type_repair.id, "year": 2026}
                )
            vals_list.append(
                {
                    "partner_id": customer.id,
                    "ticket_type_id": cls.type_consultation.id,
                    "year": 2026,
                }
            )
            vals_list.append(
                {"partner_id": customer.id, "ticket_type_id": cls.type_repair.id, "year": 2025}
            )
        tickets = cls.env["aftersales.ticket"].create(
            [
                {
                    "title": "Pump noisy",
                    "partner_id": vals["partner_id"],
                    "ticket_type_id": vals["ticket_type_id"],
                    "team_id": cls.team.id,
                }
                for vals in vals_list
            ]
        )
        tickets.stage_id = cls.stage_done
        for ticket, vals in zip(tickets, vals_list, strict=True):
            ticket.closed_date = datetime(vals["year"], 6, 15, 10, 0)
        cls.open_repair = cls.create_ticket_cls(
            partner_id=cls.customers[1].id, ticket_type_id=cls.type_repair.id
        )
        cls.repairs_2026 = tickets.filtered(
            lambda t: t.ticket_type_id == cls.type_repair and t.closed_date.year == 2026
        )

    @classmethod
    def create_ticket_cls(cls, **values):
        return cls.env["aftersales.ticket"].create(
            {"title": "Open repair", "team_id": cls.team.id, **values}
        )

    def create_campaign(self, **values):
        vals = {
            "name": "Repair customers 2026",
            "date_from": date(2026, 1, 1),
            "date_to": date(2026, 12, 31),
            "ticket_type_ids": [Command.set(self.type_repair.ids)],
            "sample_size": 5,
            "user_ids": [Command.set((self.user + self.colleague).ids)],
        }
        vals.update(values)
        return self.Campaign.with_user(self.manager).create(vals)

    def test_sample_size_period_kind_one_per_customer(self):
        campaign = self.create_campaign()
        campaign.with_context(aftersales_sample_seed="s1").action_draw_sample()
        callbacks = campaign.callback_ids
        self.assertEqual(len(callbacks), 5)
        self.assertEqual(len(callbacks.commercial_partner_id), 5)
        self.assertLessEqual(callbacks.ticket_id, self.repairs_2026)
        self.assertEqual(set(callbacks.mapped("state")), {"planned"})

    def test_callbacks_are_spread_over_the_callers(self):
        campaign = self.create_campaign(sample_size=6)
        campaign.with_context(aftersales_sample_seed="s1").action_draw_sample()
        by_user = {
            user: len(campaign.callback_ids.filtered(lambda c, u=user: c.user_id == u))
            for user in self.user + self.colleague
        }
        self.assertEqual(list(by_user.values()), [3, 3])

    def test_second_draw_adds_nobody_twice(self):
        campaign = self.create_campaign(sample_size=5)
        campaign.with_context(aftersales_sample_seed="s1").action_draw_sample()
        first = campaign.callback_ids
        with self.assertRaises(UserError):
            campaign.action_draw_sample()
        campaign.sample_size = 20
        campaign.with_context(aftersales_sample_seed="s1").action_draw_sample()
        self.assertEqual(len(campaign.callback_ids), 12)
        self.assertLess(first, campaign.callback_ids)
        self.assertEqual(len(campaign.callback_ids.commercial_partner_id), 12)
        with self.assertRaises(UserError):
            campaign.with_context(aftersales_sample_seed="s2").action_draw_sample()

    def test_same_seed_same_sample(self):
        one = self.create_campaign()
        two = self.create_campaign(name="Again")
        one.with_context(aftersales_sample_seed="2026").action_draw_sample()
        two.with_context(aftersales_sample_seed="2026").action_draw_sample()
        self.assertEqual(one.callback_ids.ticket_id, two.callback_ids.ticket_id)
        three = self.create_campaign(name="Other seed", sample_size=12)
        three.with_context(aftersales_sample_seed="other").action_draw_sample()
        self.assertEqual(len(three.callback_ids), 12)

    def test_draw_needs_callers_and_requests(self):
        campaign = self.create_campaign(user_ids=[Command.clear()])
        with self.assertRaises(UserError):
            campaign.action_draw_sample()
        self.assertFalse(campaign.callback_ids)
        empty = self.create_campaign(date_from=date(2020, 1, 1), date_to=date(2020, 12, 31))
        with self.assertRaises(UserError):
            empty.action_draw_sample()
        with self.assertRaises(ValidationError):
            self.create_campaign(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))

    def test_results_response_rate_satisfaction(self):
        campaign = self.create_campaign(sample_size=4)
        campaign.with_context(aftersales_sample_seed="s1").action_draw_sample()
        one, two, three, four = campaign.callback_ids.sorted("id")
        answered_before = sum(row["count"] for row in campaign._trend_by_month())
        self.answer(one, [(3, 4)] * len(self.questions))  # +1
        self.answer(two, [(4, 3)] * len(self.questions))  # -1
        self.answer(three, [(4, 4)] * len(self.questions))  # 0
        (one + two + three).action_done()
        four.action_unreachable()
        campaign.invalidate_recordset()
        self.assertEqual(campaign.callback_count, 4)
        self.assertEqual(campaign.done_count, 3)
        self.assertAlmostEqual(campaign.response_rate, 75.0)
        self.assertAlmostEqual(campaign.average_satisfaction, 0.0)
        self.assertAlmostEqual(campaign.satisfaction_rate, 200.0 / 3)
        trend = campaign._trend_by_month()
        self.assertEqual(sum(row["count"] for row in trend), answered_before + 3)
        report = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.report_callback_campaign", campaign.ids
        )[0]
        self.assertIn(b"Trend by Month", report)

    def test_only_managers_run_campaigns(self):
        with self.assertRaises(AccessError):
            self.Campaign.with_user(self.user).create(
                {"name": "x", "date_from": date(2026, 1, 1), "date_to": date(2026, 2, 1)}
            )
        campaign = self.create_campaign()
        self.assertEqual(campaign.with_user(self.user).name, "Repair customers 2026")
        with self.assertRaises(AccessError):
            campaign.with_user(self.user).action_draw_sample()
        self.assertFalse(campaign.callback_ids)
