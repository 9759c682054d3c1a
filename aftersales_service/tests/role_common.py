"""A user per After-Sales role with a believable week of work, without demo data.

Used by the menu access test (no browser) and the click-everything browser test, so that
both walk the same menus as the same people on an empty database.
"""

from datetime import date, timedelta

from odoo import Command
from odoo.tests import new_test_user

# login -> groups; logins do not clash with the demo logins (as_hotline, as_manager...)
ROLES = {
    "role_hotline": "aftersales_service.group_aftersales_user",
    "role_engineer": "aftersales_service.group_aftersales_user,stock.group_stock_user",
    "role_leader": "aftersales_service.group_aftersales_user",
    "role_storekeeper": "aftersales_service.group_aftersales_user,stock.group_stock_user",
    "role_manager": "aftersales_service.group_aftersales_manager",
    "role_general_manager": "aftersales_service.group_aftersales_general_manager",
    "role_network_manager": "aftersales_service.group_network_manager",
    "role_certification": "aftersales_service.group_certification_coordinator",
    "role_production_head": "base.group_user",
}
NAMES = {
    "role_hotline": "王芳 Wang Fang",
    "role_engineer": "赵磊 Zhao Lei",
    "role_leader": "孙浩 Sun Hao",
    "role_storekeeper": "钱敏 Qian Min",
    "role_manager": "周静 Zhou Jing",
    "role_general_manager": "吴总 Wu Zong",
    "role_network_manager": "郑凯 Zheng Kai",
    "role_certification": "冯雪 Feng Xue",
    "role_production_head": "何军 He Jun",
}


def setup_roles(env):
    """Create the role users and their work; returns {login: user} and the records by name."""
    users = {
        login: new_test_user(
            env, login, groups=groups, name=NAMES[login], password=login, tz="Asia/Shanghai"
        )
        for login, groups in ROLES.items()
    }
    for user in users.values():
        # no onboarding tour in front of the bot
        if "tour_enabled" in user._fields:
            user.tour_enabled = False
    team = env["aftersales.team"].create(
        {
            "name": "East China Service Centre",
            "user_id": users["role_leader"].id,
            "member_ids": [
                Command.set(
                    [
                        users[login].id
                        for login in ("role_hotline", "role_engineer", "role_storekeeper")
                    ]
                )
            ],
        }
    )
    department = env["hr.department"].create({"name": "Production 生产部"})
    head = env["hr.employee"].create(
        {
            "name": NAMES["role_production_head"],
            "user_id": users["role_production_head"].id,
            "department_id": department.id,
        }
    )
    department.manager_id = head
    customer = env["res.partner"].create(
        {"name": "杭州自来水公司 Hangzhou Water Works", "is_company": True, "city": "Hangzhou"}
    )
    contact = env["res.partner"].create(
        {"name": "周先生 Mr Zhou", "parent_id": customer.id, "email": "zhou@hzwater.example.com"}
    )
    product = env["product.product"].create(
        {"name": "Vertical multistage pump CDL4-60", "default_code": "CDL4-60"}
    )
    ref = env.ref
    Ticket = env["aftersales.ticket"]
    consultation = Ticket.create(
        {
            "title": "Which seal fits the CDL4-60?",
            "partner_id": contact.id,
            "team_id": team.id,
            "ticket_type_id": ref("aftersales_service.ticket_type_consultation").id,
            "user_id": users["role_hotline"].id,
        }
    )
    repair = Ticket.create(
        {
            "title": "Pump leaks at the mechanical seal",
            "partner_id": contact.id,
            "team_id": team.id,
            "ticket_type_id": ref("aftersales_service.ticket_type_repair").id,
            "user_id": users["role_engineer"].id,
            "product_id": product.id,
        }
    )
    complaint = Ticket.create(
        {
            "title": "Second failure of the same pump in a month",
            "partner_id": contact.id,
            "team_id": team.id,
            "ticket_type_id": ref("aftersales_service.ticket_type_complaint").id,
            "complaint_category": "quality",
            "severity": "severe",
            "product_id": product.id,
            "responsible_department_id": department.id,
            "user_id": users["role_hotline"].id,
        }
    )
    record = env["aftersales.service.record"].create(
        {
            "ticket_id": repair.id,
            "technician_ids": [Command.set(users["role_engineer"].ids)],
            "work_done": "<p>Mechanical seal replaced, pump tested at 6 bar.</p>",
        }
    )
    action = env["aftersales.corrective.action"].create(
        {
            "name": "Check the seal supplier's batch",
            "ticket_id": complaint.id,
            "department_id": department.id,
            "deadline": date.today() + timedelta(days=14),
        }
    )
    # the published set that every employee reads and the manager prints
    policy = env["aftersales.policy"].create(
        {
            "number": "AS-QM-07",
            "name": "Warranty Periods 保修期规定",
            "category_id": ref("aftersales_service.policy_category_warranty").id,
            "content": "<p>Pumps: 24 months from commissioning, wearing parts 6 months.</p>",
            "department_id": department.id,
            "approver_id": users["role_general_manager"].id,
        }
    )
    policy.action_submit()
    policy.with_user(users["role_general_manager"]).action_approve()
    policy.action_publish()
    records = {
        "policy": policy,
        "team": team,
        "department": department,
        "customer": customer,
        "contact": contact,
        "product": product,
        "consultation": consultation,
        "repair": repair,
        "complaint": complaint,
        "record": record,
        "corrective_action": action,
    }
    if "aftersales.outlet" in env:
        records.update(_network_data(env, users, contact))
    if "aftersales.certificate" in env:
        records.update(_certification_data(env, users))
    return users, records


