from datetime import date, timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class NetworkCase(TransactionCase):
    """Two authorised outlets in different provinces, a candidate, users of each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.today = date.today()
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
