from odoo import models

from .res_company import PRINTED_COMPANY_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        if PRINTED_COMPANY_FIELDS.isdisjoint(vals) or self.env.context.get(
            "aftersales_company_write"
        ):
            return super().write(vals)
        # the company's contact edited directly (Contacts app) changes the company's data too
        companies = (
            self.env["res.company"].sudo().search([("partner_id", "in", self.ids)])
            if self.ids
            else self.env["res.company"]
        )
        if not companies:
            return super().write(vals)
        before = {company: company._aftersales_printed_values() for company in companies}
        res = super().write(vals)
        companies.invalidate_recordset()
        companies._aftersales_propose_certificate_changes(before)
        return res
