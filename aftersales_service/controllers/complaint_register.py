"""Download of the complaint register (客户投诉登记表) as an XLSX file."""

import json
import tempfile

from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.wsgi import wrap_file

from odoo import fields, http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ComplaintRegisterController(http.Controller):
    @http.route("/aftersales/complaint_register.xlsx", type="http", auth="user", methods=["GET"])
    def complaint_register(self, domain="[]", **kwargs):
        """Stream the register of the complaints of ``domain``, read with the user's rights."""
        if not request.env.user.has_group("aftersales_service.group_aftersales_user"):
            raise Forbidden()
        try:
            domain = json.loads(domain)
        except ValueError as exc:
            raise BadRequest(request.env._("The filter of the register is not valid.")) from exc
        if not isinstance(domain, list):
            raise BadRequest(request.env._("The filter of the register is not valid."))
        # the workbook goes to a temporary file, streamed then deleted when the response closes
        fileobj = tempfile.TemporaryFile()  # pylint: disable=consider-using-with
        request.env["aftersales.ticket"]._write_complaint_register(domain, fileobj)
        size = fileobj.tell()
        fileobj.seek(0)
        filename = (
            f"{request.env._('complaint-register')}-"
            f"{fields.Date.context_today(request.env.user)}.xlsx"
        )
        response = request.make_response(
            wrap_file(request.httprequest.environ, fileobj),
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", str(size)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
        response.direct_passthrough = True
        return response
