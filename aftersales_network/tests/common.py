from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class NetworkCase(TransactionCase):
    """Two authorised outlets in different provinces, a candidate, users of each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.today = date.today()
        # the demo outlets would compete with the tests' own in the proposals
        cls.env["aftersales.outlet"].search([]).active = False
        cls.clerk = new_test_user(
            cls.env, "net_clerk", groups="aftersales_service.group_aftersales_user"
        )
        cls.network_manager = new_test_user(
            cls.env, "net_manager", groups="aftersales_service.group_network_manager"
        )
        cls.evaluator = new_test_user(
            cls.env, "net_evaluator", groups="aftersales_service.group_aftersales_user"
        )
        cls.level_1 = cls.env.ref("aftersales_network.outlet_level_1")
        cls.level_2 = cls.env.ref("aftersales_network.outlet_level_2")
        cls.type_repair = cls.env.ref("aftersales_service.ticket_type_repair")
        cls.type_installation = cls.env.ref("aftersales_service.ticket_type_installation")
        cls.type_recall = cls.env.ref("aftersales_service.ticket_type_recall")
        cls.zhejiang = cls.env.ref("base.state_cn_ZJ")
        cls.jiangsu = cls.env.ref("base.state_cn_JS")
        Region = cls.env["aftersales.outlet.region"]
        cls.region_hangzhou = Region.create(
            {
                "name": "Hangzhou",
                "state_ids": [Command.set(cls.zhejiang.ids)],
                "zip_prefixes": "310",
            }
        )
        cls.region_zhejiang = Region.create(
            {"name": "Zhejiang", "state_ids": [Command.set(cls.zhejiang.ids)]}
        )
        cls.region_jiangsu = Region.create(
            {"name": "Jiangsu", "state_ids": [Command.set(cls.jiangsu.ids)], "cities": "Suzhou"}
        )
        cls.outlet_a = cls._make_outlet("A", "Hangzhou Pump Service", cls.region_hangzhou)
        cls.outlet_b = cls._make_outlet("B", "Suzhou Pump Service", cls.region_jiangsu)
        cls.customer_hz = cls.env["res.partner"].create(
            {"name": "Hangzhou Water Works", "zip": "310012", "state_id": cls.zhejiang.id}
        )
        cls.customer_sz = cls.env["res.partner"].create(
            {"name": "Suzhou Plant", "city": "Suzhou", "zip": "215000", "state_id": cls.jiangsu.id}
        )
        cls.portal_a = cls._make_portal_user("net_portal_a", cls.outlet_a)
        cls.portal_b = cls._make_portal_user("net_portal_b", cls.outlet_b)

    @classmethod
    def _make_outlet(cls, code, name, region, levels=None, authorize=True):
        partner = cls.env["res.partner"].create(
            {"name": name, "is_company": True, "state_id": region.state_ids[:1].id}
        )
        outlet = cls.env["aftersales.outlet"].create(
            {
                "name": name,
                "code": code,
                "partner_id": partner.id,
                "kind": "dealer",
                "level_ids": [Command.set((levels or (cls.level_1 | cls.level_2)).ids)],
                "region_ids": [Command.set(region.ids)],
                "daily_capacity": 5,
            }
        )
        if authorize:
            outlet.state = "approved"
            cls._make_agreement(outlet).action_sign()
            outlet.action_authorize()
        return outlet

    @classmethod
    def _make_agreement(cls, outlet, start=None, end=None):
        return cls.env["aftersales.outlet.agreement"].create(
            {
                "outlet_id": outlet.id,
                "date_start": start or cls.today - timedelta(days=100),
                "date_end": end or cls.today + timedelta(days=265),
                "fee_ids": [Command.create({"level_id": cls.level_2.id, "fee": 200.0})],
            }
        )

    @classmethod
    def _make_portal_user(cls, login, outlet):
        contact = cls.env["res.partner"].create(
            {"name": f"{login} contact", "parent_id": outlet.partner_id.id}
        )
        return new_test_user(cls.env, login, groups="base.group_portal", partner_id=contact.id)

    def _ticket(self, partner, ticket_type=None, **vals):
        return self.env["aftersales.ticket"].create(
            {
                "title": "Pump leaks",
                "partner_id": partner.id,
                "ticket_type_id": (ticket_type or self.type_repair).id,
                **vals,
            }
        )


# a 1x1 transparent PNG: a signature as the portal widget would store it
SIGNATURE = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    b"60e6kgAAAABJRU5ErkJggg=="
)


class SupervisionCase(NetworkCase):
    """Fee schedules with an hourly fee, an out-of-warranty pump, a part, a van location."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_delivery = cls.env.ref("aftersales_service.ticket_type_delivery")
        Standard = cls.env["aftersales.fee.standard"]
        for ticket_type, price in ((cls.type_repair, 300.0), (cls.type_delivery, 80.0)):
            standard = Standard.search(
                [("ticket_type_id", "=", ticket_type.id), ("company_id", "=", cls.company.id)]
            )
            if standard:
                standard.labour_price = price
            else:
                Standard.create({"ticket_type_id": ticket_type.id, "labour_price": price})
        cls.outlet_a.current_agreement_id.fee_ids.labour_hour_fee = 50.0
        cls.pump = cls.env["product.product"].create(
            {"name": "Pump CDL4-60 (network test)", "warranty_months": 12}
        )
        cls.seal = cls.env["product.product"].create(
            {
                "name": "Seal 12 mm (network test)",
                "type": "consu",
                "lst_price": 35.0,
                "default_code": "NET-SEAL-12",
            }
        )
        cls.van = cls.env["stock.location"].create(
            {
                "name": "Outlet van (network test)",
                "usage": "internal",
                "location_id": cls.env.ref("stock.stock_location_locations").id,
            }
        )
        cls.outlet_a.stock_location_id = cls.van
        # the month before the current one, when the records are handed in
        first = cls.today.replace(day=1)
        cls.month_start = (first - timedelta(days=1)).replace(day=1)
        cls.month_end = first - timedelta(days=1)

    @classmethod
    def _outlet_ticket(cls, outlet, ticket_type=None, in_warranty=False, **vals):
        customer = cls.customer_hz if outlet == cls.outlet_a else cls.customer_sz
        ticket = cls.env["aftersales.ticket"].create(
            {
                "title": "Pump leaks",
                "partner_id": customer.id,
                "ticket_type_id": (ticket_type or cls.type_repair).id,
                "outlet_id": outlet.id,
                "product_id": cls.pump.id,
                "shipping_date": cls.today if in_warranty else date(2020, 1, 1),
                **vals,
            }
        )
        ticket.outlet_status = "accepted"
        return ticket

    @classmethod
    def _handed_in_record(cls, outlet, hours=0, ticket_type=None, day=None, parts=0, **vals):
        """A signed service record, charges accepted, handed in on ``day`` of last month."""
        ticket = cls._outlet_ticket(outlet, ticket_type, in_warranty=vals.pop("warranty", False))
        values = {"ticket_id": ticket.id, "signature": SIGNATURE, **vals}
        if parts:
            values["location_id"] = cls.van.id
            values["part_ids"] = [Command.create({"product_id": cls.seal.id, "quantity": parts})]
        record = cls.env["aftersales.service.record"].create(values)
        record.action_accept_quotation()
        moment = datetime.combine(day or cls.month_start.replace(day=15), time(9, 0))
        if hours:
            record.write({"visit_start": moment, "visit_end": moment + timedelta(hours=hours)})
        with freeze_time(moment + timedelta(hours=hours + 1)):
            record.action_submit()
        return record
