from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVAL_STATES = [("pending", "To Approve"), ("approved", "Approved"), ("rejected", "Rejected")]


class AftersalesComplaintApproval(models.Model):
    """One department's approval of the final solution of a severe complaint (报各部门审批)."""

    _name = "aftersales.complaint.approval"
    _description = "Severe Complaint Approval"
    _order = "ticket_id, sequence, id"

    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Complaint", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    # what the approver decides on, readable by department heads outside the request's team
    ticket_title = fields.Char(related="ticket_id.title", string="Subject")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    severity = fields.Selection(related="ticket_id.severity")
    root_cause = fields.Text(related="ticket_id.root_cause")
    final_solution = fields.Text(related="ticket_id.final_solution")
    sequence = fields.Integer(default=10)
    department_id = fields.Many2one("hr.department", required=True, ondelete="restrict")
    approver_user_id = fields.Many2one(
        "res.users",
        string="Department Manager",
        compute="_compute_approver_user_id",
        help="The user of the department's manager, who decides for the department.",
    )
    state = fields.Selection(APPROVAL_STATES, default="pending", required=True, index=True)
    comment = fields.Text()
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    can_decide = fields.Boolean(compute="_compute_can_decide")

    _sql_constraints = [
        (
            "department_unique",
            "unique(ticket_id, department_id)",
            "A department approves a complaint only once.",
        ),
    ]

    @api.depends("department_id.manager_id.user_id")
    def _compute_approver_user_id(self):
        for approval in self:
            # sudo: the approver's name is shown to everyone who sees the complaint
            approval.approver_user_id = approval.department_id.sudo().manager_id.user_id

    @api.depends_context("uid")
    @api.depends("approver_user_id", "state")
    def _compute_can_decide(self):
        is_manager = self.env.user.has_group("aftersales_service.group_aftersales_manager")
        for approval in self:
            approval.can_decide = approval.state == "pending" and (
                is_manager or approval.approver_user_id == self.env.user
            )

    def _check_can_decide(self):
        is_manager = self.env.user.has_group("aftersales_service.group_aftersales_manager")
        for approval in self:
            if not is_manager and approval.approver_user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the manager of %(department)s or an After-Sales manager can "
                        "decide on its approval of %(complaint)s.",
                        department=approval.department_id.display_name,
                        complaint=approval.ticket_id.display_name,
                    )
                )
            if approval.state != "pending":
                raise UserError(
                    self.env._(
                        "%(department)s has already decided on %(complaint)s.",
                        department=approval.department_id.display_name,
                        complaint=approval.ticket_id.display_name,
                    )
                )

    def _decide(self, state, comment=None):
        self._check_can_decide()
        values = {
            "state": state,
            "decided_by_id": self.env.user.id,
            "decided_date": fields.Datetime.now(),
        }
        if comment is not None:
            values["comment"] = comment
        # sudo: the department's manager may not have write access to after-sales records;
        # the right to decide was checked above
        self.sudo().write(values)
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        for approval in self:
            body = Markup("<p>%s</p>") % self.env._(
                "%(department)s: %(decision)s by %(user)s.",
                department=approval.department_id.display_name,
                decision=label,
                user=self.env.user.name,
            )
            if approval.comment:
                body += Markup("<p>%s</p>") % approval.comment
            approval.ticket_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def action_approve(self, comment=None):
        """The department approves the complaint's final solution."""
        self._decide("approved", comment)

    def action_reject(self, comment=None):
        """The department rejects the final solution: the complaint goes back for a new one."""
        for approval in self:
            if not (comment or approval.comment):
                raise UserError(
                    self.env._(
                        "Say in the comment why %(department)s rejects the solution.",
                        department=approval.department_id.display_name,
                    )
                )
        self._decide("rejected", comment)
        self.ticket_id.sudo()._on_approval_rejected()
