# The suite keeps each feature of a shared model in its own file (policies applied here).
# pylint: disable=consider-merging-classes-inherited
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .aftersales_ticket import WARRANTY_DEPENDS


class AftersalesTeamCommitment(models.Model):
    _inherit = "aftersales.team.commitment"

    policy_id = fields.Many2one(
        "aftersales.policy",
        string="Policy Revision",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('state', '=', 'published')]",
        help="The revision of the repair commitments policy that defines these times.",
    )


class AftersalesFeeStandard(models.Model):
    _inherit = "aftersales.fee.standard"

    policy_id = fields.Many2one(
        "aftersales.policy",
        string="Policy Revision",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        domain="[('state', '=', 'published')]",
        help="The revision of the repair fee standards policy that defines this price.",
    )


class AftersalesServiceRecord(models.Model):
    _inherit = "aftersales.service.record"

    fee_policy_id = fields.Many2one(
        "aftersales.policy",
        string="Fee Policy Applied",
        compute="_compute_fee_policy_id",
        store=True,
        readonly=True,
        help="The fee standards revision in force when the labour price was set.",
    )

    # same triggers as the labour price: a later revision does not change a priced record
    @api.depends("ticket_id.ticket_type_id", "company_id")
    def _compute_fee_policy_id(self):
        standards = self.env["aftersales.fee.standard"].search(
            [
                ("ticket_type_id", "in", self.ticket_id.ticket_type_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        policy = {(s.ticket_type_id, s.company_id): s.policy_id for s in standards}
        for record in self:
            record.fee_policy_id = policy.get(
                (record.ticket_id.ticket_type_id, record.company_id), False
            )

    def _apply_fee_policy(self):
        """The request records the fee revision its charges were computed with."""
        for record in self.filtered("fee_policy_id"):
            if record.ticket_id.fee_policy_id != record.fee_policy_id:
                # sudo: the field is read-only for users; it only records the revision applied
                record.ticket_id.sudo().fee_policy_id = record.fee_policy_id


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    commitment_policy_id = fields.Many2one(
        "aftersales.policy",
        string="Commitments Policy Applied",
        compute="_compute_commitment_policy_id",
        store=True,
        precompute=True,
        readonly=True,
        help="The revision of the commitments policy in force when the deadlines were planned.",
    )
    fee_policy_id = fields.Many2one(
        "aftersales.policy",
        string="Fee Policy Applied",
        readonly=True,
        copy=False,
        help="The revision of the fee standards in force when the charges were computed.",
    )
    warranty_policy_id = fields.Many2one(
        "aftersales.policy",
        string="Warranty Policy Applied",
        compute="_compute_warranty_policy_id",
        store=True,
        precompute=True,
        readonly=True,
        help="The revision of the warranty policy in force when the warranty was judged.",
    )
    is_assignee_untrained = fields.Boolean(
        compute="_compute_is_assignee_untrained",
        help="The assignee is not trained on the current revisions their job requires.",
    )

    # the dependencies stop at the commitment: a new revision does not re-plan old requests
    @api.depends("commitment_id")
    def _compute_commitment_policy_id(self):
        for ticket in self:
            ticket.commitment_policy_id = ticket.commitment_id.policy_id

    @api.depends("delivery_date", *WARRANTY_DEPENDS)
    def _compute_warranty_policy_id(self):
        for ticket in self:
            if not ticket.delivery_date:
                ticket.warranty_policy_id = False
                continue
            company = ticket.company_id or self.env.company
            ticket.warranty_policy_id = company.aftersales_warranty_policy_id

    @api.depends("user_id", "company_id")
    def _compute_is_assignee_untrained(self):
        pairs = {(t.user_id.id, t.company_id.id) for t in self if t.user_id}
        untrained = self._untrained_assignees(pairs)
        for ticket in self:
            ticket.is_assignee_untrained = (
                ticket.user_id.id,
                ticket.company_id.id,
            ) in untrained

    # ---------------------------------------------------------------------------------------
    # training before taking the post (domain.md §8: 否则不予上岗)
    # ---------------------------------------------------------------------------------------
    @api.model
    def _untrained_assignees(self, pairs):
        """``{(user id, company id): employee}`` of the pairs whose employee lacks a training.

        One query for the whole batch. Users without an employee in the company, or whose job
        requires no policy, are never in the result.
        """
        pairs = {(u, c) for u, c in pairs if u and c}
        if not pairs:
            return {}
        # sudo: the training status is HR data; only whether one may be assigned is used
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                [
                    ("user_id", "in", list({u for u, _c in pairs})),
                    ("company_id", "in", list({c for _u, c in pairs})),
                    ("aftersales_training_status", "=", "missing"),
                ],
                ["user_id", "company_id"],
            )
        )
        result = {}
        for employee in employees:
            key = (employee.user_id.id, employee.company_id.id)
            if key in pairs:
                result[key] = employee
        return result

    def _untrained_message(self, employee):
        return self.env._(
            "%(employee)s is not trained on the current revision of: %(policies)s.",
            employee=employee.name,
            policies=", ".join(employee.aftersales_missing_policy_ids.mapped("display_name")),
        )

    @api.model
    def _check_assignee_training(self, pairs):
        """Refuse untrained assignees where the company blocks them; return the others."""
        untrained = self._untrained_assignees(pairs)
        warned = {}
        for (user_id, company_id), employee in untrained.items():
            company = self.env["res.company"].browse(company_id)
            if company.aftersales_training_check == "block":
                raise UserError(
                    self.env._(
                        "%(message)s Requests cannot be assigned to them until they are "
                        "trained: record the training on the employee first.",
                        message=self._untrained_message(employee),
                    )
                )
            warned[(user_id, company_id)] = employee
        return warned

    def _post_untrained_warnings(self, warned):
        for ticket in self:
            employee = warned.get((ticket.user_id.id, ticket.company_id.id))
            if employee:
                ticket.message_post(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Assigned although not trained: %(message)s",
                        message=self._untrained_message(employee),
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _assignable_member_condition(self):
        """Members not trained for the post: balanced assignment skips them."""
        self.env["hr.employee"].flush_model(["user_id", "company_id", "aftersales_training_status"])
        return SQL(
            "%s AND NOT EXISTS (SELECT 1 FROM hr_employee employee "
            "WHERE employee.user_id = rel.user_id AND employee.company_id = team.company_id "
            "AND employee.active AND employee.aftersales_training_status = 'missing')",
            super()._assignable_member_condition(),
        )

    @api.onchange("user_id")
    def _onchange_user_id_training(self):
        if not self.user_id:
            return None
        company = self.company_id or self.env.company
        untrained = self._untrained_assignees({(self.user_id.id, company.id)})
        employee = untrained.get((self.user_id.id, company.id))
        if not employee:
            return None
        message = self._untrained_message(employee)
        if company.aftersales_training_check == "block":
            message = self.env._(
                "%(message)s Saving will be refused until they are trained.", message=message
            )
        return {"warning": {"title": self.env._("Assignee not trained"), "message": message}}
