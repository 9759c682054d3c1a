import time
from datetime import date

from odoo import Command
from odoo.tests import tagged

from .care_common import CareCase

# drawing a sample of 100 out of 50,000 closed requests: measured 82, whatever the sizes (one
# query draws, one batched create plans the callbacks and their answers; 74 for a sample of 10)
DRAW_BUDGET = 85


@tagged("post_install", "-at_install")
class TestCarePerformance(CareCase):
    def _insert_closed_requests(self, customers, requests):
        """``requests`` closed repairs of 2026 spread over ``customers`` new customer companies,
        inserted by SQL (the ORM would take minutes)."""
        cr = self.env.cr
        cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, active, is_company, type,
                                     autopost_bills, create_date, write_date)
            SELECT 'Sampled customer ' || n, 'Sampled customer ' || n, TRUE, TRUE, 'contact',
                   'ask', now(), now()
              FROM generate_series(1, %s) n
            RETURNING id
            """,
            [customers],
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids]
        )
        cr.execute(
            """
            INSERT INTO aftersales_ticket (name, title, channel, request_date, company_id,
                                           ticket_type_id, stage_id, is_closed, closed_date,
                                           partner_id, commercial_partner_id, team_id, priority,
                                           create_date, write_date)
            SELECT 'PERF' || n, 'Pump repair', 'phone', '2026-01-01', %(company)s, %(type)s,
                   %(stage)s, TRUE, timestamp '2026-01-01' + (n %% 360) * interval '1 day',
                   p.ids[1 + n %% %(customers)s], p.ids[1 + n %% %(customers)s], %(team)s, '0',
                   now(), now()
              FROM generate_series(1, %(requests)s) n, (SELECT %(partners)s::int[] AS ids) p
            """,
            {
                "company": self.company.id,
                "type": self.type_repair.id,
                "stage": self.stage_done.id,
                "customers": customers,
                "requests": requests,
                "partners": partner_ids,
                "team": self.team.id,
            },
        )
        cr.execute("ANALYZE aftersales_ticket")
        self.env.invalidate_all()

    def test_draw_100_of_50000_closed_requests(self):
        self._insert_closed_requests(customers=5000, requests=50000)
        campaign = self.env["aftersales.callback.campaign"].create(
            {
                "name": "Repairs 2026",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "ticket_type_ids": [Command.set(self.type_repair.ids)],
                "sample_size": 100,
                "user_ids": [Command.set((self.user + self.colleague).ids)],
            }
        )
        campaign = campaign.with_user(self.manager).with_context(aftersales_sample_seed="perf")
        campaign.env.invalidate_all()
        started = time.perf_counter()
        with self.assertQueryCount(__system__=DRAW_BUDGET):
            campaign.action_draw_sample()
            campaign.env.flush_all()
        elapsed = time.perf_counter() - started
        self.assertEqual(len(campaign.callback_ids), 100)
        self.assertEqual(len(campaign.callback_ids.commercial_partner_id), 100)
        self.assertLess(elapsed, 10)
