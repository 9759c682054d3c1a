from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesCorrectiveAction(models.Model):
    """A corrective or preventive action (纠正/预防措施), whatever its origin."""

    _name = "aftersales.corrective.action"
    _description = "Corrective / Preventive Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id desc"

    name = fields.Char(string="Action", required=True, tracking=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        string="Type",
        required=True,
        default="corrective",
        tracking=True,
    )
    description = fields.Html(string="What will be done")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Owner Department",
        tracking=True,
        check_company=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Complaint",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="The complaint this action prevents from happening again.",
    )
    deadline = fields.Date(tracking=True, index=True)
    state = fields.Selection(
        [
            ("draft", "Proposed"),
            ("confirmed", "Confirmed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    done_date = fields.Date(readonly=True, copy=False)
    effect_check = fields.Text(help="How the effect was verified.")
    effect_result = fields.Selection(
        [("effective", "Effective"), ("not_effective", "Not effective")],
        tracking=True,
        copy=False,
    )
    effect_date = fields.Date(string="Effect Checked On", readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.deadline
                and action.deadline < today
                and action.state in ("draft", "confirmed")
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue actions."))
        domain = [
            ("deadline", "<", fields.Date.context_today(self)),
            ("state", "in", ("draft", "confirmed")),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    # the one create and the one write of the action; its origins (requests, nonconformity
    # reports) and its reminder are plain extensions in their own files
    @api.model_create_multi
    def create(self, vals_list):
        # an action answering a nonconformity report belongs to the report's department
        reports = self.env["aftersales.nonconformity"].browse(
            [vals["nonconformity_id"] for vals in vals_list if vals.get("nonconformity_id")]
        )
        for vals in vals_list:
            if vals.get("nonconformity_id") and not vals.get("department_id"):
                report = reports.browse(vals["nonconformity_id"])
                vals["department_id"] = report.department_id.id
                vals.setdefault("company_id", report.company_id.id)
        return super().create(vals_list)

    def write(self, vals):
        # a new deadline is reminded again
        if "deadline" in vals and "reminded_date" not in vals:
            vals = dict(vals, reminded_date=False)
        return super().write(vals)

    def _can_confirm(self):
        """Whether the current user may confirm these actions; origins may widen it."""
        return self.env.user.has_group("aftersales_service.group_aftersales_manager")

    def action_confirm(self):
        """The manager confirms the proposed action: it may now be carried out."""
        if not self._can_confirm():
            raise UserError(
                self.env._("Only an After-Sales manager can confirm a corrective action.")
            )
        if self.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._("Only proposed actions can be confirmed."))
        missing = self.filtered(lambda a: not a.department_id or not a.deadline)
        if missing:
            raise UserError(
                self.env._(
                    "Give an owner department and a deadline before confirming: %s",
                    ", ".join(missing.mapped("name")),
                )
            )
        self.write({"state": "confirmed"})

    def action_done(self):
        if self.filtered(lambda a: a.state != "confirmed"):
            raise UserError(self.env._("Only confirmed actions can be marked done."))
        self.write({"state": "done", "done_date": fields.Date.context_today(self)})

    def action_cancel(self):
        if self.filtered(lambda a: a.state == "done"):
            raise UserError(self.env._("A done action cannot be cancelled."))
        self.write({"state": "cancelled"})

    def action_reset_draft(self):
        if self.filtered(lambda a: a.state != "cancelled"):
            raise UserError(self.env._("Only cancelled actions can be proposed again."))
        self.write({"state": "draft"})

    def action_check_effect(self):
        """Record the effect check of a done action (its text and result must be filled in)."""
        for action in self:
            if action.state != "done":
                raise UserError(self.env._("The effect of an action is checked once it is done."))
            if not action.effect_check or not action.effect_result:
                raise UserError(
                    self.env._("Describe the effect check and choose its result first.")
                )
        self.write({"effect_date": fields.Date.context_today(self)})
