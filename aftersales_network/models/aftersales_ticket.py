from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

OUTLET_STATUSES = [
    ("dispatched", "Dispatched"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
]


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "aftersales.outlet.access.mixin"]

    outlet_id = fields.Many2one(
        "aftersales.outlet",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        copy=False,
        help="The service outlet the request is dispatched to.",
    )
    proposed_outlet_id = fields.Many2one(
        "aftersales.outlet",
        compute="_compute_proposed_outlet_id",
        help="The authorised outlet serving the customer's area with the level the request "
        "needs and the lightest workload.",
    )
    required_level_id = fields.Many2one(
        "aftersales.outlet.level",
        compute="_compute_required_level_id",
        help="The lowest repair level allowing this kind of request.",
    )
    outlet_engineer_id = fields.Many2one(
        "aftersales.outlet.engineer",
        tracking=True,
        copy=False,
        domain="[('outlet_id', '=', outlet_id)]",
    )
    outlet_status = fields.Selection(
        OUTLET_STATUSES, tracking=True, copy=False, index="btree_not_null"
    )
    outlet_dispatch_date = fields.Datetime(string="Dispatched On", readonly=True, copy=False)
    outlet_accept_date = fields.Datetime(string="Accepted On", readonly=True, copy=False)
    outlet_accept_hours = fields.Float(
        string="Acceptance Time (hours)",
        compute="_compute_outlet_accept_hours",
        store=True,
        precompute=True,
        aggregator="avg",
    )
    outlet_decline_reason = fields.Text(string="Decline Reason", readonly=True, copy=False)
    complaint_outlet_id = fields.Many2one(
        "aftersales.outlet",
        string="Outlet Complained About",
        index="btree_not_null",
        check_company=True,
        help="For complaints: the outlet whose service the customer complains about.",
    )

    @api.depends("outlet_dispatch_date", "outlet_accept_date")
    def _compute_outlet_accept_hours(self):
        for ticket in self:
            if ticket.outlet_dispatch_date and ticket.outlet_accept_date:
                delta = ticket.outlet_accept_date - ticket.outlet_dispatch_date
                ticket.outlet_accept_hours = max(delta.total_seconds() / 3600.0, 0.0)
            else:
                ticket.outlet_accept_hours = 0.0

    @api.depends("ticket_type_id")
    def _compute_required_level_id(self):
        levels = self.env["aftersales.outlet.level"].search(
            [("ticket_type_ids", "in", self.ticket_type_id.ids)]
        )
        for ticket in self:
            ticket.required_level_id = levels.filtered(
                lambda lv, t=ticket: t.ticket_type_id in lv.ticket_type_ids
            )[:1]

    @api.depends(
        "partner_id.zip",
        "partner_id.city",
        "partner_id.state_id",
        "ticket_type_id",
        "company_id",
    )
    def _compute_proposed_outlet_id(self):
        Outlet = self.env["aftersales.outlet"]
        for ticket in self:
            partner = ticket.partner_id
            if partner and not (partner.zip or partner.city or partner.state_id):
                # no address to match an outlet's region with: nothing to propose (the outlets
                # are not searched for every form of such a customer)
                ticket.proposed_outlet_id = Outlet
            else:
                ticket.proposed_outlet_id = Outlet._propose_for(ticket)

    # ---------------------------------------------------------------------------------------
    # rules
    # ---------------------------------------------------------------------------------------
    def _check_dispatch(self):
        """Refuse new work to an outlet that may not take it (checked when dispatching only)."""
        for ticket in self.filtered("outlet_id"):
            # sudo: the agreement and levels decide, even for a clerk who cannot open them
            problems = ticket.outlet_id.sudo()._dispatch_problems(ticket.ticket_type_id)
            if problems:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s cannot be dispatched to %(outlet)s: %(problems)s. "
                        "Choose another outlet.",
                        ticket=ticket.display_name,
                        outlet=ticket.outlet_id.name,
                        problems="; ".join(problems),
                    )
                )

    @api.constrains("outlet_engineer_id", "outlet_id", "ticket_type_id")
    def _check_engineer_level(self):
        for ticket in self.filtered("outlet_engineer_id"):
            engineer = ticket.outlet_engineer_id.sudo()
            if engineer.outlet_id != ticket.outlet_id:
                raise ValidationError(
                    self.env._("The engineer must belong to the outlet of the request.")
                )
            if ticket.ticket_type_id not in engineer.level_ids.ticket_type_ids:
                raise ValidationError(
                    self.env._(
                        "%(engineer)s is not certified for a level allowing requests of kind "
                        "%(kind)s.",
                        engineer=engineer.name,
                        kind=ticket.ticket_type_id.display_name,
                    )
                )

    def _prepare_dispatch_vals(self, vals):
        if "outlet_id" not in vals:
            return vals
        vals = dict(vals)
        if vals["outlet_id"]:
            vals.setdefault("outlet_status", "dispatched")
            vals.setdefault("outlet_dispatch_date", fields.Datetime.now())
            vals.setdefault("outlet_accept_date", False)
            vals.setdefault("outlet_decline_reason", False)
        else:
            vals.update(
                outlet_status=False,
                outlet_dispatch_date=False,
                outlet_accept_date=False,
                outlet_engineer_id=False,
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create([self._prepare_dispatch_vals(vals) for vals in vals_list])
        tickets._check_dispatch()
        return tickets

    def write(self, vals):
        if "outlet_id" not in vals:
            return super().write(vals)
        changed = self.filtered(lambda t: t.outlet_id.id != (vals["outlet_id"] or False))
        rest = self - changed
        result = True
        if changed:
            result = super(AftersalesTicket, changed).write(self._prepare_dispatch_vals(vals))
            changed._check_dispatch()
        if rest:
            result = super(AftersalesTicket, rest).write(vals) and result
        return result

    # ---------------------------------------------------------------------------------------
    # actions of the clerk
    # ---------------------------------------------------------------------------------------
    def action_dispatch_proposed(self):
        """Dispatch each request to its proposed outlet."""
        for ticket in self:
            outlet = ticket.proposed_outlet_id
            if not outlet:
                raise UserError(
                    self.env._(
                        "No authorised outlet with a valid agreement serves the customer of "
                        "%(ticket)s at the level it needs: choose one by hand.",
                        ticket=ticket.display_name,
                    )
                )
            ticket.outlet_id = outlet
        return True

    # ---------------------------------------------------------------------------------------
    # actions of the outlet (portal)
    # ---------------------------------------------------------------------------------------
    def action_outlet_accept(self):
        self._check_outlet_user()
        if any(t.outlet_status != "dispatched" for t in self):
            raise UserError(self.env._("Only requests waiting for the outlet can be accepted."))
        # sudo: outlet users do not write requests; only these fields change
        self.sudo().write(
            {"outlet_status": "accepted", "outlet_accept_date": fields.Datetime.now()}
        )
        for ticket in self:
            ticket.sudo().message_post(
                body=self.env._("%(user)s accepted the request.", user=self.env.user.name),
                author_id=self.env.user.partner_id.id,
            )
        return True

    def action_outlet_decline(self, reason):
        self._check_outlet_user()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Tell us why the outlet declines the request."))
        if any(t.outlet_status != "dispatched" for t in self):
            raise UserError(self.env._("Only requests waiting for the outlet can be declined."))
        # sudo: see action_outlet_accept
        self.sudo().write({"outlet_status": "declined", "outlet_decline_reason": reason})
        # sudo: the outlet user tells the request's handler, whom they may not read
        for ticket in self.sudo():
            ticket.message_post(
                body=self.env._(
                    "%(user)s declined the request: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                author_id=self.env.user.partner_id.id,
            )
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Dispatch again: the outlet declined"),
                user_id=(ticket.user_id or ticket.team_id.user_id or ticket.create_uid).id,
            )
        return True

    def action_outlet_assign_engineer(self, engineer_id):
        """The outlet gives the request to one of its engineers certified for its kind."""
        self._check_outlet_user()
        if any(t.outlet_status != "accepted" for t in self):
            raise UserError(self.env._("Accept the request before assigning an engineer."))
        # sudo: checked above that the user works for the outlet; the engineer must be one of
        # its own, and the level constraint still applies
        engineer = self.env["aftersales.outlet.engineer"].sudo().browse(int(engineer_id)).exists()
        if not engineer or engineer.outlet_id != self.sudo().outlet_id:
            raise UserError(self.env._("Choose one of your outlet's engineers."))
        self.sudo().outlet_engineer_id = engineer
        return True

    def action_outlet_progress(self, message):
        self._check_outlet_user()
        message = (message or "").strip()
        if not message:
            raise UserError(self.env._("Write the progress to report."))
        if any(t.outlet_status != "accepted" for t in self):
            raise UserError(self.env._("Accept the request before reporting progress."))
        for ticket in self:
            # sudo: portal users post on requests they may read, as themselves
            ticket.sudo().message_post(
                body=message,
                author_id=self.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True
