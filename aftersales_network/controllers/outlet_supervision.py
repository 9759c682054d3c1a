"""Outlet portal: service records of the outlet's requests, monthly reports and their XLSX."""

import binascii
from urllib.parse import quote

import pytz
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools import html2plaintext

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import AftersalesOutletPortal

RECORD_MODEL = "aftersales.service.record"
REPORT_MODEL = "aftersales.outlet.report"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_INPUTS = ("visit_start", "visit_end", "return_date")


class AftersalesOutletSupervisionPortal(AftersalesOutletPortal):
    def _outlet_record_domain(self):
        return [("outlet_id.partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _outlet_get_record(self, record_id):
        """The service record if the user works for its outlet, else AccessError."""
        record = request.env[RECORD_MODEL].browse(record_id).exists()
        if not record:
            raise MissingError(request.env._("This service record does not exist."))
        record._check_outlet_user()
        return record

    def _outlet_get_report(self, report_id):
        report = request.env[REPORT_MODEL].browse(report_id).exists()
        if not report:
            raise MissingError(request.env._("This report does not exist."))
        report.check_access("read")
        return report

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
        domain = self._outlet_record_domain()
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
            record = self._outlet_get_record(record_id)
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

    def _outlet_record_act(self, record_id, method, *args):
        try:
            record = self._outlet_get_record(record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/outlet/record/{record.id}"
        try:
            # a refused change must not stay half-written
            with request.env.cr.savepoint():
                getattr(record, method)(*args)
        except (UserError, ValidationError) as exc:
            return request.redirect(f"{url}?error={quote(exc.args[0])}")
        return request.redirect(url)

    @http.route(
        "/my/outlet/request/<int:ticket_id>/record",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_create(self, ticket_id, **kwargs):
        try:
            ticket = self._outlet_get_ticket(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                record = request.env[RECORD_MODEL]._outlet_create_for_ticket(ticket)
        except UserError as exc:
            return request.redirect(f"/my/outlet/request/{ticket.id}?error={quote(exc.args[0])}")
        return request.redirect(f"/my/outlet/record/{record.id}")

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
        return self._outlet_record_act(record_id, "action_outlet_update", values)

    @http.route(
        "/my/outlet/record/<int:record_id>/accept_charges",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_accept_charges(self, record_id, name="", **kwargs):
        return self._outlet_record_act(record_id, "action_outlet_accept_charges", name)

    @http.route(
        "/my/outlet/record/<int:record_id>/part",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_add_part(self, record_id, default_code="", quantity="1", **kwargs):
        return self._outlet_record_act(record_id, "action_outlet_add_part", default_code, quantity)

    @http.route(
        "/my/outlet/record/<int:record_id>/part/<int:part_id>/remove",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_remove_part(self, record_id, part_id, **kwargs):
        return self._outlet_record_act(record_id, "action_outlet_remove_part", part_id)

    @http.route(
        "/my/outlet/record/<int:record_id>/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_record_submit(self, record_id, **kwargs):
        return self._outlet_record_act(record_id, "action_outlet_submit")

    @http.route("/my/outlet/record/<int:record_id>/sign", type="json", auth="user", website=True)
    def portal_outlet_record_sign(self, record_id, name=None, signature=None, **kwargs):
        try:
            record = self._outlet_get_record(record_id)
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
            record = self._outlet_get_record(record_id)
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
        # the record rules give portal users their own outlet's reports only
        pager = portal_pager(
            url="/my/outlet/reports",
            total=Report.search_count([]),
            page=page,
            step=self._items_per_page,
        )
        reports = Report.search([], limit=self._items_per_page, offset=pager["offset"])
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
            report = self._outlet_get_report(report_id)
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
        try:
            report = self._outlet_get_report(report_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/outlet/report/{report.id}"
        try:
            with request.env.cr.savepoint():
                report.action_submit(remarks)
        except (UserError, AccessError) as exc:
            return request.redirect(f"{url}?error={quote(exc.args[0])}")
        return request.redirect(url)

    @http.route(
        "/aftersales/outlet_report/<int:report_id>/xlsx", type="http", auth="user", methods=["GET"]
    )
    def outlet_report_xlsx(self, report_id, **kwargs):
        """The report as a spreadsheet, for the back office and the outlet's portal users."""
        report = request.env[REPORT_MODEL].browse(report_id).exists()
        if not report or not report.has_access("read"):
            raise NotFound()
        # sudo: the user may read the report (checked above); the parts' names are needed
        content = report.sudo()._xlsx_content()
        filename = f"{request.env._('monthly-report')}-{report.name}.xlsx".replace(" ", "-")
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
