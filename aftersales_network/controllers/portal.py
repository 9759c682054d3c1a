"""Outlet portal: the requests dispatched to the user's outlet, accept/decline, progress, letter."""

from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

TICKET_MODEL = "aftersales.ticket"
RECORD_MODEL = "aftersales.service.record"
REPORT_MODEL = "aftersales.outlet.report"
OUTLET_MODEL = "aftersales.outlet"
# the outlet's page of a record of each model
OUTLET_PAGES = {
    TICKET_MODEL: "/my/outlet/request",
    RECORD_MODEL: "/my/outlet/record",
    REPORT_MODEL: "/my/outlet/report",
}


class AftersalesOutletPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "outlet_ticket_count" in counters:
            Ticket = request.env[TICKET_MODEL]
            values["outlet_ticket_count"] = (
                Ticket.search_count(Ticket._outlet_user_domain() + [("is_closed", "=", False)])
                if Ticket.has_access("read")
                else 0
            )
        return values

    def _outlet_get(self, model, record_id):
        """The record of ``model`` if the user works for its outlet, else AccessError (or
        MissingError)."""
        record = request.env[model].browse(record_id).exists()
        if not record:
            raise MissingError(request.env._("This document does not exist."))
        record._check_outlet_user()
        return record

    def _outlet_act(self, model, record_id, action):
        """Load the record, check the outlet's access, do ``action(record)``, then go back to
        the record's page, with the error if it was refused. ``action`` may return the page to
        go to instead."""
        try:
            record = self._outlet_get(model, record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"{OUTLET_PAGES[model]}/{record.id}"
        try:
            # a refused change must not stay half-written: the request goes on after the error
            with request.env.cr.savepoint():
                next_url = action(record)
        except (UserError, ValidationError, AccessError) as exc:
            return request.redirect(f"{url}?error={quote(exc.args[0])}")
        return request.redirect(next_url if isinstance(next_url, str) else url)

    # ---------------------------------------------------------------------------------------
    # list and detail
    # ---------------------------------------------------------------------------------------
    @http.route(
        ["/my/outlet", "/my/outlet/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_outlet_tickets(self, page=1, filterby="open", **kwargs):
        Ticket = request.env[TICKET_MODEL]
        filters = {
            "open": {"label": request.env._("Open"), "domain": [("is_closed", "=", False)]},
            "waiting": {
                "label": request.env._("To Accept"),
                "domain": [("outlet_status", "=", "dispatched")],
            },
            "all": {"label": request.env._("All"), "domain": []},
        }
        filterby = filterby if filterby in filters else "open"
        domain = Ticket._outlet_user_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/outlet",
            url_args={"filterby": filterby},
            total=Ticket.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain,
            order="outlet_dispatch_date desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        outlets = request.env[OUTLET_MODEL].search([])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "outlet_tickets",
                "tickets": tickets,
                "outlets": outlets,
                "pager": pager,
                "searchbar_filters": filters,
                "filterby": filterby,
                "default_url": "/my/outlet",
            }
        )
        return request.render("aftersales_network.portal_my_outlet_tickets", values)

    @http.route("/my/outlet/request/<int:ticket_id>", type="http", auth="user", website=True)
    def portal_my_outlet_ticket(self, ticket_id, error=None, **kwargs):
        try:
            ticket = self._outlet_get(TICKET_MODEL, ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # sudo: the user works for the outlet of the request (checked above); the outlet
        # needs the customer's address and contact, which portal users cannot read otherwise
        ticket_sudo = ticket.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "outlet_ticket",
                "ticket": ticket_sudo,
                "object": ticket_sudo,
                "error": error,
                "engineers": ticket_sudo.outlet_id.engineer_ids,
            }
        )
        return request.render("aftersales_network.portal_my_outlet_ticket", values)

    # ---------------------------------------------------------------------------------------
    # what the outlet does
    # ---------------------------------------------------------------------------------------
    @http.route(
        "/my/outlet/request/<int:ticket_id>/accept",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_accept(self, ticket_id, **kwargs):
        return self._outlet_act(
            TICKET_MODEL, ticket_id, lambda ticket: ticket.action_outlet_accept()
        )

    @http.route(
        "/my/outlet/request/<int:ticket_id>/decline",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_decline(self, ticket_id, reason="", **kwargs):
        return self._outlet_act(
            TICKET_MODEL, ticket_id, lambda ticket: ticket.action_outlet_decline(reason)
        )

    @http.route(
        "/my/outlet/request/<int:ticket_id>/progress",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_progress(self, ticket_id, message="", **kwargs):
        return self._outlet_act(
            TICKET_MODEL, ticket_id, lambda ticket: ticket.action_outlet_progress(message)
        )

    @http.route(
        "/my/outlet/request/<int:ticket_id>/engineer",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_outlet_engineer(self, ticket_id, engineer_id="0", **kwargs):
        engineer_id = int(engineer_id) if str(engineer_id).isdigit() else 0
        return self._outlet_act(
            TICKET_MODEL,
            ticket_id,
            lambda ticket: ticket.action_outlet_assign_engineer(engineer_id),
        )

    @http.route("/my/outlet/<int:outlet_id>/letter", type="http", auth="user", website=True)
    def portal_outlet_letter(self, outlet_id, download=False, **kwargs):
        outlet = request.env[OUTLET_MODEL].browse(outlet_id).exists()
        try:
            if not outlet:
                raise MissingError(request.env._("This outlet does not exist."))
            # the record rules give portal users their own outlet only
            outlet.check_access("read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        if outlet.letter_state != "valid":
            return request.redirect("/my/outlet")
        # sudo: access to the outlet was checked just above
        return self._show_report(
            model=outlet.sudo(),
            report_type="pdf",
            report_ref="aftersales_network.action_report_outlet_letter",
            download=download,
        )
