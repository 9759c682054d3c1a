from odoo import Command
from odoo.tests import Form, tagged, users, warmup

from .service_common import ServiceCase

# Budgets measured on Odoo 18.0 Community, including the mail tracking and notifications the
# operation triggers. Handing in: lock, one done stock move for the part, its quants, the
# valuation-free accounting of a storable product and the cleared reminders.
SUBMIT_BUDGET = 52
# Creating a return from a request: Odoo's return wizard on the original delivery (copy of the
# picking, its move, confirmation and reservation) plus the quantity check and the link. 71 on
# an empty database; with the demo data's stock in the database Odoo's return makes one more.
RETURN_BUDGET = 72


@tagged("post_install", "-at_install", "aftersales_perf")
class TestServiceQueries(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.create_delivered_order(cls, cls.customer, 10)
        cls.ticket = cls.create_ticket(
            cls,
            ticket_type_id=cls.env.ref("aftersales_service.ticket_type_return").id,
            sale_order_id=cls.order.id,
            product_id=cls.product.id,
            user_id=cls.user.id,
        )
        cls.env.flush_all()

    def _commit_work(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    @users("as_clerk")
    @warmup
    def test_hand_in_record_queries(self):
        record = self.env["aftersales.service.record"].create(
            {
                "ticket_id": self.ticket.id,
                "technician_ids": [Command.set(self.user.ids)],
                "signature": self.signature,
                "location_id": self.van.id,
                "part_ids": [Command.create({"product_id": self.seal.id, "quantity": 1})],
            }
        )
        self._commit_work()
        record.invalidate_recordset()
        with self.assertQueryCount(as_clerk=SUBMIT_BUDGET):
            record.action_submit()
            self._commit_work()

    @users("as_storekeeper")
    @warmup
    def test_return_from_ticket_queries(self):
        ticket = self.ticket.with_user(self.env.user)
        action = ticket.action_return_delivery()
        wizard = Form(self.env["stock.return.picking"].with_context(**action["context"]))
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = 1
        wizard = wizard.save()
        self._commit_work()
        with self.assertQueryCount(as_storekeeper=RETURN_BUDGET):
            wizard.action_create_returns()
            self._commit_work()
