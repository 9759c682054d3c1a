from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.aftersales_service.models.reminder_window import due_within_notice
from odoo.addons.aftersales_service.models.scheduled_job import run_job, schedule_activities

AGREEMENT_STATES = [
    ("draft", "Draft"),
    ("signed", "Signed"),
    ("cancel", "Cancelled"),
]
PARTS_SUPPLY = [
    ("company", "Supplied by the Company"),
    ("outlet", "Bought by the Outlet"),
    ("mixed", "Both"),
]


class AftersalesOutletAgreement(models.Model):
    """A service agreement (服务协议 / 售后委托协议) with an outlet for a validity period."""

    _name = "aftersales.outlet.agreement"
    _description = "Outlet Service Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_end desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    outlet_id = fields.Many2one(
        "aftersales.outlet", required=True, index=True, tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        AGREEMENT_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    date_start = fields.Date(required=True, tracking=True, index=True)
    date_end = fields.Date(required=True, tracking=True, index=True)
    is_expired = fields.Boolean(compute="_compute_is_expired")
    fee_ids = fields.One2many(
        "aftersales.outlet.agreement.fee", "agreement_id", string="Levels and Fees", copy=True
    )
    standby_ratio = fields.Float(
        string="Standby Unit Ratio (%)",
        help="Share of the units in the field the outlet keeps as standby units.",
    )
    monthly_report_required = fields.Boolean(
        string="Monthly Report Due", default=True, help="The outlet hands in a monthly report."
    )
    parts_supply = fields.Selection(PARTS_SUPPLY, default="company", required=True)
    freight_terms = fields.Text(string="Freight and Payment")
    document = fields.Binary(string="Signed Document", attachment=True, copy=False)
    document_name = fields.Char(copy=False)
    reevaluation_id = fields.Many2one(
        "aftersales.outlet.evaluation",
        string="Re-evaluation",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    note = fields.Html()

    _sql_constraints = [
        (
            "dates_order",
            "CHECK(date_end >= date_start)",
            "An agreement cannot end before it starts.",
        ),
        (
            "standby_ratio_range",
            "CHECK(standby_ratio >= 0 AND standby_ratio <= 100)",
            "The standby unit ratio is a percentage.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.outlet.agreement")
        return super().create(vals_list)

    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.is_expired = bool(agreement.date_end and agreement.date_end < today)

    def _is_valid_on(self, day):
        self.ensure_one()
        return self.state == "signed" and self.date_start <= day <= self.date_end

    @api.constrains("state", "date_start", "date_end", "outlet_id")
    def _check_overlap(self):
        for agreement in self.filtered(lambda a: a.state == "signed"):
            overlapping = self.search_count(
                [
                    ("id", "!=", agreement.id),
                    ("outlet_id", "=", agreement.outlet_id.id),
                    ("state", "=", "signed"),
                    ("date_start", "<=", agreement.date_end),
                    ("date_end", ">=", agreement.date_start),
                ]
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "%(outlet)s already has a signed agreement for these dates.",
                        outlet=agreement.outlet_id.name,
                    )
                )

    def action_sign(self):
        for agreement in self:
            if agreement.state != "draft":
                raise UserError(self.env._("Only draft agreements can be signed."))
            if agreement.outlet_id.state in ("candidate", "evaluating", "terminated"):
                raise UserError(
                    self.env._(
                        "%(outlet)s must pass its admission evaluation before it is contracted.",
                        outlet=agreement.outlet_id.name,
                    )
                )
        self.write({"state": "signed"})
        return True

    def action_cancel(self):
        self.write({"state": "cancel"})
        return True

    def action_draft(self):
        self.filtered(lambda a: a.state == "cancel").write({"state": "draft"})
        return True

    # ---------------------------------------------------------------------------------------
    # scheduled job
    # ---------------------------------------------------------------------------------------
    @api.model
    def _reevaluation_domain(self):
        """Signed agreements ending within their company's notice, not re-evaluated yet."""
        return due_within_notice(
            self,
            [
                ("state", "=", "signed"),
                ("reevaluation_id", "=", False),
                ("date_end", ">=", fields.Date.context_today(self)),
                ("outlet_id.state", "in", ("approved", "authorized", "suspended")),
            ],
            "date_end",
            lambda company: company.outlet_reevaluation_days,
        )

    @api.model
    def _cron_open_reevaluations(self, batch_size=100):
        """Open a re-evaluation and an activity for agreements ending soon (once each).

        A batched, lock-safe job (scheduled_job.run_job); the re-evaluation it opens is what
        makes each agreement handled once.
        """
        return run_job(
            self,
            self._reevaluation_domain(),
            "_open_reevaluations",
            batch_size=batch_size,
            order="date_end, id",
        )

    def _open_reevaluations(self):
        # the indicators are the evidence the re-evaluation starts from
        self.outlet_id._refresh_indicators()
        evaluations = self.env["aftersales.outlet.evaluation"].create(
            [
                {
                    "outlet_id": agreement.outlet_id.id,
                    "company_id": agreement.company_id.id,
                    "kind": "reevaluation",
                    "agreement_id": agreement.id,
                    "pass_score": agreement.company_id.outlet_pass_score,
                }
                for agreement in self
            ]
        )
        for agreement, evaluation in zip(self, evaluations, strict=True):
            agreement.reevaluation_id = evaluation
        schedule_activities(
            self,
            [
                {
                    "date_deadline": agreement.date_end,
                    "summary": self.env._("Re-evaluate the outlet before the agreement ends"),
                    "note": self.env._(
                        "Agreement %(agreement)s ends on %(date)s: re-evaluation %(evaluation)s "
                        "has been opened.",
                        agreement=agreement.name,
                        date=fields.Date.to_string(agreement.date_end),
                        evaluation=agreement.reevaluation_id.name,
                    ),
                    "user_id": (agreement.outlet_id.user_id or agreement.create_uid).id,
                }
                for agreement in self
            ],
        )


class AftersalesOutletAgreementFee(models.Model):
    """A repair level granted by an agreement, with its fee."""

    _name = "aftersales.outlet.agreement.fee"
    _description = "Agreement Level and Fee"
    _order = "agreement_id, level_id"

    agreement_id = fields.Many2one(
        "aftersales.outlet.agreement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    level_id = fields.Many2one("aftersales.outlet.level", required=True)
    fee = fields.Monetary(string="Fee per Repair")
    labour_hour_fee = fields.Monetary(string="Fee per Labour Hour")
    note = fields.Char()
