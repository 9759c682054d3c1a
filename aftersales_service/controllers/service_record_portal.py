"""The customer reads and signs an on-site service record online (token link or portal login)."""

import binascii

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

RECORD_MODEL = "aftersales.service.record"


class ServiceRecordPortal(CustomerPortal):
    @http.route(["/my/service_records/<int:record_id>"], type="http", auth="public", website=True)
    def portal_service_record(self, record_id, access_token=None, **kwargs):
        try:
            record_sudo = self._document_check_access(RECORD_MODEL, record_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            record_sudo,
            access_token,
            {"record": record_sudo, "message": kwargs.get("message")},
            "my_service_records_history",
            False,
        )
        return request.render("aftersales_service.portal_service_record_page", values)

    @http.route(
        ["/my/service_records/<int:record_id>/sign"], type="json", auth="public", website=True
    )
    def portal_service_record_sign(self, record_id, access_token=None, name=None, signature=None):
        # the signature widget posts to the link it was given, token in the query string
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            record_sudo = self._document_check_access(RECORD_MODEL, record_id, access_token)
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid service record.")}
        try:
            # the token or the portal login was checked above: the customer may sign
            with request.env.cr.savepoint():
                record_sudo._sign(
                    name,
                    signature,
                    request.env._("Service record signed online by %s", (name or "").strip()),
                )
                # render the signature now so that a broken image fails here, not in the PDF
                record_sudo.env.flush_all()
        except UserError as exc:
            return {"error": exc.args[0]}
        except (TypeError, binascii.Error, ValueError):
            return {"error": request.env._("Invalid signature data.")}
        return {
            "force_refresh": True,
            "redirect_url": record_sudo.get_portal_url(query_string="&message=sign_ok"),
        }

    @http.route(
        ["/my/service_records/<int:record_id>/accept"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_service_record_accept(self, record_id, access_token=None, **kwargs):
        """The customer accepts the itemised charges of out-of-warranty work."""
        try:
            record_sudo = self._document_check_access(RECORD_MODEL, record_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if record_sudo._unaccepted_charges():
            partner = request.env.user.partner_id
            name = record_sudo.partner_id.name if request.env.user._is_public() else partner.name
            try:
                # the token or the portal login was checked above: the customer may accept
                with request.env.cr.savepoint():
                    record_sudo._accept_charges(
                        name, request.env._("Charges accepted online by %s", name)
                    )
            except UserError:
                return request.redirect(record_sudo.get_portal_url())
        return request.redirect(record_sudo.get_portal_url(query_string="&message=accept_ok"))
