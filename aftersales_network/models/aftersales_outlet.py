from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.aftersales_service.models.scheduled_job import JOB_BATCH_SIZE, run_job

OUTLET_STATES = [
    ("candidate", "Candidate"),
    ("evaluating", "Under Evaluation"),
    ("approved", "Approved"),
    ("authorized", "Authorised"),
    ("suspended", "Suspended"),
    ("terminated", "Terminated"),
]
OUTLET_KINDS = [
    ("own", "Own Outlet"),
    ("dealer", "Dealer / Authorised Agent"),
    ("third_party", "Third-Party Provider"),
]
LETTER_STATES = [("none", "Not Issued"), ("valid", "Valid"), ("withdrawn", "Withdrawn")]
REPEAT_DAYS = 90


class AftersalesOutlet(models.Model):
    """A service outlet or provider (售后服务网点、服务商) working on the company's behalf."""

    _name = "aftersales.outlet"
    _description = "Service Outlet"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, index="trigram")
    code = fields.Char(required=True, tracking=True, copy=False)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The company running the outlet; its portal users work on the dispatched requests.",
    )
    state_id = fields.Many2one(
        related="partner_id.state_id", store=True, string="Province", index=True
    )
    city = fields.Char(related="partner_id.city", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Who follows the outlet for the company: gets its re-evaluation activities.",
    )
    kind = fields.Selection(OUTLET_KINDS, required=True, default="dealer", tracking=True)
    state = fields.Selection(
        OUTLET_STATES, required=True, default="candidate", tracking=True, index=True, copy=False
    )
    level_ids = fields.Many2many("aftersales.outlet.level", string="Repair Levels", tracking=True)
    region_ids = fields.Many2many(
        "aftersales.outlet.region",
        "aftersales_outlet_region_rel",
        "outlet_id",
        "region_id",
        string="Regions Served",
    )
    # capacity (domain.md §7: what the admission looks at)
    technician_count = fields.Integer(string="Technicians")
    daily_capacity = fields.Integer(
        string="Requests per Day", help="How many requests the outlet can take on per day."
    )
    equipment = fields.Text()
    communication = fields.Text(string="Communication Facilities")
    logistics = fields.Text()
    stock_location_id = fields.Many2one(
        "stock.location",
        string="Parts Stock",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
        check_company=True,
        help="The company's stock kept at the outlet: the parts the outlet records on its service "
        "records are taken from here when they are handed in.",
    )
    financial_note = fields.Text(string="Financial Stability")
    contact_ids = fields.Many2many("res.partner", string="Contacts")
    engineer_ids = fields.One2many("aftersales.outlet.engineer", "outlet_id", string="Engineers")
    evaluation_ids = fields.One2many(
        "aftersales.outlet.evaluation", "outlet_id", string="Evaluations"
    )
    agreement_ids = fields.One2many("aftersales.outlet.agreement", "outlet_id", string="Agreements")
    ticket_ids = fields.One2many("aftersales.ticket", "outlet_id", string="Dispatched Requests")
    # whether an outlet is under a valid agreement matters to whoever dispatches work; the
    # agreement itself (fees, terms) only to those who may read agreements
    current_agreement_id = fields.Many2one(
        "aftersales.outlet.agreement",
        compute="_compute_current_agreement",
        compute_sudo=True,
    )
    has_valid_agreement = fields.Boolean(
        compute="_compute_current_agreement",
        compute_sudo=True,
        search="_search_has_valid_agreement",
    )
    evaluation_count = fields.Integer(compute="_compute_counts")
    agreement_count = fields.Integer(compute="_compute_agreement_count")
    ticket_open_count = fields.Integer(string="Open Requests", compute="_compute_counts")
    fee_deviation_count = fields.Integer(
        string="Fee Deviations", compute="_compute_supervision_counts"
    )
    report_count = fields.Integer(string="Monthly Reports", compute="_compute_supervision_counts")
    repair_count = fields.Integer(
        string="Repairs", compute="_compute_repair_count", groups="stock.group_stock_user"
    )

    # authorisation letter (授权书)
    letter_number = fields.Char(string="Authorisation Letter No.", readonly=True, copy=False)
    letter_state = fields.Selection(
        LETTER_STATES, string="Letter", default="none", readonly=True, copy=False, tracking=True
    )
    letter_date = fields.Date(string="Letter Issued On", readonly=True, copy=False)
    letter_date_start = fields.Date(string="Valid From", readonly=True, copy=False)
    letter_date_end = fields.Date(string="Valid Until", readonly=True, copy=False)

    # supervision indicators, refreshed by a daily job
    kpi_ticket_count = fields.Integer(string="Requests Handled", readonly=True, aggregator="sum")
    kpi_on_time_rate = fields.Float(string="Responses on Time (%)", readonly=True, aggregator="avg")
    kpi_accept_hours = fields.Float(
        string="Average Acceptance (hours)",
        readonly=True,
        aggregator="avg",
        help="How long the outlet takes on average to accept a dispatched request.",
    )
    kpi_repeat_count = fields.Integer(
        string="Repeat Repairs (90 days)", readonly=True, aggregator="sum"
    )
    kpi_complaint_count = fields.Integer(
        string="Complaints Against", readonly=True, aggregator="sum"
    )
    kpi_rating = fields.Float(string="Customer Rating", readonly=True, aggregator="avg")
    kpi_date = fields.Datetime(string="Indicators Updated On", readonly=True)

    _sql_constraints = [
        (
            "code_company_unique",
            "unique(code, company_id)",
            "The outlet code must be unique in the company.",
        ),
    ]

    # ---------------------------------------------------------------------------------------
    # computes
    # ---------------------------------------------------------------------------------------
    @api.depends("agreement_ids.state", "agreement_ids.date_start", "agreement_ids.date_end")
    def _compute_current_agreement(self):
        today = fields.Date.context_today(self)
        for outlet in self:
            valid = outlet.agreement_ids.filtered(lambda a, d=today: a._is_valid_on(d))
            outlet.current_agreement_id = valid.sorted("date_end", reverse=True)[:1]
            outlet.has_valid_agreement = bool(valid)

    def _search_has_valid_agreement(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on the valid agreement."))
        today = fields.Date.context_today(self)
        # sudo: only the ids of outlets under a valid agreement leave this method
        ids = (
            self.env["aftersales.outlet.agreement"]
            .sudo()
            .search(
                [("state", "=", "signed"), ("date_start", "<=", today), ("date_end", ">=", today)]
            )
            .outlet_id.ids
        )
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    def _compute_counts(self):
        evaluations = dict(
            self.env["aftersales.outlet.evaluation"]._read_group(
                [("outlet_id", "in", self.ids)], ["outlet_id"], ["__count"]
            )
        )
        workload = self._open_workload()
        for outlet in self:
            outlet.evaluation_count = evaluations.get(outlet, 0)
            outlet.ticket_open_count = workload.get(outlet.id, 0)

    def _compute_agreement_count(self):
        # its own compute: the other counts are read by those who may not read agreements
        agreements = dict(
            self.env["aftersales.outlet.agreement"]._read_group(
                [("outlet_id", "in", self.ids)], ["outlet_id"], ["__count"]
            )
        )
        for outlet in self:
            outlet.agreement_count = agreements.get(outlet, 0)

    def _compute_supervision_counts(self):
        deviations = dict(
            self.env["aftersales.outlet.fee.deviation"]._read_group(
                [("outlet_id", "in", self.ids)], ["outlet_id"], ["__count"]
            )
        )
        reports = dict(
            self.env["aftersales.outlet.report"]._read_group(
                [("outlet_id", "in", self.ids)], ["outlet_id"], ["__count"]
            )
        )
        for outlet in self:
            outlet.fee_deviation_count = deviations.get(outlet, 0)
            outlet.report_count = reports.get(outlet, 0)

    def _compute_repair_count(self):
        repairs = dict(
            self.env["repair.order"]._read_group(
                [("outlet_id", "in", self.ids)], ["outlet_id"], ["__count"]
            )
        )
        for outlet in self:
            outlet.repair_count = repairs.get(outlet, 0)

    def _open_workload(self):
        """Open requests per outlet id, whoever reads it (the proposal compares all outlets)."""
        # sudo: only counts are returned, the clerk compares outlets whose requests they
        # may not all read
        groups = (
            self.env["aftersales.ticket"]
            .sudo()
            ._read_group(
                [("outlet_id", "in", self.ids), ("is_closed", "=", False)],
                ["outlet_id"],
                ["__count"],
            )
        )
        return {outlet.id: count for outlet, count in groups}

    # ---------------------------------------------------------------------------------------
    # workflow
    # ---------------------------------------------------------------------------------------
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda o: o.state not in allowed)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is only possible for outlets in state %(states)s: %(outlets)s.",
                    action=action,
                    states=", ".join(labels[s] for s in allowed),
                    outlets=", ".join(wrong.mapped("name")),
                )
            )

    def action_start_evaluation(self):
        """Open the admission evaluation of candidates."""
        self._check_state(["candidate"], self.env._("Starting the evaluation"))
        evaluations = self.env["aftersales.outlet.evaluation"].create(
            [{"outlet_id": outlet.id, "kind": "admission"} for outlet in self]
        )
        self.write({"state": "evaluating"})
        if len(evaluations) == 1:
            return evaluations._get_records_action()
        return True

    def action_authorize(self):
        """Authorise approved outlets and issue their authorisation letter."""
        self._check_state(["approved", "suspended"], self.env._("Authorising"))
        for outlet in self:
            agreement = outlet.current_agreement_id
            if not agreement:
                raise UserError(
                    self.env._(
                        "%(outlet)s has no signed agreement valid today: sign one before "
                        "authorising the outlet.",
                        outlet=outlet.name,
                    )
                )
            if not outlet.level_ids:
                raise UserError(
                    self.env._("Give %(outlet)s its repair levels first.", outlet=outlet.name)
                )
            outlet.write(
                {
                    "state": "authorized",
                    "letter_number": self.env["ir.sequence"].next_by_code(
                        "aftersales.outlet.letter"
                    ),
                    "letter_state": "valid",
                    "letter_date": fields.Date.context_today(self),
                    "letter_date_start": agreement.date_start,
                    "letter_date_end": agreement.date_end,
                }
            )
            outlet.message_post(
                body=self.env._(
                    "Authorisation letter %(number)s issued, valid until %(date)s.",
                    number=outlet.letter_number,
                    date=fields.Date.to_string(outlet.letter_date_end),
                )
            )
        return True

    def action_suspend(self):
        """Suspend authorised outlets: they receive no new work and their letter is withdrawn."""
        self._check_state(["authorized"], self.env._("Suspending"))
        self.write({"state": "suspended", "letter_state": "withdrawn"})
        for outlet in self:
            outlet.message_post(
                body=self.env._(
                    "Authorisation letter %(number)s withdrawn.", number=outlet.letter_number
                )
            )
        return True

    def action_terminate(self):
        self.write(
            {
                "state": "terminated",
                "letter_state": "withdrawn",
            }
        )
        self.filtered(lambda o: not o.letter_number).letter_state = "none"
        return True

    def action_reset_candidate(self):
        self._check_state(["evaluating", "terminated"], self.env._("Resetting"))
        self.write({"state": "candidate"})
        return True

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Authorisation %(number)s", number=self.letter_number or self.code)

    def action_print_letter(self):
        self.ensure_one()
        if self.letter_state != "valid":
            raise UserError(self.env._("This outlet holds no valid authorisation letter."))
        return self.env.ref("aftersales_network.action_report_outlet_letter").report_action(self)

    # ---------------------------------------------------------------------------------------
    # smart buttons
    # ---------------------------------------------------------------------------------------
    def _action_related(self, xmlid, field="outlet_id"):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {f"default_{field}": self.id, "default_company_id": self.company_id.id}
        return action

    def action_view_evaluations(self):
        return self._action_related("aftersales_network.action_aftersales_outlet_evaluation")

    def action_view_agreements(self):
        return self._action_related("aftersales_network.action_aftersales_outlet_agreement")

    def action_view_tickets(self):
        return self._action_related("aftersales_network.action_aftersales_ticket_outlet")

    def action_view_fee_deviations(self):
        return self._action_related("aftersales_network.action_aftersales_outlet_fee_deviation")

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("outlet_id", "=", self.id)]
        return action

    def action_view_reports(self):
        return self._action_related("aftersales_network.action_aftersales_outlet_report")

    # ---------------------------------------------------------------------------------------
    # dispatch
    # ---------------------------------------------------------------------------------------
    def _dispatch_problems(self, ticket_type):
        """Why this outlet may not receive a new request of ``ticket_type`` (empty: it may)."""
        self.ensure_one()
        problems = []
        if self.state != "authorized":
            problems.append(self.env._("it is not authorised"))
        if not self.has_valid_agreement:
            problems.append(self.env._("it has no agreement valid today"))
        if ticket_type and ticket_type not in self.level_ids.ticket_type_ids:
            problems.append(
                self.env._(
                    "none of its repair levels allows requests of kind %(kind)s",
                    kind=ticket_type.display_name,
                )
            )
        return problems

    @api.model
    def _propose_for(self, ticket):
        """The best outlet for a request: region, then the level it needs, then the workload."""
        domain = [
            ("state", "=", "authorized"),
            ("has_valid_agreement", "=", True),
            ("company_id", "=", ticket.company_id.id or self.env.company.id),
        ]
        if ticket.ticket_type_id:
            domain.append(("level_ids.ticket_type_ids", "in", ticket.ticket_type_id.ids))
        # sudo: a clerk compares every authorised outlet, not only those they could open
        outlets = self.sudo().search(domain)
        if not outlets:
            return self
        partner = ticket.partner_id
        workload = outlets._open_workload()

        def rank(outlet):
            region = outlet.region_ids._match_rank(partner) if partner else 0
            level = min(
                outlet.level_ids.filtered(
                    lambda lv: ticket.ticket_type_id in lv.ticket_type_ids
                ).mapped("sequence")
                or [0]
            )
            capacity = outlet.daily_capacity or 1
            return (
                -region,
                level,
                workload.get(outlet.id, 0) / capacity,
                outlet.sequence,
                outlet.id,
            )

        best = min(outlets, key=rank)
        if partner and not best.region_ids._match_rank(partner):
            # no outlet serves the customer's area: propose nothing rather than a distant one
            return self
        return self.browse(best.id)

    # ---------------------------------------------------------------------------------------
    # indicators
    # ---------------------------------------------------------------------------------------
    def _refresh_indicators(self):
        """Recompute the supervision indicators from the dispatched requests."""
        Ticket = self.env["aftersales.ticket"].sudo()
        tickets = Ticket.search([("outlet_id", "in", self.ids)])
        since = fields.Datetime.now() - timedelta(days=REPEAT_DAYS)
        complaints = dict(
            Ticket._read_group(
                [("complaint_outlet_id", "in", self.ids)], ["complaint_outlet_id"], ["__count"]
            )
        )
        by_outlet = {outlet.id: Ticket for outlet in self}
        for ticket in tickets:
            by_outlet[ticket.outlet_id.id] |= ticket
        for outlet in self:
            mine = by_outlet[outlet.id]
            handled = mine.filtered("is_closed")
            answered = mine.filtered("response_deadline")
            on_time = answered.filtered(lambda t: not t.is_response_late)
            accepted = mine.filtered("outlet_accept_hours")
            rated = mine.filtered(lambda t: t.rating_last_value > 0)
            repeats = 0
            lots = {}
            for ticket in mine.filtered("lot_id").sorted("request_date"):
                previous = lots.get(ticket.lot_id.id)
                if (
                    previous
                    and ticket.request_date >= since
                    and ticket.request_date - previous <= timedelta(days=REPEAT_DAYS)
                ):
                    repeats += 1
                lots[ticket.lot_id.id] = ticket.request_date
            outlet.write(
                {
                    "kpi_ticket_count": len(handled),
                    "kpi_on_time_rate": 100.0 * len(on_time) / len(answered) if answered else 0.0,
                    "kpi_accept_hours": sum(accepted.mapped("outlet_accept_hours")) / len(accepted)
                    if accepted
                    else 0.0,
                    "kpi_repeat_count": repeats,
                    "kpi_complaint_count": complaints.get(outlet, 0),
                    "kpi_rating": sum(rated.mapped("rating_last_value")) / len(rated)
                    if rated
                    else 0.0,
                    "kpi_date": fields.Datetime.now(),
                }
            )

    def action_refresh_indicators(self):
        self._refresh_indicators()
        return True

    @api.model
    def _cron_refresh_indicators(self, batch_size=JOB_BATCH_SIZE):
        """Refresh the indicators of the working outlets not refreshed today, in batches.

        A batched, lock-safe job (scheduled_job.run_job): two workers never refresh the same
        outlet; the refresh date makes each outlet refreshed once a day.
        """
        today = datetime.combine(fields.Date.today(), time.min)
        return run_job(
            self,
            [
                ("state", "in", ("authorized", "suspended")),
                "|",
                ("kpi_date", "=", False),
                ("kpi_date", "<", today),
            ],
            lambda outlets: outlets._refresh_indicators(),
            batch_size=batch_size,
        )
