from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

ROOT_CAUSE_CATEGORIES = [
    ("design", "Design"),
    ("manufacturing", "Manufacturing"),
    ("material", "Purchased material"),
    ("transport", "Transport and packaging"),
    ("installation", "Installation"),
    ("use", "Use by the customer"),
    ("service", "Service"),
    ("other", "Other"),
]
APPROVAL_STATUSES = [
    ("none", "Not Requested"),
    ("pending", "Waiting"),
    ("rejected", "Rejected"),
    ("approved", "Approved"),
]
GM_GROUP = "aftersales_service.group_aftersales_general_manager"
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"


class AftersalesTicket(models.Model):
    """Complaint handling (客户投诉处理, domain.md §3 steps 2 to 4) on top of the request."""

    _inherit = "aftersales.ticket"

    # step 2: analyse and verify
    is_our_cause = fields.Boolean(
        string="Our Cause",
        default=True,
        tracking=True,
        help="Whether the cause lies with the company. When it does not, the appraisal result "
        "and its basis are shown to the customer before the solution is agreed.",
    )
    root_cause_category = fields.Selection(
        ROOT_CAUSE_CATEGORIES,
        tracking=True,
        index=True,
        help="Where the root cause lies; complaints are analysed by it.",
    )
    appraisal_result = fields.Text(help="The result of the appraisal (鉴定结果).")
    appraisal_basis = fields.Text(
        help="What the appraisal is based on: tests, standards, contract clauses (依据)."
    )
    is_attitude_complaint = fields.Boolean(
        string="About Service Attitude",
        tracking=True,
        help="The complaint is about a staff member's attitude; it counts in their appraisal.",
    )
    attitude_employee_id = fields.Many2one(
        "hr.employee",
        string="Staff Member Concerned",
        tracking=True,
        check_company=True,
        help="The staff member whose attitude the customer complained about, for their "
        "performance appraisal.",
    )

    # step 3: the complaint handling form (客户投诉处理表) of a severe complaint
    production_measures = fields.Text(help="Product measures proposed by the production dept.")
    technical_measures = fields.Text(help="Product measures proposed by the technical dept.")
    agreed_solution = fields.Text(
        string="Solution of After-Sales and Business",
        help="The solution agreed by the after-sales and business departments.",
    )
    final_solution = fields.Text(
        tracking=True,
        help="The solution finally agreed with the customer; shown to the customer.",
    )
    approval_ids = fields.One2many(
        "aftersales.complaint.approval", "ticket_id", string="Approvals", copy=False
    )
    approval_status = fields.Selection(
        APPROVAL_STATUSES,
        compute="_compute_approval_status",
        store=True,
        precompute=True,
        index=True,
        help="Where the departments' approval of a severe complaint's solution stands.",
    )

    # deviation from the standard process, approved by the general manager (domain.md §8)
    deviation_reason = fields.Text(
        tracking=True,
        help="Why the standard process is not followed, in the customer's interest.",
    )
    deviation_approved = fields.Boolean(readonly=True, copy=False, tracking=True)
    deviation_approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    deviation_approved_date = fields.Datetime(
        string="Deviation Approved On", readonly=True, copy=False
    )

    # step 4: carry out
    actions_waived = fields.Boolean(readonly=True, copy=False, tracking=True)
    waiver_reason = fields.Text(
        tracking=True, help="Why the complaint may close before its actions are done."
    )
    waived_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.depends("approval_ids.state")
    def _compute_approval_status(self):
        for ticket in self:
            states = set(ticket.approval_ids.mapped("state"))
            if not states:
                ticket.approval_status = "none"
            elif "rejected" in states:
                ticket.approval_status = "rejected"
            elif "pending" in states:
                ticket.approval_status = "pending"
            else:
                ticket.approval_status = "approved"

    # ---------------------------------------------------------------------------------------
    # the process gates
    # ---------------------------------------------------------------------------------------
    def _complaint_stage_sequences(self):
        """Sequences of the reference stages the complaint rules are expressed with."""
        result = {}
        for key in ("analyse", "solution", "execute"):
            stage = self.env.ref(f"aftersales_service.stage_{key}", raise_if_not_found=False)
            result[key] = stage.sequence if stage else None
        return result

    def _check_complaint_stage(self, stage):
        """Refuse to move complaints to ``stage`` before the process allows it."""
        if stage.is_cancel:
            return
        sequences = self._complaint_stage_sequences()
        answering = sequences["solution"] is not None and stage.sequence >= sequences["solution"]
        executing = stage.is_closed or (
            sequences["execute"] is not None and stage.sequence >= sequences["execute"]
        )
        errors = []
        for ticket in self:
            if answering and not ticket.is_our_cause:
                if not ticket.appraisal_result or not ticket.appraisal_basis:
                    errors.append(
                        self.env._(
                            "%(ticket)s: the cause is not ours, so give the appraisal result "
                            "and its basis before the customer is answered.",
                            ticket=ticket.display_name,
                        )
                    )
            if answering and ticket.is_attitude_complaint and not ticket.attitude_employee_id:
                errors.append(
                    self.env._(
                        "%(ticket)s: name the staff member whose attitude is complained about.",
                        ticket=ticket.display_name,
                    )
                )
            if (
                executing
                and ticket.severity == "severe"
                and ticket.approval_status != "approved"
                and not ticket.deviation_approved
            ):
                errors.append(
                    self.env._(
                        "%(ticket)s is a severe complaint: every department must approve its "
                        "final solution before it is carried out or closed (or the general "
                        "manager approves a deviation).",
                        ticket=ticket.display_name,
                    )
                )
            if stage.is_closed and not ticket.actions_waived and ticket.open_action_count:
                errors.append(
                    self.env._(
                        "%(ticket)s still has %(count)s corrective or preventive actions open: "
                        "finish them, or have a manager waive them with a reason.",
                        ticket=ticket.display_name,
                        count=ticket.open_action_count,
                    )
                )
        if errors:
            raise UserError("\n".join(errors))

    def _leaving_analysis(self, stage):
        """Minor complaints that move on from analysis (or before) to a later, live stage."""
        analyse = self.env.ref("aftersales_service.stage_analyse", raise_if_not_found=False)
        if not analyse or stage.is_cancel or stage.sequence <= analyse.sequence:
            return self.browse()
        return self.filtered(
            lambda t: t.severity == "minor" and t.stage_id.sequence <= analyse.sequence
        )

    def _notify_department_manager(self):
        """Feed a minor complaint back to its responsible department (domain.md §3 step 3)."""
        if not self:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        for ticket in self:
            # sudo: the clerk may not read the employee of the department's manager
            manager = ticket.responsible_department_id.sudo().manager_id
            if manager.user_id:
                ticket.activity_schedule(
                    activity_type_id=todo.id,
                    user_id=manager.user_id.id,
                    summary=self.env._("Minor complaint for your department: %s", ticket.name),
                    note=ticket.root_cause or "",
                )
            elif manager.work_contact_id:
                ticket.message_notify(
                    partner_ids=manager.work_contact_id.ids,
                    body=self.env._(
                        "Minor complaint %(ticket)s for %(department)s: %(cause)s",
                        ticket=ticket.display_name,
                        department=ticket.responsible_department_id.display_name,
                        cause=ticket.root_cause or "",
                    ),
                )

    # ---------------------------------------------------------------------------------------
    # approvals, deviation, waiver
    # ---------------------------------------------------------------------------------------
    def action_request_approvals(self):
        """Ask each department configured for severe complaints to approve the final solution.

        A new round after a rejection sets every department back to waiting.
        """
        for ticket in self:
            if not ticket.is_complaint or ticket.severity != "severe":
                raise UserError(
                    self.env._("Only severe complaints need the departments' approval.")
                )
            if not ticket.final_solution:
                raise UserError(
                    self.env._(
                        "%s: write the final solution agreed with the customer first.",
                        ticket.display_name,
                    )
                )
            departments = ticket.company_id.aftersales_approval_department_ids
            if not departments:
                raise UserError(
                    self.env._(
                        "No department approves severe complaints yet: choose them in the "
                        "After-Sales settings."
                    )
                )
            commands = [
                Command.update(
                    approval.id,
                    {"state": "pending", "decided_by_id": False, "decided_date": False},
                )
                for approval in ticket.approval_ids
                if approval.department_id in departments
            ]
            commands += [
                Command.delete(approval.id)
                for approval in ticket.approval_ids
                if approval.department_id not in departments
            ]
            missing = departments - ticket.approval_ids.department_id
            commands += [
                Command.create({"department_id": department.id, "sequence": index})
                for index, department in enumerate(missing)
            ]
            ticket.approval_ids = commands
            ticket.message_post(
                body=self.env._(
                    "Approval of the final solution requested from: %s",
                    ", ".join(departments.mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _on_approval_rejected(self):
        """A rejection sends the complaint back to agreeing the solution."""
        solution = self.env.ref("aftersales_service.stage_solution", raise_if_not_found=False)
        back = self.filtered(lambda t: solution and t.stage_id.sequence > solution.sequence)
        if back:
            back.stage_id = solution

    def _check_group(self, xmlid, message):
        if not self.env.user.has_group(xmlid):
            raise AccessError(message)

    def action_approve_deviation(self):
        """The general manager approves a deviation from the standard process (domain.md §8)."""
        self._check_group(
            GM_GROUP, self.env._("Only the general manager approves a deviation from the process.")
        )
        for ticket in self:
            if not ticket.deviation_reason:
                raise UserError(
                    self.env._("%s: give the reason of the deviation first.", ticket.display_name)
                )
        self.write(
            {
                "deviation_approved": True,
                "deviation_approved_by_id": self.env.uid,
                "deviation_approved_date": fields.Datetime.now(),
            }
        )
        for ticket in self:
            ticket.message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._("Deviation from the process approved by the general manager."),
                    ticket.deviation_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_waive_actions(self):
        """A manager lets the complaint close before its actions are done, with a reason."""
        self._check_group(
            MANAGER_GROUP, self.env._("Only an After-Sales manager can waive the actions.")
        )
        for ticket in self:
            if not ticket.waiver_reason:
                raise UserError(
                    self.env._("%s: give the reason of the waiver first.", ticket.display_name)
                )
        self.write({"actions_waived": True, "waived_by_id": self.env.uid})
