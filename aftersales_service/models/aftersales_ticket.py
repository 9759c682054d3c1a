import json
import uuid
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..cached_values import cached_values, filter_ids
from .aftersales_ticket_mail import ASSIGNED_TEMPLATE, MAIL_QUEUE_CRON, NOTIFY_NOW
from .scheduled_job import (
    JOB_BATCH_SIZE,
    insert_and_trigger,
    run_job,
    schedule_activities,
    trigger_once,
)

# the followers' e-mails of an automatic message, sent by Odoo's scheduled-notification job
DEFERRED_EMAILS = "aftersales_deferred_emails"
# context key: mail.thread's create leaves the auto-subscription to ours, done for the batch
BATCH_SUBSCRIBE = "aftersales_batch_subscribe"
# context key: the default team create already looked up (not a default_ key: it stays on
# the requests, not on what their creation creates)
DEFAULT_TEAM = "aftersales_default_team"
# the transaction's data: {request id: whether somebody follows its stage changes}, read by a
# move for its tracking
STAGE_FOLLOWED = "aftersales.stage_followed"

SEVERITIES = [("minor", "Minor"), ("severe", "Severe")]
COMPLAINT_CATEGORIES = [
    ("quality", "Quality abnormality"),
    ("non_quality", "Non-quality (human factor)"),
    ("other", "Other causes"),
]
CHANNELS = [
    ("phone", "Hotline call"),
    ("visit", "Visit"),
    ("letter", "Letter"),
    ("email", "E-mail"),
    ("portal", "Website / portal"),
    ("outlet", "Service outlet"),
    ("staff", "Sales or technical staff"),
]
SLA_STATUSES = [("on_time", "On time"), ("at_risk", "At risk"), ("breached", "Breached")]
# what the commitment status of a request is computed from (the company first)
SLA_STATUS_DEPENDS = (
    "company_id",
    "response_deadline",
    "resolve_deadline",
    "first_response_date",
    "is_closed",
    "is_response_late",
    "is_resolve_late",
)
# ticket fields the warranty and DAP computations read (aftersales_ticket_service.py)
WARRANTY_DEPENDS = (
    "request_date",
    "lot_id",
    "shipping_date",
    "sale_order_id",
    "product_id",
    "ticket_type_code",
    "complaint_category",
)


