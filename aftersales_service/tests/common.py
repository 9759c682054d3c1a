from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class AftersalesCase(TransactionCase):
    """Shared setup: a team with a Shanghai working calendar, users of each role, customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Shanghai 40h",
                "tz": "Asia/Shanghai",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": "morning" if start < 12 else "afternoon",
                        }
                    )
                    for day in range(5)
                    for start, end in ((8, 12), (13, 17))
                ],
            }
        )
        groups_user = "aftersales_service.group_aftersales_user"
        cls.user = new_test_user(cls.env, "as_clerk", groups=groups_user, name="Clerk Wang")
        cls.colleague = new_test_user(cls.env, "as_colleague", groups=groups_user, name="Li Na")
        cls.outsider = new_test_user(cls.env, "as_outsider", groups=groups_user, name="Zhao Lei")
        cls.leader = new_test_user(
            cls.env, "as_test_leader", groups=groups_user, name="Leader Chen"
        )
        cls.manager = new_test_user(
            cls.env,
            "as_test_manager",
            groups="aftersales_service.group_aftersales_manager",
            name="Manager Liu",
        )
        cls.employee = new_test_user(cls.env, "as_employee", groups="base.group_user")
        cls.type_consultation = cls.env.ref("aftersales_service.ticket_type_consultation")
        cls.type_complaint = cls.env.ref("aftersales_service.ticket_type_complaint")
        cls.type_repair = cls.env.ref("aftersales_service.ticket_type_repair")
        cls.stage_confirm = cls.env.ref("aftersales_service.stage_confirm")
        cls.stage_analyse = cls.env.ref("aftersales_service.stage_analyse")
        cls.stage_done = cls.env.ref("aftersales_service.stage_done")
        cls.team = cls.env["aftersales.team"].create(
            {
                "name": "East China Service Centre",
                "user_id": cls.leader.id,
                "member_ids": [Command.set([cls.user.id, cls.colleague.id])],
                "resource_calendar_id": cls.calendar.id,
                "assignment_method": "manual",
                "commitment_ids": [
                    Command.create({"sequence": 100, "response_hours": 4, "resolve_hours": 40}),
                    Command.create(
                        {
                            "sequence": 10,
                            "ticket_type_id": cls.type_complaint.id,
                            "severity": "severe",
                            "response_hours": 1,
                            "resolve_hours": 24,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 20,
                            "ticket_type_id": cls.type_complaint.id,
                            "response_hours": 2,
                            "resolve_hours": 32,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 30,
                            "severity": "severe",
                            "response_hours": 3,
                            "resolve_hours": 36,
                        }
                    ),
                ],
            }
        )
        cls.other_team = cls.env["aftersales.team"].create(
            {
                "name": "North China Service Centre",
                "member_ids": [Command.set([cls.outsider.id])],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hangzhou Water Works", "is_company": True, "email": "hz@example.com"}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Mr Zhou", "parent_id": cls.customer.id, "email": "zhou@example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Tianjin Boiler Co.", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Vertical multistage pump CDL4-60",
                "default_code": "CDL4-60",
                "is_storable": True,
            }
        )

    def create_ticket(self, **values):
        vals = {
            "title": "Pump leaks at the seal",
            "partner_id": self.customer.id,
            "team_id": self.team.id,
            "ticket_type_id": self.type_consultation.id,
        }
        vals.update(values)
        return self.env["aftersales.ticket"].create(vals)

    def create_delivered_order(self, partner, qty=10.0):
        """A confirmed sale order of ``qty`` pumps whose delivery is done."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, warehouse.lot_stock_id, qty
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": 100}
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking._action_done()
        return order
