from odoo import fields, http
from odoo.http import content_disposition, request


class CertificationRegisterController(http.Controller):
    @http.route("/aftersales_certification/register.xlsx", type="http", auth="user")
    def certificate_register(self, ids=None, **kwargs):
        """The register of certificates as XLSX: the given ids, or every visible one."""
        certificates = request.env["aftersales.certificate"]
        domain = []
        if ids:
            try:
                domain = [("id", "in", [int(i) for i in ids.split(",") if i])]
            except ValueError:
                return request.not_found()
        # search applies the access rights and the multi-company rules of the user
        certificates = certificates.search(domain, order="expiry_date, id")
        content = certificates._generate_register_xlsx()
        today = fields.Date.context_today(certificates)
        filename = request.env._("Certificate register %s.xlsx", today)
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
