from odoo.tests import new_test_user

from .common import AftersalesCase

# a 1x1 transparent PNG: a signature as the widget would store it
SIGNATURE = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    b"60e6kgAAAABJRU5ErkJggg=="
)


class ServiceCase(AftersalesCase):
    """Service execution: a technician with a van location, parts in it, portal customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            "as_technician",
            groups="aftersales_service.group_aftersales_user",
            name="Technician Sun",
        )
        cls.storekeeper = new_test_user(
            cls.env,
            "as_storekeeper",
            groups="aftersales_service.group_aftersales_user,stock.group_stock_user",
            name="Storekeeper Qian",
        )
        cls.team.member_ids |= cls.storekeeper
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.van = cls.env["stock.location"].create(
            {
                "name": "Van 1",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
            }
        )
        cls.seal = cls.env["product.product"].create(
            {"name": "Mechanical seal 12 mm", "is_storable": True, "default_code": "MS-12"}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.seal, cls.van, 10)
        cls.type_exchange = cls.env.ref("aftersales_service.ticket_type_exchange")
        cls.portal_user = new_test_user(
            cls.env,
            "as_portal_customer",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
            name=cls.customer_contact.name,
        )
        cls.other_portal_user = new_test_user(
            cls.env, "as_portal_other", groups="base.group_portal", name="Other customer"
        )
        cls.signature = SIGNATURE

    def create_record(self, ticket=None, **values):
        ticket = ticket or self.create_ticket(ticket_type_id=self.type_repair.id)
        vals = {
            "ticket_id": ticket.id,
            "technician_ids": [(6, 0, self.technician.ids)],
            "work_done": "<p>Seal replaced</p>",
        }
        vals.update(values)
        return self.env["aftersales.service.record"].create(vals)
