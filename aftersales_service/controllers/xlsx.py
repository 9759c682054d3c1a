"""The download of every spreadsheet of the suite (XLSX)."""

import json
import tempfile

from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wsgi import wrap_file

from odoo import fields, http
from odoo.http import content_disposition, request

from ..report.xlsx import XLSX_MIMETYPE


def xlsx_response(filename, write):
    """A download of the workbook that ``write(fileobj)`` writes, streamed from a temporary
    file deleted when the response closes."""
    fileobj = tempfile.TemporaryFile()  # pylint: disable=consider-using-with
    write(fileobj)
    size = fileobj.tell()
    fileobj.seek(0)
    response = request.make_response(
        wrap_file(request.httprequest.environ, fileobj),
        headers=[
            ("Content-Type", XLSX_MIMETYPE),
            ("Content-Length", str(size)),
            ("Content-Disposition", content_disposition(f"{filename}.xlsx")),
        ],
    )
    response.direct_passthrough = True
    return response


class AftersalesXlsxController(http.Controller):
    @http.route("/aftersales/xlsx/<string:model>", type="http", auth="user", methods=["GET"])
    def aftersales_xlsx(self, model, ids=None, domain=None, **kwargs):
        """The spreadsheet of ``model`` for the records ``ids`` or those of ``domain``.

        One access rule: the user's read access to the model and its record rules. Records
        asked for by id that the user may not read refuse the download (403); a ``domain``
        gives the records of it that the user may read.
        """
        env = request.env
        if model not in env.registry or not isinstance(
            env[model], env.registry["aftersales.xlsx.mixin"]
        ):
            raise NotFound()
        Model = env[model]
        if ids is not None:
            try:
                record_ids = [int(id_) for id_ in ids.split(",") if id_]
            except ValueError as exc:
                raise BadRequest(env._("The records to export are not valid.")) from exc
            records = Model.browse(record_ids)
            if len(records.exists()) != len(records):
                raise NotFound()
            records.check_access("read")
            domain = [("id", "in", records.ids)]
        else:
            try:
                domain = json.loads(domain or "[]")
            except ValueError as exc:
                raise BadRequest(env._("The filter of the export is not valid.")) from exc
            if not isinstance(domain, list):
                raise BadRequest(env._("The filter of the export is not valid."))
        Model.check_access("read")
        filename = f"{Model._xlsx_filename(domain)}-{fields.Date.context_today(env.user)}"
        return xlsx_response(filename, lambda fileobj: Model._xlsx_export(domain, fileobj))