class AftersalesTicket(models.Model):
    """One after-sales request (售后服务请求): from registration to closing."""

    _name = "aftersales.ticket"
    _description = "After-Sales Request"
    _inherit = ["portal.mixin", "mail.thread.cc", "mail.activity.mixin", "rating.mixin"]
    _order = "priority desc, id desc"
    _primary_email = "partner_email"
    _mail_post_access = "read"
    _check_company_auto = True
    # balanced assignment counts a member's open requests up to this many (see
    # _balanced_assignees): far above anyone's real load, it keeps a create's cost flat
    _balanced_load_cap = 1000

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    title = fields.Char(string="Subject", required=True, tracking=True, index="trigram")
    description = fields.Html()
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    request_date = fields.Datetime(
        string="Received On",
        required=True,
        default=fields.Datetime.now,
        help="When the customer reached us; the commitments count from here.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        precompute=True,
        index=True,
        string="Customer Company",
    )
    partner_email = fields.Char(
        string="E-mail",
        compute="_compute_partner_contact",
        inverse="_inverse_partner_email",
        store=True,
        precompute=True,
        readonly=False,
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_contact",
        store=True,
        precompute=True,
        readonly=False,
    )
    ticket_type_id = fields.Many2one(
        "aftersales.ticket.type",
        string="Kind",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self._default_ticket_type(),
    )
    ticket_type_code = fields.Char(
        related="ticket_type_id.code", store=True, precompute=True, string="Kind Code"
    )
    is_complaint = fields.Boolean(
        related="ticket_type_id.is_complaint", store=True, precompute=True
    )
    concerns_product = fields.Boolean(related="ticket_type_id.concerns_product")
    stage_id = fields.Many2one(
        "aftersales.ticket.stage",
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(
        compute="_compute_is_closed", store=True, precompute=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        "aftersales.team",
        tracking=True,
        index=True,
        check_company=True,
        default=lambda self: self._default_team(),
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Medium"), ("2", "High"), ("3", "Urgent")],
        default="0",
        index=True,
        tracking=True,
    )
    color = fields.Integer()

    # complaint classification (domain.md §3)
    complaint_category = fields.Selection(COMPLAINT_CATEGORIES, string="Category", tracking=True)
    severity = fields.Selection(SEVERITIES, tracking=True, index=True)

    # registration data (domain.md §3 step 1)
    sale_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        check_company=True,
        domain="[('state', '=', 'sale'), ('partner_id', 'child_of', commercial_partner_id)]",
    )
    # sudo: only which products the order holds is read (the product's choices in the form),
    # also for staff who may not read sale orders; the domain is the form's: a list that
    # edits the product would compute it for each request of the page
    order_product_ids = fields.Many2many(
        "product.product",
        compute="_compute_order_product_ids",
        compute_sudo=True,
        string="Ordered Products",
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        check_company=True,
    )
    part_number = fields.Char(related="product_id.default_code", string="Part Number")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial / Lot",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    shipping_date = fields.Date(help="When the goods left for the customer (交运日期).")
    quantity = fields.Float(digits="Product Unit of Measure")
    defective_qty = fields.Float(string="Defective Quantity", digits="Product Unit of Measure")
    customer_request = fields.Text(string="Customer Asks For")

    # analysis (domain.md §3 step 2)
    responsible_department_id = fields.Many2one(
        "hr.department", tracking=True, check_company=True, index="btree_not_null"
    )
    # the record rule of department managers compares this column with the user instead of
    # following the department and its manager in every query and every access check
    responsible_manager_user_id = fields.Many2one(
        "res.users",
        string="Responsible Manager",
        related="responsible_department_id.manager_id.user_id",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    root_cause = fields.Text()
    solution = fields.Html()

    corrective_action_ids = fields.One2many(
        "aftersales.corrective.action", "ticket_id", string="Corrective Actions"
    )
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")
    open_action_count = fields.Integer(compute="_compute_corrective_action_count")

    # commitments
    commitment_id = fields.Many2one(
        "aftersales.team.commitment",
        compute="_compute_deadlines",
        store=True,
        precompute=True,
        readonly=True,
    )
    response_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, precompute=True, readonly=True, index=True
    )
    resolve_deadline = fields.Datetime(
        string="Resolution Deadline",
        compute="_compute_deadlines",
        store=True,
        precompute=True,
        readonly=True,
    )
    first_response_date = fields.Datetime(string="First Response", readonly=True, copy=False)
    closed_date = fields.Datetime(string="Closed On", readonly=True, copy=False, index=True)
    is_response_late = fields.Boolean(compute="_compute_lateness", store=True, precompute=True)
    is_resolve_late = fields.Boolean(compute="_compute_lateness", store=True, precompute=True)
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="Commitment Status",
        compute="_compute_sla_status",
        search="_search_sla_status",
    )
    sla_breach_notified = fields.Boolean(
        copy=False, index=True, help="The team leader was given an activity for the breach."
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity >= 0)", "The quantity cannot be negative."),
        (
            "defective_positive",
            "CHECK(defective_qty >= 0)",
            "The defective quantity cannot be negative.",
        ),
    ]

    def _auto_init(self):
        result = super()._auto_init()
        # the kanban reads each stage's column in the list order; the record rule of users
        # matches the requests they registered
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_stage_order_idx",
            self._table,
            ["stage_id", "priority DESC", "id DESC"],
        )
        tools.create_index(
            self.env.cr, "aftersales_ticket_create_uid_idx", self._table, ["create_uid"]
        )
        # open requests per assignee in the list order: "my open requests" reads its first page
        # without sorting them all, the balanced assignment counts the load on the index alone
        # (the predicate is the one the ORM writes for is_closed = False)
        tools.sql.drop_index(self.env.cr, "aftersales_ticket_open_user_idx", self._table)
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_open_user_order_idx",
            self._table,
            ["user_id", "priority DESC", "id DESC"],
            where='"is_closed" IS NULL OR "is_closed" = FALSE',
        )
        return result

    # ---------------------------------------------------------------------------------------
    # defaults
    # ---------------------------------------------------------------------------------------
    @api.model
    def _default_ticket_type(self):
        # by its cached id: a new request does not query the kind to find its default
        return self.env["aftersales.ticket.type"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "aftersales_service.ticket_type_consultation", raise_if_not_found=False
            )
        )

    @api.model
    def _default_stage(self):
        # fetched with what create reads of it (its customer e-mail), in the same query
        return self.env["aftersales.ticket.stage"].search_fetch(
            [("is_closed", "=", False), ("is_cancel", "=", False)],
            ["mail_template_id", "is_closed", "is_cancel", "sequence"],
            limit=1,
        )

    @api.model
    def _default_team(self):
        if DEFAULT_TEAM in self.env.context:
            return self.env["aftersales.team"].browse(self.env.context[DEFAULT_TEAM])
        company = self.env.company
        Team = self.env["aftersales.team"]
        return Team.search(
            [("company_id", "=", company.id), ("member_ids", "in", self.env.uid)], limit=1
        ) or Team.search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        stage_domain = [("team_ids", "=", False)]
        if team_id:
            stage_domain = ["|", ("team_ids", "=", False), ("team_ids", "in", [team_id])]
        return stages.search(stage_domain)

    # ---------------------------------------------------------------------------------------
    # computes
    # ---------------------------------------------------------------------------------------
    def _compute_corrective_action_count(self):
        """All the corrective actions and the open ones, in one query."""
        total, open_ = defaultdict(int), defaultdict(int)
        for ticket, state, count in self.env["aftersales.corrective.action"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id", "state"], ["__count"]
        ):
            total[ticket] += count
            if state in ("draft", "confirmed"):
                open_[ticket] += count
        for ticket in self:
            ticket.corrective_action_count = total[ticket]
            ticket.open_action_count = open_[ticket]

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_corrective_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_department_id": self.responsible_department_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    @api.depends("partner_id.email", "partner_id.phone")
    def _compute_partner_contact(self):
        for ticket in self:
            if ticket.partner_id.email:
                ticket.partner_email = ticket.partner_id.email
            if ticket.partner_id.phone or ticket.partner_id.mobile:
                ticket.partner_phone = ticket.partner_id.phone or ticket.partner_id.mobile

    def _inverse_partner_email(self):
        for ticket in self:
            if ticket.partner_id and ticket.partner_email and not ticket.partner_id.email:
                ticket.partner_id.email = ticket.partner_email

    @api.depends("stage_id.is_closed", "stage_id.is_cancel")
    def _compute_is_closed(self):
        for ticket in self:
            ticket.is_closed = ticket.stage_id.is_closed or ticket.stage_id.is_cancel

    @api.depends("sale_order_id")
    def _compute_order_product_ids(self):
        for ticket in self:
            ticket.order_product_ids = ticket.sale_order_id.order_line.product_id.filtered(
                lambda p: p.type != "service"
            )

    @api.depends("team_id", "ticket_type_id", "severity", "request_date")
    def _compute_deadlines(self):
        Commitment = self.env["aftersales.team.commitment"]
        # the commitments of every team of the batch in one query
        commitments = defaultdict(lambda: Commitment)
        if self.team_id:
            for rule in Commitment.search_fetch(
                [("team_id", "in", self.team_id.ids)],
                ["team_id", "ticket_type_id", "severity", "sequence"],
            ):
                commitments[rule.team_id] |= rule
        by_team = defaultdict(list)
        for ticket in self:
            rule = (
                ticket.team_id._get_commitment(
                    ticket.ticket_type_id, ticket.severity, commitments[ticket.team_id]
                )
                if ticket.team_id
                else Commitment
            )
            ticket.commitment_id = rule
            if rule and ticket.request_date:
                by_team[ticket.team_id].append(ticket)
            else:
                ticket.response_deadline = ticket.resolve_deadline = False
        for team, tickets in by_team.items():
            requests = []
            for ticket in tickets:
                requests.append((ticket.request_date, ticket.commitment_id.response_hours))
                requests.append((ticket.request_date, ticket.commitment_id.resolve_hours))
            deadlines = team._plan_deadlines(requests)
            for index, ticket in enumerate(tickets):
                ticket.response_deadline = deadlines[2 * index]
                ticket.resolve_deadline = deadlines[2 * index + 1]

    @api.depends("response_deadline", "first_response_date", "resolve_deadline", "closed_date")
    def _compute_lateness(self):
        for ticket in self:
            ticket.is_response_late = bool(
                ticket.response_deadline
                and ticket.first_response_date
                and ticket.first_response_date > ticket.response_deadline
            )
            ticket.is_resolve_late = bool(
                ticket.resolve_deadline
                and ticket.closed_date
                and ticket.closed_date > ticket.resolve_deadline
            )

    @api.model
    def _at_risk_delta(self, company=None):
        """The warning time before a deadline of ``company`` (default: the current one)."""
        company = company or self.env.company
        hours = self.env["res.company"]._aftersales_at_risk_hours_by_company().get(company.id)
        if hours is None:  # made by another worker that has not yet told this one
            hours = company.aftersales_at_risk_hours
        return timedelta(hours=hours)

    # its stored dependencies are fetched with the requests (no hidden columns in the views)
    @api.depends_context("uid")
    @api.depends(*SLA_STATUS_DEPENDS)
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        # a list page computes it for 80 requests: their values are taken a field at a time,
        # as the cache holds them (no record built per value), and the statuses written a
        # status at a time; each request by its own company's warning time (cached)
        columns = cached_values(self, SLA_STATUS_DEPENDS)
        soon = {
            company_id: now + self._at_risk_delta(self.env["res.company"].browse(company_id))
            for company_id in set(columns[0])
        }
        statuses = defaultdict(list)
        for ticket_id, company_id, response, resolve, responded, closed, late, late_resolve in zip(
            self._ids, *columns, strict=True
        ):
            if not response and not resolve:
                statuses[False].append(ticket_id)
                continue
            response = (not responded and not closed and response) or None
            resolve = (not closed and resolve) or None
            due = soon[company_id]
            if late or late_resolve or (response or now) < now or (resolve or now) < now:
                statuses["breached"].append(ticket_id)
            elif (response or due) < due or (resolve or due) < due:
                statuses["at_risk"].append(ticket_id)
            else:
                statuses["on_time"].append(ticket_id)
        for status, ticket_ids in statuses.items():
            self.browse(ticket_ids).sla_status = status

    @api.model
    def _sla_domains(self):
        """Domains of the three commitment statuses, evaluated now."""
        now = fields.Datetime.now()
        soon = now + self._at_risk_delta()
        open_ = [("is_closed", "=", False)]
        unanswered = open_ + [("first_response_date", "=", False)]
        breached = expression.OR(
            [
                [("is_response_late", "=", True)],
                [("is_resolve_late", "=", True)],
                unanswered + [("response_deadline", "<", now)],
                open_ + [("resolve_deadline", "<", now)],
            ]
        )
        due_soon = expression.OR(
            [
                unanswered + [("response_deadline", "<", soon)],
                open_ + [("resolve_deadline", "<", soon)],
            ]
        )
        with_deadline = ["|", ("response_deadline", "!=", False), ("resolve_deadline", "!=", False)]
        not_breached = ["!", *expression.normalize_domain(breached)]
        not_due_soon = ["!", *expression.normalize_domain(due_soon)]
        return {
            "breached": breached,
            "at_risk": expression.AND([not_breached, due_soon]),
            "on_time": expression.AND([with_deadline, not_breached, not_due_soon]),
        }

    def _search_sla_status(self, operator, value):
        domains = self._sla_domains()
        if operator in ("=", "!=") and value in domains:
            domain = expression.normalize_domain(domains[value])
            return domain if operator == "=" else ["!", *domain]
        if operator == "in" and all(v in domains for v in value):
            return expression.OR([domains[v] for v in value])
        raise UserError(self.env._("Unsupported search on the commitment status."))

    # ---------------------------------------------------------------------------------------
    # onchanges and checks
    # ---------------------------------------------------------------------------------------
    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if (
            self.sale_order_id
            and self.sale_order_id.partner_id.commercial_partner_id
            != self.partner_id.commercial_partner_id
        ):
            self.sale_order_id = False

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        """Propose the order's delivered product, its shipping date and quantity."""
        order = self.sale_order_id
        if not order:
            return
        if not self.partner_id:
            self.partner_id = order.partner_id
        products = self.order_product_ids
        if self.product_id not in products:
            self.product_id = products[:1] if len(products) == 1 else False
        self._propose_delivery_data()

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.sale_order_id and self.product_id:
            self._propose_delivery_data()

    def _delivered_moves(self):
        self.ensure_one()
        product = self.product_id._origin  # in a form, the product is a new-record wrapper
        return self.sale_order_id._origin.order_line.move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.picking_code == "outgoing"
                and (not product or m.product_id == product)
            )
        )

    def _propose_delivery_data(self):
        moves = self._delivered_moves()
        if moves:
            self.shipping_date = fields.Date.to_date(max(moves.mapped("date")))
            if self.product_id:
                self.quantity = sum(moves.mapped("quantity"))
        elif self.sale_order_id.effective_date:
            self.shipping_date = fields.Date.to_date(self.sale_order_id.effective_date)

    @api.constrains("quantity", "defective_qty")
    def _check_defective_qty(self):
        for ticket in self:
            if ticket.defective_qty > ticket.quantity and ticket.quantity:
                raise ValidationError(
                    self.env._(
                        "%(ref)s: the defective quantity (%(defective)s) cannot be larger than "
                        "the quantity (%(quantity)s).",
                        ref=ticket.display_name,
                        defective=ticket.defective_qty,
                        quantity=ticket.quantity,
                    )
                )

    @api.constrains("sale_order_id", "partner_id")
    def _check_sale_order_customer(self):
        for ticket in self.filtered("sale_order_id"):
            order_customer = ticket.sale_order_id.partner_id.commercial_partner_id
            if order_customer != ticket.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Sale order %(order)s belongs to %(owner)s, not to %(customer)s: choose "
                        "one of the customer's own orders.",
                        order=ticket.sale_order_id.name,
                        owner=order_customer.display_name,
                        customer=ticket.partner_id.display_name or self.env._("no customer"),
                    )
                )

    @api.constrains("shipping_date", "request_date")
    def _check_dates_not_future(self):
        # the user's day (a read of their time zone) only when a shipping date is given
        today = fields.Date.context_today(self) if any(self.mapped("shipping_date")) else None
        # a request can be registered a little ahead of the server clock (time zones)
        latest_request = fields.Datetime.now() + timedelta(hours=1)
        for ticket in self:
            if ticket.shipping_date and ticket.shipping_date > today:
                raise ValidationError(
                    self.env._(
                        "The shipping date %(date)s is in the future: give the date the goods "
                        "actually left.",
                        date=ticket.shipping_date,
                    )
                )
            if ticket.request_date and ticket.request_date > latest_request:
                raise ValidationError(
                    self.env._("The date the request was received is in the future.")
                )

    # ---------------------------------------------------------------------------------------
    # ORM: the one create and the one write of the request. The feature files (complaint,
    # service, policy, register) are plain extensions; what they need on create or write is
    # called from here, in the order the process asks for it.
    # ---------------------------------------------------------------------------------------
    @api.model
    def _add_missing_default_values(self, values):
        """Odoo's, then the fields the precomputed ones read that have no default get their
        empty value: computing a new request's precomputed fields would otherwise ask
        ``default_get`` again for each of them, one field at a time."""
        values = super()._add_missing_default_values(values)
        for name in self._precompute_inputs():
            if name not in values:
                field = self._fields[name]
                values[name] = [] if field.type in ("one2many", "many2many") else False
        return values

    @tools.ormcache()
    def _precompute_inputs(self):
        """The stored, not computed fields that the precomputed fields depend on."""
        names = {
            dependency.split(".")[0]
            for field in self._fields.values()
            if field.precompute
            for dependency in self.pool.field_depends[field]
        }
        return tuple(
            sorted(
                name
                for name in names
                if self._fields[name].store and not self._fields[name].compute
            )
        )

    def _fetch_message_context(self, companies):
        """Fetch what Odoo reads of the companies and of the author when it creates requests
        or writes a chatter message on them, and only that: the companies' parent path (its
        company checks), name and alias domain (the reply-to: the catchall address is
        computed from them), the author's name, e-mail and language. Reading one of these
        fields would fetch all the columns of a company (150) or of a partner (60), more than
        a millisecond of a create or a stage move. As superuser, as Odoo reads them."""
        companies.sudo().fetch(["name", "parent_path", "alias_domain_id"])
        self.env.user.partner_id.sudo().fetch(["name", "email", "lang"])

    @api.model_create_multi
    def create(self, vals_list):
        default_stage = (
            self._default_stage() if "default_stage_id" not in self.env.context else None
        )
        for vals in vals_list:
            # an explicit stage: the stage's customer e-mail ("received") is queued below
            if not vals.get("stage_id") and default_stage:
                vals["stage_id"] = default_stage.id
        self._assign_references(vals_list)
        # training before taking the post: explicit assignees are checked, balanced
        # assignment skips untrained members
        default_company = self.env.company.id
        self._fetch_message_context(
            self.env.company
            | self.env["res.company"].browse(
                {vals["company_id"] for vals in vals_list if vals.get("company_id")}
            )
        )
        warned = self._check_assignee_training(
            {
                (vals["user_id"], vals.get("company_id") or default_company)
                for vals in vals_list
                if vals.get("user_id")
            }
        )
        default_team = self._assign_balanced(vals_list)
        for vals in vals_list:
            # a new request has no rating yet: its last rating is 0, stored with it, and
            # rating.mixin's aggregate query (a computed field Odoo does not protect) is spared
            vals.setdefault("rating_last_value", 0.0)
            # the customer's links carry it: made now, the e-mail job never writes the request
            # (a write there would conflict with the desk's work on it)
            vals.setdefault("access_token", str(uuid.uuid4()))
        # mail.thread's subscriptions are made for the batch below (_auto_subscribe_created)
        context = {BATCH_SUBSCRIBE: True, "mail_create_nosubscribe": True}
        if default_team is not None:
            context[DEFAULT_TEAM] = default_team.id  # the field's default, not looked up again
        tickets = (
            super(AftersalesTicket, self.with_context(**context))
            .create(vals_list)
            .with_env(self.env)
        )
        self.env.remove_to_compute(self._fields["rating_last_value"], tickets)
        notices = tickets._auto_subscribe_created(vals_list)
        tickets._raise_dap_priority()
        if warned:
            tickets._post_untrained_warnings(warned)
        tickets._queue_stage_mails(notices)
        return tickets

    def _auto_subscribe_created(self, vals_list):
        """mail.thread's subscriptions of new requests, for the batch at once: the creator, the
        active assignee and the followers of a team given in the values (with the request
        subtypes their team subscription implies), inserted once per group of requests with
        the same followers; Odoo checks and inserts them request by request.
        Returns the assignment notices to queue: ``[(ticket, partner)]``."""
        context = self.env.context
        if context.get("tracking_disable"):
            return []  # as mail.thread's create
        Subtype, Followers = self.env["mail.message.subtype"], self.env["mail.followers"]
        assignee_subtypes = Subtype._get_auto_subscription_subtypes(self._name)[1]
        creator = self.env.user.partner_id
        creator_subtypes = set()
        if not context.get("mail_create_nosubscribe") and self.env.user.active:
            creator_subtypes = set(Subtype.default_subtypes(self._name)[0].ids)
        subscriptions = {ticket.id: defaultdict(set) for ticket in self}
        notices = []
        for ticket in self:
            if creator_subtypes:
                subscriptions[ticket.id][creator.id] |= creator_subtypes
            user = ticket.sudo().user_id
            if user.active:
                subscriptions[ticket.id][user.partner_id.id] |= set(assignee_subtypes)
                if user.partner_id != creator:  # as mail.thread: the assignee is told
                    notices.append((ticket, user.partner_id))
        self._add_related_followers(vals_list, subscriptions)
        groups = defaultdict(list)
        for ticket_id, partners in subscriptions.items():
            key = tuple(sorted((pid, tuple(sorted(sids))) for pid, sids in partners.items()))
            if key:
                groups[key].append(ticket_id)
        for key, ticket_ids in groups.items():
            Followers._insert_followers(
                self._name,
                ticket_ids,
                [pid for pid, _sids in key],
                subtypes={pid: list(sids) for pid, sids in key},
                check_existing=False,
            )
        if context.get("mail_auto_subscribe_no_notify") or not self.env.registry.ready:
            return []
        return notices

    def _add_related_followers(self, vals_list, subscriptions):
        """Add to ``subscriptions`` (``{request id: {partner id: subtype ids}}``) the followers
        of a related record given in the values (the team; not the default team, as
        mail.thread only sees the values), with the request subtypes their subscription
        implies."""
        child_ids, _default, internal_ids, parent, relations = self.env[
            "mail.message.subtype"
        ]._get_auto_subscription_subtypes(self._name)
        defaults = {
            key[8:]: value for key, value in self.env.context.items() if key.startswith("default_")
        }
        for model, names in relations.items():
            targets = defaultdict(list)  # related record id: request ids
            for ticket, vals in zip(self, vals_list, strict=True):
                values = {**defaults, **vals}
                for name in names:
                    if values.get(name):
                        targets[values[name]].append(ticket.id)
            if not targets:
                continue
            for _fid, res_id, partner_id, subtype_ids, pshare, active in self.env[
                "mail.followers"
            ]._get_subscription_data(
                [(model, list(targets))], None, include_pshare=True, include_active=True
            ):
                if not (partner_id and active):
                    continue
                sids = {parent[sid] for sid in subtype_ids if parent.get(sid)}
                sids |= {sid for sid in subtype_ids if sid not in parent and sid in child_ids}
                if pshare:
                    sids -= set(internal_ids)
                for ticket_id in targets[res_id]:
                    subscriptions[ticket_id][partner_id] |= sids

    @api.model
    def _assign_references(self, vals_list):
        """Give new requests their reference from the company's sequence.

        One look-up of the sequence per company and, for a standard sequence without date
        ranges, one query that draws the numbers of the whole batch (Odoo draws them one by one).
        """
        todo = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                todo[vals.get("company_id") or self.env.company.id].append(vals)
        Sequence = self.env["ir.sequence"]
        if todo:
            Sequence.check_access("read")
        for company_id, company_vals in todo.items():
            sequence = Sequence.with_company(company_id).search_fetch(
                [("code", "=", "aftersales.ticket"), ("company_id", "in", [company_id, False])],
                ["implementation", "use_date_range", "prefix", "suffix", "padding"],
                order="company_id",
                limit=1,
            )
            if sequence and sequence.implementation == "standard" and not sequence.use_date_range:
                self.env.cr.execute(
                    SQL(
                        "SELECT nextval(%s) FROM generate_series(1, %s)",
                        f"ir_sequence_{sequence.id:03d}",
                        len(company_vals),
                    )
                )
                names = [sequence.get_next_char(row[0]) for row in self.env.cr.fetchall()]
            else:
                names = [sequence._next() if sequence else False for _vals in company_vals]
            for vals, name in zip(company_vals, names, strict=True):
                vals["name"] = name or self.env._("New")

    def _assign_balanced(self, vals_list):
        """Give unassigned new requests of balanced teams to their least loaded member.

        Returns the default team it looked up for requests without one, if it did."""
        todo = [vals for vals in vals_list if not vals.get("user_id")]
        if not todo:
            return None
        Team = self.env["aftersales.team"]
        default_team = None
        if any(not vals.get("team_id") for vals in todo):
            default_team = (
                Team.browse(self.env.context["default_team_id"])
                if "default_team_id" in self.env.context
                else self._default_team()
            )
        teams = [Team.browse(vals.get("team_id")) or default_team for vals in todo]
        for vals, user in zip(todo, self._balanced_assignees(teams), strict=True):
            if user:
                vals["user_id"] = user.id
        return default_team

    def _balanced_assignees(self, teams, force=False):
        """For a list of teams (one per request), the member each request goes to.

        One query reads the active members of the teams that assign (every team with
        ``force``: the clerk asked for it) with their open load, without the members who may
        not be given requests; each assignment counts in the next one. A member's load is
        counted up to ``_balanced_load_cap`` only, so that a create costs the same on a
        database of millions of requests: while the least loaded member is below the cap the
        choice is exact; when every member has reached it, the loads are counted in full.
        """
        Users = self.env["res.users"]
        team_ids = tuple({team.id for team in teams if team})
        if not team_ids:
            return [Users] * len(teams)
        self.flush_model(["user_id", "is_closed"])
        self.env["aftersales.team"].flush_model(["assignment_method", "member_ids", "company_id"])
        Users.flush_model(["active"])
        cap = self._balanced_load_cap
        result = self._pick_balanced(teams, self._member_loads(team_ids, force, cap), cap)
        if result is None:
            result = self._pick_balanced(teams, self._member_loads(team_ids, force, None), None)
        return result

    def _member_loads(self, team_ids, force, cap):
        """``(team_id, user_id, open requests)`` of the assignable members of the teams; the
        open requests are counted up to ``cap`` (None: all of them)."""
        # the load counts every open request of the member, whoever may read it
        self.env.cr.execute(
            SQL(
                """
                SELECT rel.team_id, rel.user_id,
                       (SELECT COUNT(*) FROM (
                            SELECT 1 FROM aftersales_ticket ticket
                             WHERE ticket.user_id = rel.user_id
                               AND (ticket.is_closed IS NULL OR ticket.is_closed = FALSE)
                             LIMIT %s) AS counted)
                  FROM aftersales_team_member_rel rel
                  JOIN aftersales_team team ON team.id = rel.team_id
                  JOIN res_users member ON member.id = rel.user_id AND member.active
                 WHERE rel.team_id IN %s
                   AND (%s OR team.assignment_method = 'balanced')
                   AND %s
                """,
                cap,
                team_ids,
                force,
                self._assignable_member_condition(),
            )
        )
        return self.env.cr.fetchall()

    def _pick_balanced(self, teams, loads, cap):
        """The least loaded member of each team, each pick counting in the next; None when a
        pick reaches ``cap`` (the capped loads no longer tell the members apart)."""
        Users = self.env["res.users"]
        candidates, load = defaultdict(list), {}
        for team_id, user_id, count in loads:
            candidates[team_id].append(user_id)
            load[user_id] = count
        result = []
        for team in teams:
            if not candidates.get(team.id):
                result.append(Users)
                continue
            user_id = min(candidates[team.id], key=lambda uid: (load[uid], uid))
            if cap is not None and load[user_id] >= cap:
                return None
            load[user_id] += 1
            result.append(Users.browse(user_id))
        return result

    def _assignable_member_condition(self):
        """SQL condition on ``rel.user_id`` and ``team`` (its team): the members who may be
        given requests."""
        return SQL("TRUE")

    def write(self, vals):
        written = set(vals)  # vals may be split below (a complaint's stage is written last)
        if vals.get("user_id") and self.ids:
            # two people assigning one request at once: the row lock makes the second wait for
            # the first and fail as a serialization conflict, which Odoo retries, instead of
            # failing on the follower both would add
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM aftersales_ticket WHERE id IN %s FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
        warned = {}
        if vals.get("user_id") or (vals.get("company_id") and "user_id" not in vals):
            warned = self._check_assignee_training(
                {
                    (
                        vals.get("user_id") or ticket.user_id.id,
                        vals.get("company_id") or ticket.company_id.id,
                    )
                    for ticket in self
                }
            )
        stage = None
        leaving_analysis = self.browse()
        if "stage_id" in vals:
            # what a move reads of the requests, in one narrow query (not their 70 columns),
            # read as superuser: the access rules are not planned into the query of every
            # move; Odoo's write checks them on the values read, before anything is written
            self.sudo().fetch(self._stage_move_fields())
            stage = self.env["aftersales.ticket.stage"].browse(vals["stage_id"])
            # the new stage is read with the current ones, which the tracking reads
            stage = stage.with_prefetch(tuple({*stage.ids, *self.stage_id.ids}))
            # module data (the demo) moves complaints through their stages before their
            # approvals and actions exist: the process gates apply to people
            complaints = self.filtered("is_complaint") if self.env.registry.ready else None
            if complaints:
                # as Odoo's write checks it, before the gates tell what they found
                self.check_access("write")
                others = {key: value for key, value in vals.items() if key != "stage_id"}
                if others:
                    # the form saves the appraisal and the new stage together: check the new
                    # values, so they are written first
                    super().write(others)
                    vals = {"stage_id": vals["stage_id"]}
                complaints._check_complaint_stage(stage)
                leaving_analysis = complaints._leaving_analysis(stage)
            now = fields.Datetime.now()
            if stage.is_closed or stage.is_cancel:
                vals = dict(vals, closed_date=now)
            elif any(ticket.closed_date for ticket in self):  # reopened
                vals = dict(vals, closed_date=False)
            # leaving the first stage counts as the first response (domain.md §2, 第一时间)
            unanswered = self.filtered(lambda t: not t.first_response_date)
            answered = self - unanswered
            result = True
            if answered:
                result = super(AftersalesTicket, answered).write(vals)
            if unanswered:
                result = (
                    super(AftersalesTicket, unanswered).write(dict(vals, first_response_date=now))
                    and result
                )
        else:
            result = super().write(vals)
        if stage is not None:
            self._queue_stage_mails(moved=True)
            if stage.is_closed:
                self._plan_closing_callbacks()
                self._close_recall_lines()
        if any(name in written for name in WARRANTY_DEPENDS if name != "ticket_type_code") or (
            "ticket_type_id" in written
        ):
            self._raise_dap_priority()
        if warned:
            self._post_untrained_warnings(warned)
        leaving_analysis._notify_department_manager()
        return result

    def _stage_move_fields(self):
        """The fields a stage move reads: the tracked ones, those of the access rules, the
        process gates and the commitment fields it recomputes."""
        return [
            *self._track_get_fields(),
            "name",
            "create_uid",
            "responsible_manager_user_id",
            "is_complaint",
            "company_id",
            "request_date",
            "first_response_date",
            "closed_date",
            "is_closed",
            "response_deadline",
            "resolve_deadline",
            "is_response_late",
            "is_resolve_late",
            "recall_id",
        ]

    @api.private
    def filtered_domain(self, domain):
        """Odoo's, on the cached values themselves for a domain of plain leaves: the access
        rules, which Odoo checks this way on every page of requests it reads (80 requests:
        each rule's leaf built 80 records and 80 recordsets)."""
        if domain and self:
            ids = filter_ids(self, domain)
            if ids is not None:
                return self.browse(id_ for id_ in self._ids if id_ in ids)
        return super().filtered_domain(domain)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for ticket, vals in zip(self, vals_list, strict=True):
            vals["title"] = self.env._("%s (copy)", ticket.title)
        return vals_list

    @api.depends("name", "title")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = f"{ticket.name} {ticket.title}" if ticket.title else ticket.name

    # ---------------------------------------------------------------------------------------
    # mail
    # ---------------------------------------------------------------------------------------
    def _creation_message(self):
        # what Odoo logs, without reading the model's name from ir.model on every create
        return self.env._("After-Sales Request created")

    def _message_track(self, fields_iter, initial_values_dict):
        """A stage change is posted with its subtype (and its followers notified) on the
        requests somebody follows stage changes of; on the others it is logged, as Odoo logs a
        change nobody follows. Who follows was read by the move's own query (with the e-mail
        it queued), else here, for the batch in one query."""
        self._fetch_message_context(self.env.company | self.company_id)
        moved = self.browse(
            ticket.id
            for ticket in self
            if "stage_id" in initial_values_dict.get(ticket.id, {})
            and initial_values_dict[ticket.id]["stage_id"] != ticket.stage_id
        )
        if not moved:
            return super()._message_track(fields_iter, initial_values_dict)
        known = self.env.cr.precommit.data.get(STAGE_FOLLOWED, {})
        unknown = moved.filtered(lambda ticket: ticket.id not in known)
        if unknown:
            self.env.cr.execute(unknown._stage_followed_query())
            known = unknown._note_stage_followed(self.env.cr.fetchall())
        followed = frozenset(ticket_id for ticket_id in moved.ids if known[ticket_id])
        return super(
            AftersalesTicket, self.with_context(aftersales_stage_followed=followed)
        )._message_track(fields_iter, initial_values_dict)

    def _stage_followed_query(self):
        """SQL: the ids, among these requests', of those somebody follows stage changes of."""
        return SQL(
            "SELECT DISTINCT fol.res_id FROM mail_followers fol "
            "JOIN mail_followers_mail_message_subtype_rel rel ON rel.mail_followers_id = fol.id "
            "WHERE fol.res_model = %s AND fol.res_id IN %s AND rel.mail_message_subtype_id = %s",
            self._name,
            tuple(self.ids),
            self._stage_subtype().id,
        )

    def _note_stage_followed(self, rows):
        """Keep, for the tracking of this transaction's moves, whether somebody follows the
        stage changes of these requests (``rows``: the ids of those followed)."""
        followed = {ticket_id for (ticket_id,) in rows}
        known = self.env.cr.precommit.data.setdefault(STAGE_FOLLOWED, {})
        known.update((ticket_id, ticket_id in followed) for ticket_id in self.ids)
        return known

    def _stage_subtype(self):
        # by its cached id: the subtype is read once more by the tracking itself
        return self.env["mail.message.subtype"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("aftersales_service.mt_ticket_stage")
        )

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values and self.id in self.env.context.get(
            "aftersales_stage_followed", (self.id,)
        ):
            return self._stage_subtype()
        return super()._track_subtype(init_values)

    def _queue_stage_mails(self, notices=(), moved=False):
        """Queue the customer e-mail of the requests' current stage (received, progress,
        closed), and the assignment ``notices`` (``[(ticket, partner)]``), in one query; a job
        renders and sends them in batches after the commit. After a move (``moved``), the
        same query reads who follows the requests' stage changes, for the move's tracking."""
        rows = [
            (ticket, ticket.stage_id.mail_template_id, None)
            for ticket in self
            if ticket.partner_id and ticket.stage_id.mail_template_id
        ]
        rows += [(ticket, None, partner) for ticket, partner in notices]
        if not rows:
            return
        followed = self.env["aftersales.ticket.mail"]._queue(
            rows, self._stage_followed_query() if moved else None
        )
        if moved:
            self._note_stage_followed(followed)

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get(BATCH_SUBSCRIBE):
            return True  # create subscribes the batch at once (_auto_subscribe_created)
        return super()._message_auto_subscribe(updated_values, followers_existing_policy)

    def _message_auto_subscribe_notify(self, partner_ids, template):
        """Assignment notices leave the desk's transaction: queued with the customer e-mails,
        posted by their job right after the commit."""
        if (
            template != ASSIGNED_TEMPLATE
            or not self
            or self.env.context.get(NOTIFY_NOW)
            or self.env.context.get("mail_auto_subscribe_no_notify")
            or not self.env.registry.ready
        ):
            return super()._message_auto_subscribe_notify(partner_ids, template)
        partners = self.env["res.partner"].browse(partner_ids)
        self.env["aftersales.ticket.mail"]._queue(
            [(ticket, None, partner) for ticket in self for partner in partners]
        )
        return None

    def _customer_mail_senders(self):
        """``{ticket id: (email_from, reply_to)}``: the team's alias, else the company's
        address; never the clerk's own address, which they may not have."""
        reply_to = self._notify_get_reply_to()
        result = {}
        for ticket in self:
            company = ticket.company_id
            alias = ticket.team_id.alias_email
            email_from = (
                tools.formataddr((company.name, alias)) if alias else company.email_formatted
            )
            result[ticket.id] = (email_from or False, reply_to.get(ticket.id) or email_from)
        return result

    def _get_notify_valid_parameters(self):
        return super()._get_notify_valid_parameters() | {DEFERRED_EMAILS}

    def _notify_thread_by_email(self, message, recipients_data, msg_vals=False, **kwargs):
        """The followers' e-mails of automatic messages (stage tracking, "you have been
        assigned") leave the desk's transaction: Odoo's scheduled-notification job (and the
        queue's job for the notices) renders them right after the commit and hands them to the
        outgoing mail queue. What people write themselves is sent at once, as in any
        chatter."""
        message_type = (msg_vals or {}).get("message_type") or message.message_type
        deferred = kwargs.pop(DEFERRED_EMAILS, False)  # the job sends them now
        parameters = {
            key: value
            for key, value in kwargs.items()
            if value is None or isinstance(value, str | int | float | bool)
        }
        if deferred or self.env.context.get(NOTIFY_NOW):
            # a job sends them (the scheduled notifications, the assignment notices): into
            # Odoo's outgoing queue, whose job sends them together right after, rather than
            # one SMTP exchange per message
            trigger_once(self.env, MAIL_QUEUE_CRON)
            return super(
                AftersalesTicket, self.with_context(mail_notify_force_send=False)
            )._notify_thread_by_email(message, recipients_data, msg_vals=msg_vals, **kwargs)
        if (
            not self.env.registry.ready
            or message_type not in ("notification", "user_notification")
            or len(parameters) != len(kwargs)  # what the job could not replay
            or not any(r["notif"] == "email" for r in recipients_data)
        ):
            return super()._notify_thread_by_email(
                message, recipients_data, msg_vals=msg_vals, **kwargs
            )
        # mail's own queue of scheduled notifications, written as the customer e-mails' queue
        uid, now = self.env.uid, fields.Datetime.now()
        insert_and_trigger(
            self.env,
            SQL(
                "INSERT INTO mail_message_schedule (mail_message_id, scheduled_datetime, "
                "notification_parameters, create_uid, create_date, write_uid, write_date) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                message.id,
                self.env.cr.now(),
                json.dumps({**parameters, DEFERRED_EMAILS: True}),
                uid,
                now,
                uid,
                now,
            ),
            "mail.ir_cron_send_scheduled_message",
        )
        return True

    def _message_post_after_hook(self, message, msg_vals):
        """The first public answer from the staff to the customer is the first response."""
        if (
            not self.first_response_date
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id
            and message.author_id != self.partner_id
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            # sudo: any member allowed to post may record the moment; the date is not tracked
            self.sudo().first_response_date = fields.Datetime.now()
        return super()._message_post_after_hook(message, msg_vals)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new e-mail to a team's alias becomes a request from its sender."""
        values = dict(custom_values or {})
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not partner and msg_dict.get("email_from"):
            # the sender becomes the customer, created from the address when unknown
            found = self.env["mail.thread"]._mail_find_partner_from_emails(
                [msg_dict["email_from"]], force_create=True
            )
            partner = found[0] if found else partner
        team = self.env["aftersales.team"].browse(values.get("team_id"))
        values.setdefault("title", msg_dict.get("subject") or self.env._("No subject"))
        values.setdefault("channel", "email")
        values.setdefault("partner_id", partner.id)
        if team.default_ticket_type_id:
            values.setdefault("ticket_type_id", team.default_ticket_type_id.id)
        if team:
            values.setdefault("company_id", team.company_id.id)
        return super(AftersalesTicket, self.with_context(mail_notify_author=True)).message_new(
            msg_dict, custom_values=values
        )

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.partner_id:
            self._message_add_suggested_recipient(
                recipients, partner=self.partner_id, reason=self.env._("Customer")
            )
        return recipients

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/aftersales/{ticket.id}"

    def _rating_get_partner(self):
        return self.partner_id or super()._rating_get_partner()

    # ---------------------------------------------------------------------------------------
    # actions
    # ---------------------------------------------------------------------------------------
    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})

    def action_assign_balanced(self):
        """Assign the selected unassigned requests within their team, balancing the load."""
        todo = self.filtered(lambda t: not t.user_id and t.team_id.member_ids)
        if not todo:
            raise UserError(
                self.env._("None of these requests is unassigned in a team with members.")
            )
        users = self._balanced_assignees([t.team_id for t in todo], force=True)
        for ticket, user in zip(todo, users, strict=True):
            ticket.user_id = user

    @api.model
    def _cron_flag_breaches(self, batch_size=JOB_BATCH_SIZE):
        """Flag requests that broke a commitment and give their team leader an activity.

        A batched, lock-safe job (scheduled_job.run_job): two workers never flag the same
        request twice, and the cron runner commits between batches.
        """
        tickets = run_job(
            self,
            self._sla_domains()["breached"],
            "_give_breach_activities",
            batch_size=batch_size,
            flag="sla_breach_notified",
        )
        return len(tickets)

    def _give_breach_activities(self):
        tickets = self.filtered(lambda t: t.team_id.user_id or t.user_id)
        today = fields.Date.context_today(self)
        schedule_activities(
            tickets,
            [
                {
                    "user_id": (ticket.team_id.user_id or ticket.user_id).id,
                    "summary": self.env._("Commitment breached: %s", ticket.display_name),
                    "date_deadline": today,
                }
                for ticket in tickets
            ],
            self.env.ref("aftersales_service.mail_activity_type_breach"),
        )
