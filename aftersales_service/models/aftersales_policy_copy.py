from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesPolicyCopy(models.Model):
    """A numbered copy of a policy revision issued to a department or a holder (受控文件发放)."""

    _name = "aftersales.policy.copy"
    _description = "Controlled Copy of a Service Policy"
    _inherit = ["mail.thread"]
    _order = "issue_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Copy Number", required=True, readonly=True, copy=False, default="/", index=True
    )
    policy_id = fields.Many2one(
        "aftersales.policy",
        string="Policy Revision",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    policy_number = fields.Char(related="policy_id.number", store=True, string="Policy Number")
    revision = fields.Char(related="policy_id.revision", store=True)
    copy_type = fields.Selection(
        [("controlled", "Controlled"), ("uncontrolled", "Uncontrolled")],
        string="Type",
        required=True,
        default="controlled",
        help="Controlled copies are recalled and replaced when the policy is revised; "
        "uncontrolled ones are for information and are not kept up to date.",
    )
    department_id = fields.Many2one("hr.department", index=True, check_company=True, tracking=True)
    holder_id = fields.Many2one("hr.employee", index=True, check_company=True, tracking=True)
    issue_date = fields.Date(
        string="Issued On", required=True, default=fields.Date.context_today, tracking=True
    )
    state = fields.Selection(
        [("issued", "Issued"), ("recalled", "Recalled")],
        required=True,
        default="issued",
        tracking=True,
        index=True,
    )
    recall_date = fields.Date(string="Recalled On", readonly=True, tracking=True)
    recall_reason = fields.Char(tracking=True)
    previous_copy_id = fields.Many2one(
        "aftersales.policy.copy",
        string="Replaces Copy",
        readonly=True,
        help="The copy of the former revision this one replaced.",
    )
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, string="Company"
    )

    @api.constrains("policy_id", "department_id", "holder_id")
    def _check_recipient(self):
        for copy in self:
            if not (copy.department_id or copy.holder_id):
                raise ValidationError(
                    self.env._("A controlled copy is issued to a department or to a holder.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        policies = self.env["aftersales.policy"].browse(
            [vals["policy_id"] for vals in vals_list if vals.get("policy_id")]
        )
        if any(policy.state != "published" for policy in policies):
            raise UserError(self.env._("Copies are issued of published revisions only."))
        employees = self.env["hr.employee"].browse(
            [vals["holder_id"] for vals in vals_list if vals.get("holder_id")]
        )
        for vals in vals_list:
            if vals.get("holder_id") and not vals.get("department_id"):
                vals["department_id"] = employees.browse(vals["holder_id"]).department_id.id
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.policy.copy") or "/"
        return super().create(vals_list)

    def action_recall(self, reason=None):
        """Recall issued copies; ``reason`` defaults to the one typed on the copy."""
        issued = self.filtered(lambda c: c.state == "issued")
        if not reason and any(not copy.recall_reason for copy in issued):
            raise UserError(self.env._("Give the reason of the recall first."))
        vals = {"state": "recalled", "recall_date": fields.Date.context_today(self)}
        if reason:
            vals["recall_reason"] = reason
        issued.write(vals)
        return True
