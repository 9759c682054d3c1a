import math

from odoo import Command
from odoo.tests import tagged

from .common import NetworkCase


@tagged("post_install", "-at_install")
class TestOutletStandby(NetworkCase):
    """The outlet's standby stock against its agreement's standby ratio (domain.md §7)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = warehouse.lot_stock_id
        cls.standby = cls.env["stock.location"].create(
            {"name": "Outlet A standby", "usage": "internal", "location_id": cls.stock.id}
        )
        # units already in the field (demo data) count too
        cls.base_a = cls.outlet_a.field_unit_qty
        cls.base_b = cls.outlet_b.field_unit_qty
        cls.outlet_a.invalidate_recordset()
        cls.outlet_b.invalidate_recordset()
        cls.pump = cls.env["product.product"].create({"name": "Pump", "is_storable": True})
        cls.env["stock.quant"]._update_available_quantity(cls.pump, cls.stock, 300)
        customers = cls.env.ref("stock.stock_location_customers")
        for partner, qty in ((cls.customer_hz, 120), (cls.customer_sz, 80)):
            picking = cls.env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": partner.id,
                    "location_id": cls.stock.id,
                    "location_dest_id": customers.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "Pump",
                                "product_id": cls.pump.id,
                                "product_uom": cls.pump.uom_id.id,
                                "product_uom_qty": qty,
                                "location_id": cls.stock.id,
                                "location_dest_id": customers.id,
                                "picked": True,
                                "move_line_ids": [
                                    Command.create(
                                        {
                                            "product_id": cls.pump.id,
                                            "product_uom_id": cls.pump.uom_id.id,
                                            "quantity": qty,
                                            "location_id": cls.stock.id,
                                            "location_dest_id": customers.id,
                                            "picked": True,
                                        }
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
            picking.move_ids._action_confirm(merge=False)
            picking.move_ids._action_done()

    def test_standby_stock_against_the_agreed_ratio(self):
        outlet = self.outlet_a
        outlet.current_agreement_id.standby_ratio = 2.0
        outlet.standby_location_id = self.standby
        in_field = self.base_a + 120
        required = math.ceil(round(in_field * 0.02, 6))
        self.env["stock.quant"]._update_available_quantity(self.pump, self.standby, required - 1)
        outlet.invalidate_recordset()
        as_manager = outlet.with_user(self.network_manager)
        self.assertEqual(as_manager.field_unit_qty, in_field, "Hangzhou only, not Suzhou")
        self.assertEqual(as_manager.standby_required_qty, required, "2 %, rounded up")
        self.assertEqual(as_manager.standby_qty, required - 1)
        self.assertTrue(as_manager.is_standby_short)
        self.env["stock.quant"]._update_available_quantity(self.pump, self.standby, 1)
        outlet.invalidate_recordset()
        self.assertFalse(outlet.with_user(self.network_manager).is_standby_short)
        self.assertEqual(self.outlet_b.field_unit_qty, self.base_b + 80)
        self.assertFalse(self.outlet_b.standby_qty)
