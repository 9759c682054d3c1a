from odoo.tests import tagged

from .common import NetworkCase


@tagged("post_install", "-at_install")
class TestIndicatorsByOutlet(NetworkCase):
    def test_requests_grouped_by_outlet(self):
        when = "2023-03-06 01:00:00"
        for outlet, count in ((self.outlet_a, 2), (self.outlet_b, 1)):
            for _n in range(count):
                self._ticket(self.customer_hz, request_date=when).write({"outlet_id": outlet.id})
        self._ticket(self.customer_hz, request_date=when)
        groups = dict(
            self.env["aftersales.indicator"]._read_group(
                [
                    ("date", "=", "2023-03-06"),
                    ("outlet_id", "in", (self.outlet_a | self.outlet_b).ids),
                ],
                ["outlet_id"],
                ["request_count:sum"],
            )
        )
        self.assertEqual(groups, {self.outlet_a: 2, self.outlet_b: 1})
