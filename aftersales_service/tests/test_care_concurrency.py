from odoo import fields
from odoo.tests import tagged

from .two_workers import TwoWorkersCase


@tagged("post_install", "-at_install")
class TestCareJobsTwoWorkers(TwoWorkersCase):
    """The key-customer care job run by two workers at once plans one visit per customer."""

    def test_visit_planning_job(self):
        with self.committed() as env:
            env.cr.execute("SELECT COALESCE(max(id), 0) FROM aftersales_visit")
            last_visit = env.cr.fetchone()[0]
            customers = self.keep(
                env["res.partner"].create(
                    [
                        {
                            "name": f"并发测试重点客户 {i}",
                            "is_company": True,
                            "is_key_customer": True,
                        }
                        for i in range(3)
                    ]
                )
            )
            customer_ids = customers.ids
        self.run_two_workers(lambda env: env["aftersales.visit"]._cron_key_customer_care(1))
        with self.committed() as env:
            # every visit the runs planned (the demo's key customers too) goes at the end
            visits = self.keep(env["aftersales.visit"].search([("id", ">", last_visit)]))
            year = fields.Date.context_today(visits).year
            for customer_id in customer_ids:
                mine = visits.filtered(lambda v, c=customer_id: v.partner_id.id == c)
                self.assertEqual(len(mine), 1, f"customer {customer_id}")
                self.assertEqual(mine.year, year)
