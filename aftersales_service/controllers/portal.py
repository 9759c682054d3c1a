"""Customer portal of the after-sales requests: list, detail with chatter, submission form."""

import math

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

TICKET_MODEL = "aftersales.ticket"
HISTORY_KEY = "my_aftersales_history"
# what the submission form sends back when it is re-displayed after an error
FORM_FIELDS = (
    "title",
    "ticket_type_id",
    "sale_order_id",
    "product_id",
    "lot_name",
    "quantity",
    "defective_qty",
    "customer_request",
    "description",
)


class AftersalesCustomerPortal(CustomerPortal):
    # ---------------------------------------------------------------------------------------
    # /my home
    # ---------------------------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_count" in counters:
            Ticket = request.env[TICKET_MODEL]
            values["aftersales_count"] = (
                Ticket.search_count(self._prepare_aftersales_domain())
                if Ticket.has_access("read")
                else 0
            )
        return values

    def _prepare_aftersales_domain(self):
        """The requests a user follows on the portal: those of their own company.

        The record rule already limits portal users to them; the domain keeps internal users
        visiting /my to the same "customer" view instead of the whole after-sales queue.
        """
        return [("commercial_partner_id", "=", request.env.user.commercial_partner_id.id)]

    # ---------------------------------------------------------------------------------------
    # list
    # ---------------------------------------------------------------------------------------
    def _aftersales_get_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "request_date desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "stage": {
                "label": request.env._("Stage"),
                "order": "stage_id, request_date desc, id desc",
            },
        }

    def _aftersales_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {"label": request.env._("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": request.env._("Closed"), "domain": [("is_closed", "=", True)]},
        }

    def _aftersales_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in Reference and Subject")},
            "name": {"input": "name", "label": request.env._("Search in Reference")},
            "title": {"input": "title", "label": request.env._("Search in Subject")},
        }

    def _aftersales_get_search_domain(self, search_in, search):
        if search_in in ("name", "title"):
            return [(search_in, "ilike", search)]
        return ["|", ("name", "ilike", search), ("title", "ilike", search)]

    def _prepare_aftersales_list_values(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kwargs
    ):
        values = self._prepare_portal_layout_values()
        Ticket = request.env[TICKET_MODEL]
        searchbar_sortings = self._aftersales_get_searchbar_sortings()
        searchbar_filters = self._aftersales_get_searchbar_filters()
        searchbar_inputs = self._aftersales_get_searchbar_inputs()
        # unknown values from a hand-made URL fall back to the defaults instead of failing
        sortby = sortby if sortby in searchbar_sortings else "date"
        filterby = filterby if filterby in searchbar_filters else "open"
        search_in = search_in if search_in in searchbar_inputs else "all"

        domain = expression.AND(
            [self._prepare_aftersales_domain(), searchbar_filters[filterby]["domain"]]
        )
        if search:
            domain = expression.AND([domain, self._aftersales_get_search_domain(search_in, search)])

        pager = portal_pager(
            url="/my/aftersales",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
            },
            total=Ticket.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY_KEY] = tickets.ids[:100]
        values.update(
            {
                "tickets": tickets,
                "page_name": "aftersales",
                "default_url": "/my/aftersales",
                "pager": pager,
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
                "searchbar_inputs": searchbar_inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return values

    @http.route(
        ["/my/aftersales", "/my/aftersales/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_aftersales(self, **kwargs):
        values = self._prepare_aftersales_list_values(**kwargs)
        return request.render("aftersales_service.portal_my_aftersales", values)

    # ---------------------------------------------------------------------------------------
    # detail
    # ---------------------------------------------------------------------------------------
    def _aftersales_ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        # the customer's own rating of the request, if they gave one
        rating = ticket.rating_ids.filtered(lambda r: r.consumed and not r.is_internal)[:1]
        values = {
            "page_name": "aftersales_ticket",
            "ticket": ticket,
            "rating": rating,
            "created": kwargs.get("created"),
            "preview_object": ticket,
        }
        return self._get_page_view_values(
            ticket, access_token, values, HISTORY_KEY, False, **kwargs
        )

    @http.route(
        "/my/aftersales/<int:ticket_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_aftersales_ticket(self, ticket_id, access_token=None, **kwargs):
        try:
            # returns the request in sudo: read access or a valid token was checked
            ticket_sudo = self._document_check_access(TICKET_MODEL, ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._aftersales_ticket_get_page_view_values(ticket_sudo, access_token, **kwargs)
        return request.render("aftersales_service.portal_my_aftersales_ticket", values)

    # ---------------------------------------------------------------------------------------
    # submission
    # ---------------------------------------------------------------------------------------
    def _aftersales_order_domain(self):
        """The confirmed orders a customer may refer to: their own company's."""
        partner = request.env.user.partner_id
        domain = [
            ("state", "=", "sale"),
            ("partner_id", "child_of", partner.commercial_partner_id.id),
        ]
        if partner.company_id:
            domain.append(("company_id", "=", partner.company_id.id))
        return domain

    def _aftersales_customer_orders(self):
        # searched with the user's own rights: only orders the portal already shows them
        return request.env["sale.order"].search(
            self._aftersales_order_domain(), order="date_order desc, id desc"
        )

    @staticmethod
    def _aftersales_order_products(orders):
        """The physical products of each order, as the request form offers them.

        ``orders`` were found with the user's rights; product names are read in sudo because
        portal users have no access to the product catalogue, only to their own order lines.
        """
        return {
            order: order.sudo().order_line.product_id.filtered(lambda p: p.type != "service")
            for order in orders
        }

    def _prepare_aftersales_form_values(self, form=None, errors=None):
        values = self._prepare_portal_layout_values()
        orders = self._aftersales_customer_orders()
        values.update(
            {
                "page_name": "aftersales_new",
                "ticket_types": request.env["aftersales.ticket.type"].search([]),
                "orders": orders,
                "order_products": self._aftersales_order_products(orders),
                "form": form or {},
                "errors": errors or {},
            }
        )
        return values

    @staticmethod
    def _aftersales_parse_id(value):
        value = (value or "").strip()
        return int(value) if value.isdigit() else None

    @staticmethod
    def _aftersales_parse_quantity(value):
        """A non-negative number, 0.0 when empty, None when not a valid number."""
        value = (value or "").strip().replace(",", ".")
        if not value:
            return 0.0
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) and number >= 0 else None

    def _aftersales_validate_request(self, form):
        """Check what the customer sent; return the values to create and the errors by field.

        Every record id from the form is looked up again with the user's own rights, so that
        nothing outside what the portal shows them can be referenced.
        """
        errors = {}
        vals = {}

        title = form["title"].strip()
        if title:
            vals["title"] = title
        else:
            errors["title"] = request.env._("Give your request a short subject.")

        kind_id = self._aftersales_parse_id(form["ticket_type_id"])
        kind = request.env["aftersales.ticket.type"]
        if kind_id:
            # active kinds only: the default active_test hides archived ones
            kind = kind.search([("id", "=", kind_id)], limit=1)
        if kind:
            vals["ticket_type_id"] = kind.id
        else:
            errors["ticket_type_id"] = request.env._("Choose the kind of request from the list.")

        order, product = self._aftersales_validate_order_product(form, vals, errors)
        self._aftersales_validate_quantities(form, vals, errors)

        description = form["description"].strip()
        lot_name = form["lot_name"].strip()
        if lot_name and product and order:
            # a serial or lot number is recognised only among those delivered on the order
            lots = order.sudo().order_line.move_ids.move_line_ids.lot_id
            lot = lots.filtered(lambda lot: lot.name == lot_name and lot.product_id == product)
            if lot:
                vals["lot_id"] = lot[:1].id
        if lot_name and "lot_id" not in vals:
            # keep what the customer typed for the staff to check
            description = "\n\n".join(
                filter(None, [description, request.env._("Serial / lot number: %s", lot_name)])
            )
        if description:
            vals["description"] = plaintext2html(description)
        customer_request = form["customer_request"].strip()
        if customer_request:
            vals["customer_request"] = customer_request
        return vals, errors

    def _aftersales_validate_order_product(self, form, vals, errors):
        """The order (one of the customer's confirmed orders) and the product (one of its
        products, or of any of their orders when no order is given)."""
        order = request.env["sale.order"]
        if form["sale_order_id"]:
            order_id = self._aftersales_parse_id(form["sale_order_id"])
            if order_id:
                order = order.search(
                    expression.AND([self._aftersales_order_domain(), [("id", "=", order_id)]]),
                    limit=1,
                )
            if order:
                vals["sale_order_id"] = order.id
            else:
                errors["sale_order_id"] = request.env._(
                    "This order is not one of your confirmed orders: choose one from the list."
                )

        product = request.env["product.product"]
        if form["product_id"]:
            product_id = self._aftersales_parse_id(form["product_id"])
            allowed = self._aftersales_order_products(order or self._aftersales_customer_orders())
            product = product.union(*allowed.values()).filtered(lambda p: p.id == product_id)
            if product:
                vals["product_id"] = product.id
            elif order:
                errors["product_id"] = request.env._(
                    "This product is not part of order %(order)s: choose one of its products.",
                    order=order.name,
                )
            else:
                errors["product_id"] = request.env._(
                    "This product is not in any of your orders: choose one from the list."
                )
        return order, product

    def _aftersales_validate_quantities(self, form, vals, errors):
        quantity = self._aftersales_parse_quantity(form["quantity"])
        defective = self._aftersales_parse_quantity(form["defective_qty"])
        if quantity is None:
            errors["quantity"] = request.env._("The quantity must be a number, zero or more.")
        if defective is None:
            errors["defective_qty"] = request.env._(
                "The defective quantity must be a number, zero or more."
            )
        if quantity is None or defective is None:
            return
        if defective > quantity:
            errors["defective_qty"] = request.env._(
                "The defective quantity (%(defective)s) cannot be larger than the quantity "
                "(%(quantity)s).",
                defective=defective,
                quantity=quantity,
            )
        vals.update(quantity=quantity, defective_qty=defective)

    def _aftersales_create_request(self, vals, files):
        """Create the validated request for the portal user and post their files on it."""
        partner = request.env.user.partner_id
        order = request.env["sale.order"].browse(vals.get("sale_order_id"))
        company = order.company_id or partner.company_id or request.env.company
        vals = dict(vals, channel="portal", partner_id=partner.id, company_id=company.id)
        # sudo: portal users cannot create requests themselves. It is safe here because the
        # customer, channel and company are set by this method, not taken from the form, and
        # every record the form refers to (kind, order, product, lot) was looked up again with
        # the user's own rights or among their own orders in _aftersales_validate_request.
        ticket = request.env[TICKET_MODEL].sudo().with_company(company).create(vals)
        attachments = [(file.filename, file.read()) for file in files]
        if attachments:
            # posted as the customer (sudo keeps the user): the files land on the request as
            # ir.attachment records (res_model/res_id) and show in its portal conversation
            ticket.message_post(
                body=request.env._("Files sent with the request."),
                attachments=attachments,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return ticket

    @http.route(
        "/my/aftersales/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_aftersales_new(self, **post):
        form = {name: post.get(name, "") for name in FORM_FIELDS}
        errors = {}
        if request.httprequest.method == "POST":
            form = {name: value if isinstance(value, str) else "" for name, value in form.items()}
            vals, errors = self._aftersales_validate_request(form)
            if not errors:
                files = [f for f in request.httprequest.files.getlist("attachments") if f.filename]
                try:
                    with request.env.cr.savepoint():
                        ticket = self._aftersales_create_request(vals, files)
                except (UserError, ValidationError) as error:
                    errors["_form"] = error.args[0]
                else:
                    return request.redirect(f"{ticket.access_url}?created=1")
        values = self._prepare_aftersales_form_values(form, errors)
        return request.render("aftersales_service.portal_aftersales_new", values)
