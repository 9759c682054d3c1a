"""Download of the year-end evaluation (年终考评) as an XLSX file."""

import io

from werkzeug.exceptions import BadRequest, Forbidden

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EvaluationExportController(http.Controller):
    @http.route("/aftersales/evaluation.xlsx", type="http", auth="user", methods=["GET"])
    def evaluation_export(self, year=None, **kwargs):
        """Stream the evaluation of ``year``, read with the user's rights."""
        if not request.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise Forbidden()
        try:
            year = int(year)
        except (TypeError, ValueError) as exc:
            raise BadRequest(request.env._("Give the year of the evaluation.")) from exc
        fileobj = io.BytesIO()
        request.env["aftersales.evaluation"]._write_evaluation_xlsx(year, fileobj)
        data = fileobj.getvalue()
        filename = f"{request.env._('year-end-evaluation')}-{year}.xlsx"
        return request.make_response(
            data,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", str(len(data))),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
