import json
from urllib.parse import urlencode

from odoo import api, models

from ..report.xlsx import SpreadsheetWriter


class AftersalesXlsxMixin(models.AbstractModel):
    """A model with a spreadsheet of the suite, downloaded from ``/aftersales/xlsx/<model>``.

    The download reads as the user: the model's read access and its record rules decide what
    the file holds, nothing else.
    """

    _name = "aftersales.xlsx.mixin"
    _description = "After-Sales Spreadsheet"

    def _xlsx_url(self, domain=None):
        """The download of the spreadsheet of these records, or of the records of ``domain``."""
        if domain is None:
            query = {"ids": ",".join(str(id_) for id_ in self.ids)}
        else:
            query = {"domain": json.dumps(domain)}
        return f"/aftersales/xlsx/{self._name}?{urlencode(query, safe=',')}"

    def _xlsx_download_action(self, domain=None):
        return {"type": "ir.actions.act_url", "url": self._xlsx_url(domain), "target": "download"}

    @api.model
    def _xlsx_filename(self, domain):
        """The name of the downloaded file, without its extension."""
        return self._description

    @api.model
    def _xlsx_write(self, writer, domain):
        """Write the sheets of the records of ``domain`` with ``writer`` (a SpreadsheetWriter)."""
        raise NotImplementedError()

    @api.model
    def _xlsx_export(self, domain, fileobj):
        """Write the spreadsheet of the records of ``domain`` into ``fileobj``, as the user."""
        self.check_access("read")
        writer = SpreadsheetWriter(self.env, fileobj)
        try:
            result = self._xlsx_write(writer, domain)
        finally:
            writer.close()
        return result
