from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user

COORDINATOR = "aftersales_service.group_certification_coordinator"
AS_USER = "aftersales_service.group_aftersales_user"
AS_MANAGER = "aftersales_service.group_aftersales_manager"

VALID_USCC = "91330105MA2H3K7P10"
OTHER_VALID_USCC = "91330110MA2J4L8Q2J"
# same characters as VALID_USCC, wrong check character
INVALID_USCC = "91330105MA2H3K7P11"


class CertificationCase(TransactionCase):
    """Companies, the roles, a certification body and a helper to register certificates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create(
            {
                "name": "杭州恒达电器有限公司",
                "company_registry": VALID_USCC,
                "street": "拱墅区莫干山路1418号",
                "city": "杭州市",
                "state_id": cls.env.ref("base.state_cn_ZJ").id,
                "country_id": cls.env.ref("base.cn").id,
                "certification_reminder_days": 30,
            }
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Company"})
        companies = cls.company | cls.other_company
        cls.coordinator = new_test_user(
            cls.env,
            "cert_coordinator",
            groups=COORDINATOR,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.as_user = new_test_user(
            cls.env,
            "cert_as_user",
            groups=AS_USER,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.manager = new_test_user(
            cls.env,
            "cert_as_manager",
            groups=AS_MANAGER,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.employee = new_test_user(
            cls.env,
            "cert_employee",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.other_coordinator = new_test_user(
            cls.env,
            "cert_other_coordinator",
            groups=COORDINATOR,
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.both_coordinator = new_test_user(
            cls.env,
            "cert_both_coordinator",
            groups=COORDINATOR,
            company_id=cls.company.id,
            company_ids=[(6, 0, companies.ids)],
        )
        cls.body = cls.env["res.partner"].create(
            {"name": "北方联合认证有限公司", "is_company": True}
        )
        cls.gbt = cls.env.ref("aftersales_certification.standard_gbt_27922")
        cls.iso9001 = cls.env.ref("aftersales_certification.standard_iso_9001")
        cls.Certificate = cls.env["aftersales.certificate"]
        cls.Application = cls.env["aftersales.certification.application"]
        cls.Audit = cls.env["aftersales.certification.audit"]

    @classmethod
    def create_certificate(cls, today="2024-01-15", **values):
        """A GB/T 27922 five-star certificate issued 2024-01-15, expiring 2027-01-14."""
        vals = {
            "company_id": cls.company.id,
            "holder_id": cls.company.partner_id.id,
            "body_id": cls.body.id,
            "standard_id": cls.gbt.id,
            "star_level": "5",
            "number": "NUC-SV-2024-0001",
            "registered_name": "杭州恒达电器有限公司",
            "registered_code": VALID_USCC,
            "registered_address": "浙江省杭州市拱墅区莫干山路1418号",
            "scope": "家用空调器的售后服务",
            "issue_date": date(2024, 1, 15),
            "expiry_date": date(2027, 1, 14),
            "user_id": cls.coordinator.id,
        }
        vals.update(values)
        with freeze_time(today):
            return cls.Certificate.create(vals)
