from odoo import Command

from .common import AftersalesCase


class FieldCase(AftersalesCase):
    """Products in the field: a serial-tracked valve delivered to customers, returned, lent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers_location = cls.env.ref("stock.stock_location_customers")
        cls.valve = cls.env["product.product"].create(
            {
                "name": "Ball valve DN50",
                "default_code": "BV-DN50",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.serials = cls.env["stock.lot"].create(
            [{"name": f"BV-{n:03d}", "product_id": cls.valve.id} for n in range(1, 7)]
        )
        for lot in cls.serials:
            cls.env["stock.quant"]._update_available_quantity(cls.valve, cls.stock, 1, lot_id=lot)
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 20)

    @classmethod
    def transfer(cls, partner, product, lots, source, destination, picking_type, quantity=1.0):
        """A done transfer of ``lots`` (one unit each) or of ``quantity`` untracked units."""
        lines = [
            {
                "product_id": product.id,
                "product_uom_id": product.uom_id.id,
                "quantity": 1.0 if lot else quantity,
                "lot_id": lot.id if lot else False,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "picked": True,
            }
            for lot in (lots or [False])
        ]
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": sum(line["quantity"] for line in lines),
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "move_line_ids": [Command.create(line) for line in lines],
                            "picked": True,
                        }
                    )
                ],
            }
        )
        picking.move_ids._action_confirm(merge=False)
        picking.move_ids._action_done()
        return picking

    @classmethod
    def deliver(cls, partner, lots=None, product=None, quantity=1.0):
        return cls.transfer(
            partner,
            product or cls.valve,
            lots,
            cls.stock,
            cls.customers_location,
            cls.warehouse.out_type_id,
            quantity,
        )

    @classmethod
    def take_back(cls, partner, lots=None, product=None, quantity=1.0):
        return cls.transfer(
            partner,
            product or cls.valve,
            lots,
            cls.customers_location,
            cls.stock,
            cls.warehouse.in_type_id,
            quantity,
        )
