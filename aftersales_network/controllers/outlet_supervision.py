"""Outlet portal: service records of the outlet's requests and monthly reports."""

import binascii
from urllib.parse import quote

import pytz

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import html2plaintext

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import RECORD_MODEL, REPORT_MODEL, TICKET_MODEL, AftersalesOutletPortal

DATETIME_INPUTS = ("visit_start", "visit_end", "return_date")


class AftersalesOutletSupervisionPortal(AftersalesOutletPortal):
    def _parse_local_datetime(self, value):
        """A datetime-local input of the user's time zone, as the UTC value Odoo stores."""
        if not value:
            return False
        try:
            local = fields.Datetime.to_datetime(value.replace("T", " ")[:16] + ":00")
        except ValueError as exc:
            raise UserError(request.env._("Give dates as YYYY-MM-DD HH:MM.")) from exc
        tz = pytz.timezone(request.env.user.tz or "UTC")
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    # ---------------------------------------------------------------------------------------
    # service records
    # ---------------------------------------------------------------------------------------
    @http.route(
        ["/my/outlet/records", "/my/outlet/records/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_outlet_records(self, page=1, **kwargs):
        Record = request.env[RECORD_MODEL]
        domain = Record._outlet_user_domain()
        pager = portal_pager(
            url="/my/outlet/records",
            total=Record.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Record.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "outlet_records",
                # sudo: only the user's outlet's records were searched; the list shows the
                # request's reference, which portal users may read for these
                "records": records.sudo(),
                "pager": pager,
                "default_url": "/my/outlet/records",
            }
        )
        return request.render("aftersales_network.portal_my_outlet_records", values)

    @http.route("/my/outlet/record/<int:record_id>", type="http", auth="user", website=True)
    def portal_my_outlet_record(self, record_id, error=None, **kwargs):
        try:
            record = self._outlet_get(RECORD_MODEL, record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # sudo: the user works for the record's outlet (checked above)
        record_sudo = record.sudo()
        tz = pytz.timezone(request.env.user.tz or "UTC")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "outlet_record",
                "record": record_sudo,
                "error": error,
                "local_inputs": {
                    key: record_sudo[key]
                    and pytz.utc.localize(record_sudo[key])
                    .astimezone(tz)
                    .strftime("%Y-%m-%dT%H:%M")
                    or ""
                    for key in DATETIME_INPUTS
                },
                "work_done_text": html2plaintext(record_sudo.work_done or ""),
                "charges_to_accept": bool(record_sudo._unaccepted_charges()),
            }
        )
        return request.render("aftersales_network.portal_my_outlet_record", values)

    @http.route(
        "/my/outlet/request/<int:ticket_id>/record",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_create(self, ticket_id, **kwargs):
        def create_record(ticket):
            record = request.env[RECORD_MODEL]._outlet_create_for_ticket(ticket)
            return f"/my/outlet/record/{record.id}"

        return self._outlet_act(TICKET_MODEL, ticket_id, create_record)

    @http.route(
        "/my/outlet/record/<int:record_id>/update",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_update(self, record_id, **kwargs):
        try:
            values = {
                key: self._parse_local_datetime(kwargs.get(key))
                for key in DATETIME_INPUTS
                if key in kwargs
            }
        except UserError as exc:
            return request.redirect(f"/my/outlet/record/{record_id}?error={quote(exc.args[0])}")
        for key in ("work_done", "customer_opinion"):
            if key in kwargs:
                values[key] = (kwargs[key] or "").strip()
        return self._outlet_act(
            RECORD_MODEL, record_id, lambda record: record.action_outlet_update(values)
        )

    @http.route(
        "/my/outlet/record/<int:record_id>/accept_charges",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_accept_charges(self, record_id, name="", **kwargs):
        return self._outlet_act(
            RECORD_MODEL, record_id, lambda record: record.action_outlet_accept_charges(name)
        )

    @http.route(
        "/my/outlet/record/<int:record_id>/part",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_add_part(self, record_id, default_code="", quantity="1", **kwargs):
        return self._outlet_act(
            RECORD_MODEL,
            record_id,
            lambda record: record.action_outlet_add_part(default_code, quantity),
        )

    @http.route(
        "/my/outlet/record/<int:record_id>/part/<int:part_id>/remove",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_remove_part(self, record_id, part_id, **kwargs):
        return self._outlet_act(
            RECORD_MODEL, record_id, lambda record: record.action_outlet_remove_part(part_id)
        )

    @http.route(
        "/my/outlet/record/<int:record_id>/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_submit(self, record_id, **kwargs):
        return self._outlet_act(
            RECORD_MODEL, record_id, lambda record: record.action_outlet_submit()
        )

    @http.route("/my/outlet/record/<int:record_id>/sign", type="json", auth="user", website=True)
    def portal_outlet_record_sign(self, record_id, name=None, signature=None, **kwargs):
        try:
            record = self._outlet_get(RECORD_MODEL, record_id)
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid service record.")}
        try:
            with request.env.cr.savepoint():
                record.action_outlet_sign(name, signature)
                # render the signature now so that a broken image fails here, not in the PDF
                request.env.flush_all()
        except UserError as exc:
            return {"error": exc.args[0]}
        except (TypeError, binascii.Error, ValueError):
            return {"error": request.env._("Invalid signature data.")}
        return {"force_refresh": True, "redirect_url": f"/my/outlet/record/{record.id}"}

    @http.route("/my/outlet/record/<int:record_id>/pdf", type="http", auth="user", website=True)
    def portal_outlet_record_pdf(self, record_id, download=False, **kwargs):
        try:
            record = self._outlet_get(RECORD_MODEL, record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # sudo: the user works for the record's outlet (checked above)
        return self._show_report(
            model=record.sudo(),
            report_type="pdf",
            report_ref="aftersales_service.action_report_service_record",
            download=download,
        )

    # ---------------------------------------------------------------------------------------
    # monthly reports
    # ---------------------------------------------------------------------------------------
    @http.route(
        ["/my/outlet/reports", "/my/outlet/reports/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_outlet_reports(self, page=1, **kwargs):
        Report = request.env[REPORT_MODEL]
        domain = Report._outlet_user_domain()
        pager = portal_pager(
            url="/my/outlet/reports",
            total=Report.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        reports = Report.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "outlet_reports",
                "reports": reports,
                "pager": pager,
                "default_url": "/my/outlet/reports",
            }
        )
        return request.render("aftersales_network.portal_my_outlet_reports", values)

    @http.route("/my/outlet/report/<int:report_id>", type="http", auth="user", website=True)
    def portal_my_outlet_report(self, report_id, error=None, **kwargs):
        try:
            report = self._outlet_get(REPORT_MODEL, report_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        # sudo: the user may read the report (checked above); the parts' names are shown
        values.update({"page_name": "outlet_report", "report": report.sudo(), "error": error})
        return request.render("aftersales_network.portal_my_outlet_report", values)

    @http.route(
        "/my/outlet/report/<int:report_id>/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_report_submit(self, report_id, remarks="", **kwargs):
        return self._outlet_act(
            REPORT_MODEL, report_id, lambda report: report.action_submit(remarks)
        )
