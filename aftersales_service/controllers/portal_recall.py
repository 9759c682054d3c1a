"""The public notice of recall campaigns (domain.md §6: disclosure of systematic defects)."""

from odoo import http
from odoo.http import request

RECALL_MODEL = "aftersales.recall"


class RecallNotice(http.Controller):
    @staticmethod
    def _recall_notice_domain():
        return [("is_published", "=", True), ("state", "in", ("open", "done"))]

    @http.route(["/recalls"], type="http", auth="public", website=True, sitemap=True)
    def recall_notices(self, **kwargs):
        # sudo: anyone may read the notices a manager published; only published campaigns
        # are searched and the template shows their public fields only
        recalls = request.env[RECALL_MODEL].sudo().search(self._recall_notice_domain())
        return request.render("aftersales_service.recall_notices", {"recalls": recalls})

    @http.route(["/recalls/<int:recall_id>"], type="http", auth="public", website=True)
    def recall_notice(self, recall_id, **kwargs):
        # sudo: as above, restricted to the published campaigns
        recall = (
            request.env[RECALL_MODEL]
            .sudo()
            .search([("id", "=", recall_id), *self._recall_notice_domain()], limit=1)
        )
        if not recall:
            raise request.not_found()
        return request.render("aftersales_service.recall_notice", {"recall": recall})