def _network_data(env, users, contact):
    level = env.ref("aftersales_network.outlet_level_2")
    partner = env["res.partner"].create(
        {"name": "杭州泵业服务站 Hangzhou Pump Service", "is_company": True, "city": "Hangzhou"}
    )
    outlet = env["aftersales.outlet"].create(
        {
            "name": "Hangzhou Pump Service",
            "code": "HZ-R01",
            "partner_id": partner.id,
            "kind": "dealer",
            "level_ids": [Command.set(level.ids)],
            "user_id": users["role_network_manager"].id,
        }
    )
    outlet.state = "approved"
    agreement = env["aftersales.outlet.agreement"].create(
        {
            "outlet_id": outlet.id,
            "date_start": date.today() - timedelta(days=100),
            "date_end": date.today() + timedelta(days=265),
            "fee_ids": [Command.create({"level_id": level.id, "fee": 200.0})],
        }
    )
    agreement.action_sign()
    outlet.action_authorize()
    dispatched = env["aftersales.ticket"].create(
        {
            "title": "Install two booster pumps",
            "partner_id": contact.id,
            "ticket_type_id": env.ref("aftersales_service.ticket_type_installation").id,
            "outlet_id": outlet.id,
        }
    )
    return {"outlet": outlet, "agreement": agreement, "dispatched": dispatched}


def _certification_data(env, users):
    from odoo.addons.aftersales_certification.tests.common import VALID_USCC  # noqa: PLC0415

    company = env.company
    body = env["res.partner"].create({"name": "北方联合认证有限公司", "is_company": True})
    certificate = env["aftersales.certificate"].create(
        {
            "company_id": company.id,
            "holder_id": company.partner_id.id,
            "body_id": body.id,
            "standard_id": env.ref("aftersales_certification.standard_gbt_27922").id,
            "star_level": "5",
            "number": "NUC-SV-2025-0042",
            "registered_name": company.name,
            "registered_code": VALID_USCC,
            "registered_address": "浙江省杭州市拱墅区莫干山路1418号",
            "scope": "Pumps: after-sales service",
            "issue_date": date.today() - timedelta(days=400),
            "expiry_date": date.today() + timedelta(days=700),
            "user_id": users["role_certification"].id,
        }
    )
    return {"certificate": certificate}
