from odoo import api, fields, models

from .aftersales_certificate import compact_uscc
from .common import normalize_text

ADDRESS_FIELDS = ("street", "street2", "city", "zip", "state_id", "country_id")
# the company data a certificate prints (domain.md §9 (a))
PRINTED_COMPANY_FIELDS = frozenset(("name", "company_registry", "vat", *ADDRESS_FIELDS))


class ResCompany(models.Model):
    _inherit = "res.company"

    certification_reminder_days = fields.Integer(
        string="Recertification Reminder (days)",
        default=30,
        help="How many days before the recertification due date (three months before expiry) "
        "the draft application is opened and the coordinator reminded.",
    )

    _sql_constraints = [
        (
            "certification_reminder_days_check",
            "CHECK(certification_reminder_days >= 0)",
            "The recertification reminder cannot be a negative number of days.",
        ),
    ]

    @api.model
    def _aftersales_printed_address(self, partner):
        """The address as a Chinese certificate prints it: province, city, street."""
        if partner.country_id and partner.country_id.code != "CN":
            parts = [partner.street, partner.street2, partner.city, partner.state_id.name]
            parts.append(partner.zip)
            return ", ".join(part for part in parts if part)
        parts = [partner.state_id.name]
        if partner.city and partner.city != partner.state_id.name:
            parts.append(partner.city)
        parts += [partner.street, partner.street2]
        return "".join(part.strip() for part in parts if part)

    def _aftersales_printed_values(self):
        """The company's data as a certificate would print it, to detect what changed."""
        self.ensure_one()
        partner = self.partner_id
        codes = {compact_uscc(code) for code in (self.company_registry, self.vat) if code}
        with_province = self._aftersales_printed_address(partner)
        western = ", ".join(
            part for part in (partner.street, partner.street2, partner.city) if part
        )
        chinese_no_province = "".join(
            part for part in (partner.city, partner.street, partner.street2) if part
        )
        return {
            "name": self.name or "",
            "codes": codes,
            "code": compact_uscc(self.company_registry or self.vat or ""),
            "address": with_province,
            "addresses": {
                normalize_text(value)
                for value in (with_province, western, chinese_no_province)
                if value
            },
            "street": normalize_text(f"{partner.street or ''}{partner.street2 or ''}"),
        }

    def _aftersales_propose_certificate_changes(self, before):
        """Compare with ``before`` ({company: printed values}) and propose applications."""
        applications = self.env["aftersales.certification.application"]
        for company in self:
            old = before.get(company)
            new = company._aftersales_printed_values()
            if old is None or old == new:
                continue
            # a proposal is a draft for the coordinator, whoever changed the company data:
            # creating it must not depend on the rights of the administrator editing the company
            applications |= applications.sudo()._propose_certificate_info_changes(
                company.sudo(), old, new
            )
        return applications

    def write(self, vals):
        if PRINTED_COMPANY_FIELDS.isdisjoint(vals):
            return super().write(vals)
        before = {company: company._aftersales_printed_values() for company in self}
        # the partner of the company is written too: it must not propose a second time
        res = super(ResCompany, self.with_context(aftersales_company_write=True)).write(vals)
        self._aftersales_propose_certificate_changes(before)
        return res
