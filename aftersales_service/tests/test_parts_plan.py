from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestPartsPlan(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.seal = cls.env["product.product"].create(
            {"name": "Mechanical seal 12 mm", "is_storable": True}
        )
        cls.impeller = cls.env["product.product"].create(
            {"name": "Impeller CDL4", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.seal, cls.warehouse.lot_stock_id, 4)

    def _plan(self, **values):
        vals = {
            "name": "CDL4 pumps, phase 1",
            "product_tmpl_id": self.product.product_tmpl_id.id,
            "phase": "Phase 1",
            "date_start": "2026-01-01",
            "date_end": "2026-06-30",
            "production_qty": 1000,
            "remaining_production_qty": 2000,
            "defect_rate": 0.5,
            "line_ids": [
                Command.create({"product_id": self.seal.id, "wear_rate": 1.4}),
                Command.create({"product_id": self.impeller.id, "wear_rate": 0.3}),
            ],
        }
        vals.update(values)
        return self.env["aftersales.parts.plan"].with_user(self.manager).create(vals)

    def _consume(self, part, quantity, date, **link):
        """A done move of ``quantity`` parts to the customer, made on ``date``."""
        customers = self.env.ref("stock.stock_location_customers")
        move = self.env["stock.move"].create(
            {
                "name": part.name,
                "product_id": part.id,
                "product_uom": part.uom_id.id,
                "product_uom_qty": quantity,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "picked": True,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": part.id,
                            "product_uom_id": part.uom_id.id,
                            "quantity": quantity,
                            "location_id": self.warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                            "picked": True,
                        }
                    )
                ],
                **link,
            }
        )
        move._action_confirm(merge=False)
        move._action_done()
        move.date = date
        return move

    def test_plan_arithmetic(self):
        plan = self._plan()
        seal, impeller = plan.line_ids
        self.assertAlmostEqual(seal.ratio, 0.7)
        self.assertEqual(seal.planned_qty, 7, "1000 × 0.7 % exactly, not rounded up to 8")
        self.assertAlmostEqual(impeller.ratio, 0.15)
        self.assertEqual(impeller.planned_qty, 2, "1000 × 0.15 % = 1.5, rounded up")
        plan.production_qty = 1001
        self.assertEqual(seal.planned_qty, 8)
        # the ratio can be set by hand
        with Form(plan) as form, form.line_ids.edit(1) as line:
            line.ratio = 0.25
        self.assertEqual(impeller.planned_qty, 3)
        self.assertEqual(plan.planned_total, 11)
        with self.assertRaises(ValidationError):
            plan.date_end = "2025-12-31"

    def test_leftover_ratio_and_forecast_from_consumption(self):
        plan = self._plan()
        seal, impeller = plan.line_ids
        ticket = self.create_ticket(ticket_type_id=self.type_repair.id, product_id=self.product.id)
        record = self.env["aftersales.service.record"].create({"ticket_id": ticket.id})
        self._consume(self.seal, 2, datetime(2026, 2, 1), aftersales_service_record_id=record.id)
        repair = self.env["repair.order"].create(
            {"product_id": self.product.id, "partner_id": self.customer.id}
        )
        self._consume(
            self.seal, 1, datetime(2026, 3, 1), repair_id=repair.id, repair_line_type="add"
        )
        # outside the phase, another model, or a part the plan does not hold: not counted
        self._consume(self.seal, 5, datetime(2026, 8, 1), aftersales_service_record_id=record.id)
        other = self.env["repair.order"].create(
            {
                "product_id": self.env["product.product"].create({"name": "Other pump"}).id,
                "partner_id": self.customer.id,
            }
        )
        self._consume(
            self.seal, 3, datetime(2026, 3, 1), repair_id=other.id, repair_line_type="add"
        )
        plan.invalidate_recordset()
        plan.line_ids.invalidate_recordset()
        self.assertEqual(seal.consumed_qty, 3)
        self.assertEqual(seal.leftover_qty, 4)
        self.assertAlmostEqual(seal.leftover_ratio, 100.0 * 4 / 7)
        # 2000 units to come at the 3 ‰ seen so far: 6, less the 4 left over
        self.assertEqual(seal.forecast_qty, 2)
        self.assertEqual(impeller.consumed_qty, 0)
        self.assertEqual(impeller.leftover_ratio, 100.0)
        # no consumption yet: the plan's ratio, 2000 × 0.15 % = 3, less the 2 planned
        self.assertEqual(impeller.forecast_qty, 1)
        self.assertEqual(plan.consumed_total, 3)
        self.assertAlmostEqual(plan.leftover_ratio, 100.0 * 6 / 9)
        self.assertEqual(seal.qty_available, 4 - 2 - 1 - 5 - 3)

    def test_replenishment_from_planned_quantities(self):
        plan = self._plan(warehouse_id=self.warehouse.id)
        with self.assertRaises(AccessError):
            plan.action_replenish()
        self.manager.groups_id |= self.env.ref("stock.group_stock_manager")
        action = plan.action_replenish()
        points = self.env["stock.warehouse.orderpoint"].search(action["domain"])
        self.assertEqual(points.product_id, self.seal | self.impeller)
        seal_point = points.filtered(lambda p: p.product_id == self.seal)
        self.assertEqual(seal_point.product_min_qty, 7)
        self.assertEqual(seal_point.trigger, "manual")
        self.assertEqual(seal_point.qty_to_order, 3, "7 planned, 4 in stock")
        plan.production_qty = 2000
        plan.action_replenish()
        self.assertEqual(seal_point.product_min_qty, 14, "the same rule, brought up to date")

    def test_managers_plan_users_read(self):
        plan = self._plan()
        self.assertEqual(plan.with_user(self.user).line_ids[0].planned_qty, 7)
        with self.assertRaises(AccessError):
            plan.with_user(self.user).production_qty = 5
        with self.assertRaises(AccessError):
            self.env["aftersales.parts.plan"].with_user(self.user).create(
                {
                    "name": "x",
                    "product_tmpl_id": self.product.product_tmpl_id.id,
                    "phase": "1",
                    "production_qty": 1,
                }
            )
