from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_translate

from .reminder_window import due_within_notice
from .scheduled_job import JOB_BATCH_SIZE, run_job, schedule_activities

OPEN_STATES = ("draft", "review", "approved")

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
    category_id = fields.Many2one("aftersales.policy.category", required=True, index=True)
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
    review_date = fields.Date(
        string="Next Review",
        compute="_compute_review_date",
        store=True,
        readonly=False,
        tracking=True,
        copy=False,
        index=True,
        help="By default the effective date plus the review period of the company (12 months).",
    )
    review_reminded = fields.Boolean(
        string="Owner Reminded of the Review",
        readonly=True,
        copy=False,
        index=True,
        help="The owner got the activity for this review date; cleared when the date moves.",
    )
    department_id = fields.Many2one(
        "hr.department", string="Owner Department", tracking=True, check_company=True
    )
    approver_id = fields.Many2one(
        "res.users",
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
    revision_history_ids = fields.Many2many(
        "aftersales.policy",
        compute="_compute_revision_history_ids",
        help="Every revision of this document, the obsolete ones included.",
    )
    copy_ids = fields.One2many("aftersales.policy.copy", "policy_id", string="Controlled Copies")
    copy_issued_count = fields.Integer(string="Copies Issued", compute="_compute_copy_issued_count")
    review_ids = fields.One2many("aftersales.policy.review", "policy_id", string="Reviews")

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

    @api.depends("effective_date", "company_id")
    def _compute_review_date(self):
        for policy in self:
            if policy.effective_date:
                months = policy.company_id.aftersales_policy_review_months or 12
                policy.review_date = policy.effective_date + relativedelta(months=months)

    @api.depends("number", "company_id")
    def _compute_revision_history_ids(self):
        real = self.filtered("id")
        (self - real).revision_history_ids = False
        if not real:
            return
        revisions = self.search(
            [
                ("number", "in", list(set(real.mapped("number")))),
                ("company_id", "in", real.company_id.ids),
            ]
        )
        for policy in real:
            policy.revision_history_ids = revisions.filtered(
                lambda p, policy=policy: (
                    p.number == policy.number and p.company_id == policy.company_id
                )
            )

    @api.depends("copy_ids.state")
    def _compute_copy_issued_count(self):
        counts = dict(
            self.env["aftersales.policy.copy"]._read_group(
                [("policy_id", "in", self.ids), ("state", "=", "issued")],
                ["policy_id"],
                ["__count"],
            )
        )
        for policy in self:
            policy.copy_issued_count = counts.get(policy, 0)

    @api.constrains("state", "number", "company_id")
    def _check_single_open_revision(self):
        open_policies = self.filtered(lambda p: p.state in OPEN_STATES)
        if not open_policies:
            return
        groups = self._read_group(
            [
                ("number", "in", list(set(open_policies.mapped("number")))),
                ("company_id", "in", open_policies.company_id.ids),
                ("state", "in", OPEN_STATES),
            ],
            ["company_id", "number"],
            ["__count"],
        )
        for company, number, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "The policy %(number)s already has a revision being drafted, reviewed "
                        "or approved in %(company)s: finish or discard it before opening another.",
                        number=number,
                        company=company.name,
                    )
                )

    @api.constrains("revision_letter")
    def _check_revision_letter(self):
        for policy in self:
            letter = policy.revision_letter or ""
            if len(letter) != 1 or not ("A" <= letter <= "Z"):
                raise ValidationError(
                    self.env._("A revision letter is one capital letter from A to Z.")
                )

    def write(self, vals):
        if (
            vals.get("state") in ("approved", "published", "obsolete")
            and not self.env.su
            and not self._is_policy_manager()
        ):
            raise AccessError(
                self.env._("Only an after-sales manager can approve or publish a policy.")
            )
        if "review_date" in vals and "review_reminded" not in vals:
            vals = dict(vals, review_reminded=False)
        return super().write(vals)

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        if "previous_id" not in default:
            # a plain duplicate starts a new document, not a second A/0 of the same number
            for policy, vals in zip(self, vals_list, strict=True):
                vals["number"] = self.env._("%(number)s (copy)", number=policy.number)
        return vals_list

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

    def _is_policy_manager(self):
        return self.env.user.has_group("aftersales_service.group_aftersales_manager")

    def action_submit(self):
        """Send draft revisions for review."""
        for policy in self:
            if policy.state != "draft":
                raise UserError(self.env._("Only a draft revision can be sent for review."))
            if not (policy.content or policy.document):
                raise UserError(
                    self.env._(
                        "Write the text of %(policy)s or attach its signed file before sending "
                        "it for review.",
                        policy=policy.display_name,
                    )
                )
        self.write({"state": "review"})
        return True

    def action_approve(self):
        """Approve revisions in review: a manager, or the approver named on the revision."""
        for policy in self:
            if policy.state != "review":
                raise UserError(self.env._("Only a revision in review can be approved."))
            if not (self._is_policy_manager() or policy.approver_id == self.env.user):
                raise AccessError(
                    self.env._(
                        "Only an after-sales manager or the approver of %(policy)s can approve it.",
                        policy=policy.display_name,
                    )
                )
        # the named approver may lack write access to policies: the rights were checked above
        self.sudo().write({"state": "approved"})
        for policy in self:
            policy.sudo().message_post(
                body=self.env._("Approved by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_draft(self):
        """Send revisions in review or approved back to draft."""
        for policy in self:
            if policy.state not in ("review", "approved"):
                raise UserError(
                    self.env._("Only a revision in review or approved can go back to draft.")
                )
        self.write({"state": "draft"})
        return True

    def _check_can_open_revision(self):
        for policy in self:
            if policy.state not in ("published", "obsolete"):
                raise UserError(self.env._("A new revision starts from a published revision."))
            if policy.state == "obsolete" and policy._current_revisions():
                raise UserError(
                    self.env._(
                        "%(policy)s is obsolete: start the new revision from the one in force.",
                        policy=policy.display_name,
                    )
                )
            if self.search_count(
                [
                    ("number", "=", policy.number),
                    ("company_id", "=", policy.company_id.id),
                    ("state", "in", OPEN_STATES),
                ],
                limit=1,
            ):
                raise UserError(
                    self.env._(
                        "The policy %(number)s already has a revision being drafted, reviewed "
                        "or approved: finish or discard it before opening another.",
                        number=policy.number,
                    )
                )

    def _open_revision(self, letter, number):
        self.ensure_one()
        self._check_can_open_revision()
        new = self.copy(
            {
                "revision_letter": letter,
                "revision_number": number,
                "previous_id": self.id,
                "state": "draft",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_new_revision(self):
        """A minor change: A/0 becomes A/1, the text is copied."""
        self.ensure_one()
        return self._open_revision(self.revision_letter, self.revision_number + 1)

    def action_new_edition(self):
        """A new edition: A/n becomes B/0, the text is copied."""
        self.ensure_one()
        if self.revision_letter >= "Z":
            raise UserError(self.env._("The edition letters stop at Z."))
        return self._open_revision(chr(ord(self.revision_letter) + 1), 0)

    def action_view_revision(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_copies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_policy_copy"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id, "search_default_issued": 1}
        return action

    def action_publish(self):
        if not self._is_policy_manager():
            raise AccessError(self.env._("Only an after-sales manager can publish a policy."))
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
            policy._reissue_copies(former)
            policy._on_published(former)
        return True

    def _reissue_copies(self, former):
        """Recall the copies of ``former`` and issue the same copies of ``self``."""
        self.ensure_one()
        copies = former.copy_ids.filtered(lambda c: c.state == "issued")
        if not copies:
            return
        copies.action_recall(
            reason=self.env._("Superseded by revision %(revision)s.", revision=self.revision)
        )
        today = fields.Date.context_today(self)
        self.env["aftersales.policy.copy"].create(
            [
                {
                    "policy_id": self.id,
                    "copy_type": copy.copy_type,
                    "department_id": copy.department_id.id,
                    "holder_id": copy.holder_id.id,
                    "issue_date": today,
                    "previous_copy_id": copy.id,
                }
                for copy in copies
                if not copy.holder_id or copy.holder_id.active
            ]
        )

    @api.model
    def action_print_published_set(self):
        """The bound volume: every published policy of the current company."""
        policies = self.search(
            [("state", "=", "published"), ("company_id", "=", self.env.company.id)]
        )
        if not policies:
            raise UserError(self.env._("No policy is published yet."))
        return self.env.ref(
            "aftersales_service.action_report_aftersales_policy_volume"
        ).report_action(policies)

    def _get_volume_categories(self):
        """(category, policies) in the order of the policy set, for the bound volume."""
        result = []
        for category in self.category_id.sorted():
            result.append(
                (category, self.filtered(lambda p, c=category: p.category_id == c).sorted("number"))
            )
        return result

    # ---- the yearly review ----

    def _review_owner(self):
        self.ensure_one()
        return self.approver_id or self.department_id.manager_id.user_id

    @api.model
    def _review_reminder_domain(self):
        return due_within_notice(
            self,
            [
                ("state", "=", "published"),
                ("review_date", "!=", False),
                "|",
                ("approver_id", "!=", False),
                ("department_id.manager_id.user_id", "!=", False),
            ],
            "review_date",
            lambda company: company.aftersales_policy_review_notice_days,
        )

    @api.model
    def _cron_remind_review(self, batch_size=JOB_BATCH_SIZE):
        """Give each owner one activity before the review date of their policy, in batches.

        A batched, lock-safe job (scheduled_job.run_job): two workers never remind the same
        policy twice; the flag is cleared when the review date moves, so each review date is
        reminded once.
        """
        policies = run_job(
            self,
            self._review_reminder_domain(),
            "_give_review_activities",
            batch_size=batch_size,
            order="review_date, id",
            flag="review_reminded",
        )
        return len(policies)

    def _give_review_activities(self):
        schedule_activities(
            self,
            [
                {
                    "user_id": policy._review_owner().id,
                    "summary": self.env._(
                        "Yearly review of %(number)s due on %(date)s",
                        number=policy.number,
                        date=policy.review_date,
                    ),
                    "date_deadline": policy.review_date,
                }
                for policy in self
            ],
            self.env.ref("aftersales_service.mail_activity_type_policy_review"),
        )

    def _on_published(self, former):
        """Hook: ``self`` (one record) was just published and replaced ``former`` (maybe empty)."""
        self.ensure_one()
