from datetime import timedelta

from odoo import fields
from odoo.osv import expression


def due_within_notice(model, domain, date_field, notice_days):
    """Extend ``domain`` to the records whose ``date_field`` falls within their company's notice.

    ``notice_days(company)`` gives the days of notice of a company; only the companies that have
    records matching ``domain`` are read, in one grouped query.
    """
    today = fields.Date.context_today(model)
    companies = [company for (company,) in model._read_group(domain, ["company_id"])]
    by_company = [
        [
            ("company_id", "=", company.id),
            (date_field, "<=", today + timedelta(days=notice_days(company))),
        ]
        for company in companies
    ]
    return expression.AND(
        [domain, expression.OR(by_company) if by_company else expression.FALSE_DOMAIN]
    )
