from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_translate

POLICY_STATES = [
    ("draft", "Draft"),
    ("review", "In Review"),
    ("approved", "Approved"),
    ("published", "Published"),
    ("obsolete", "Obsolete"),
]


class AftersalesPolicyCategory(models.Model):
    """A chapter of the after-sales policy set (售后服务制度)."""

    _name = "aftersales.policy.category"
    _description = "Service Policy Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code of a policy category must be unique."),
    ]


class AftersalesPolicy(models.Model):
    """One revision of a controlled service-policy document (受控文件).

    Every revision is its own record; the revisions of one document share its ``number``.
    The published revision is the one in force; the ones it replaced are ``obsolete``.
    """

    _name = "aftersales.policy"
    _description = "Service Policy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "category_sequence, number, revision_letter desc, revision_number desc, id desc"
    _rec_names_search = ["number", "name"]
    _check_company_auto = True

    number = fields.Char(required=True, tracking=True, index=True)
    name = fields.Char(string="Title", required=True, translate=True, tracking=True)
    category_id = fields.Many2one(
        "aftersales.policy.category", string="Category", required=True, index=True
    )
    category_sequence = fields.Integer(related="category_id.sequence", store=True)
    content = fields.Html(translate=html_translate, sanitize_style=True)
    document = fields.Binary(string="Signed File", attachment=True, copy=False)
    document_name = fields.Char(copy=False)
    revision_letter = fields.Char(required=True, default="A", copy=False)
    revision_number = fields.Integer(required=True, default=0, copy=False)
    revision = fields.Char(compute="_compute_revision", store=True, index=True)
    state = fields.Selection(
        POLICY_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    effective_date = fields.Date(tracking=True, copy=False)
    review_date = fields.Date(string="Next Review", tracking=True, copy=False, index=True)
    department_id = fields.Many2one(
        "hr.department", string="Owner Department", tracking=True, check_company=True
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Approver",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    is_public = fields.Boolean(
        string="Shown to Customers",
        help="Published revisions of public policies are shown to customers in the portal.",
    )
    previous_id = fields.Many2one(
        "aftersales.policy",
        string="Previous Revision",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "revision_unique",
            "UNIQUE(company_id, number, revision_letter, revision_number)",
            "This revision of the policy already exists.",
        ),
        (
            "revision_number_positive",
            "CHECK(revision_number >= 0)",
            "A revision number cannot be negative.",
        ),
    ]

    @api.depends("revision_letter", "revision_number")
    def _compute_revision(self):
        for policy in self:
            policy.revision = f"{policy.revision_letter or 'A'}/{policy.revision_number or 0}"

    @api.depends("number", "name", "revision")
    def _compute_display_name(self):
        for policy in self:
            policy.display_name = f"[{policy.number}] {policy.name} ({policy.revision})"

    def _current_revisions(self):
        """The published revision of each document of ``self`` (same company and number)."""
        if not self:
            return self.browse()
        return self.search(
            [
                ("number", "in", list(set(self.mapped("number")))),
                ("company_id", "in", self.company_id.ids),
                ("state", "=", "published"),
            ]
        )

    def action_publish(self):
        for policy in self:
            if policy.state != "approved":
                raise UserError(self.env._("Only an approved revision can be published."))
        for policy in self:
            former = (policy._current_revisions() - policy).filtered(
                lambda p, policy=policy: (
                    p.company_id == policy.company_id and p.number == policy.number
                )
            )
            former.write({"state": "obsolete"})
            policy.write(
                {
                    "state": "published",
                    "effective_date": policy.effective_date or fields.Date.context_today(self),
                }
            )
            policy._on_published(former)
        return True

    def _on_published(self, former):
        """Hook: ``self`` (one record) was just published and replaced ``former`` (maybe empty)."""
        self.ensure_one()
