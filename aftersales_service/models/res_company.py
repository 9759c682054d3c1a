from odoo import api, fields, models, tools

# (company field, indicator key, default target, whether a higher value is better)
INDICATOR_TARGETS = [
    ("aftersales_target_complaint_rate", "complaint_rate", 0.5, False),
    ("aftersales_target_response_compliance", "response_compliance_rate", 95.0, True),
    ("aftersales_target_complaint_handling", "complaint_handling_rate", 100.0, True),
    ("aftersales_target_repeat_repair", "repeat_repair_rate", 2.0, False),
    ("aftersales_target_dap_rate", "dap_rate", 0.3, False),
    ("aftersales_target_first_time_fix", "first_time_fix_rate", 90.0, True),
    ("aftersales_target_satisfaction", "satisfaction_rate", 90.0, True),
]


class ResCompany(models.Model):
    """The suite's settings per company: commitments, complaints, service, policies, training."""

    _inherit = "res.company"

    aftersales_at_risk_hours = fields.Float(
        string="Requests at Risk Before (hours)",
        default=4.0,
        help="A request is at risk when one of its commitment deadlines falls within this many "
        "hours.",
    )

    aftersales_approval_department_ids = fields.Many2many(
        "hr.department",
        "res_company_aftersales_approval_department_rel",
        "company_id",
        "department_id",
        string="Departments Approving Severe Complaints",
        help="Each of these departments approves the final solution of a severe complaint "
        "before it is carried out (报各部门审批).",
    )
    aftersales_action_reminder_days = fields.Integer(
        string="Remind Action Owners (days before the deadline)",
        default=3,
        help="The owner of an open corrective or preventive action gets an activity this many "
        "days before its deadline.",
    )

    aftersales_warranty_months = fields.Integer(
        string="Default Warranty (months)",
        default=12,
        help="Warranty period of products that do not set their own.",
    )
    aftersales_dap_days = fields.Integer(
        string="DAP Period (days)",
        default=15,
        help="A quality failure within this many days after delivery is dead after purchase "
        "(DAP): the request is raised and an exchange is offered first.",
    )

    aftersales_policy_review_months = fields.Integer(
        string="Review Policies Every (months)",
        default=12,
        help="The next review date of a published policy is its effective date plus this period.",
    )
    aftersales_policy_review_notice_days = fields.Integer(
        string="Remind Policy Owners (days before the review)",
        default=30,
        help="The owner of a published policy gets an activity this many days before its review "
        "date.",
    )

    aftersales_training_check = fields.Selection(
        [("block", "Block the assignment"), ("warn", "Warn only")],
        string="Untrained Assignees",
        default="block",
        required=True,
        help="What happens when a request is assigned to an employee who is not trained on the "
        "current revisions of the policies their job requires.",
    )
    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.policy",
        string="Warranty Policy",
        domain="[('state', '=', 'published'), ('company_id', '=', id)]",
        help="The policy revision that defines the warranty periods; each request records the "
        "revision in force when its warranty was judged.",
    )

    # customer care: callbacks, online surveys and key customers (domain.md §4, §5)
    aftersales_callback_unhappy_score = fields.Integer(
        string="Unhappy at Actual Score",
        default=2,
        help="An answer whose actual score for a question is at or below this value is "
        "unhappy: a follow-up request is opened.",
    )
    aftersales_callback_followup_type_id = fields.Many2one(
        "aftersales.ticket.type",
        string="Follow-up Request Kind",
        help="Kind of the request opened for an unhappy answer (a complaint when empty).",
    )
    aftersales_callback_link_days = fields.Integer(
        string="Survey Link Valid (days)",
        default=14,
        help="How long the link sent to the customer for the online answer stays valid.",
    )
    aftersales_class_a_sales = fields.Monetary(
        string="Class A from Yearly Sales",
        currency_field="currency_id",
        default=1000000,
        help="Customers who bought at least this much over the last 12 months are class A.",
    )
    aftersales_class_a_units = fields.Integer(
        string="Class A from Units",
        default=50,
        help="Customers who received at least this many units over the last 12 months are class A.",
    )
    aftersales_class_b_sales = fields.Monetary(
        string="Class B from Yearly Sales", currency_field="currency_id", default=200000
    )
    aftersales_class_b_units = fields.Integer(string="Class B from Units", default=10)
    aftersales_visit_reminder_days = fields.Integer(
        string="Remind Visitors (days before)",
        default=7,
        help="The visitor of a key customer gets an activity this many days before the visit.",
    )
    aftersales_care_manager_id = fields.Many2one(
        "res.users",
        string="Key Customer Care Manager",
        help="Escalations of key customers not visited by year end go to this person.",
    )

    # indicators of the management system: repeat-repair window and targets (domain.md §10)
    aftersales_repeat_repair_days = fields.Integer(
        string="Repeat Repair Window (days)",
        default=90,
        help="A repair of a unit repaired within this many days before is a repeat repair.",
    )
    aftersales_target_complaint_rate = fields.Float(
        string="Target Complaint Rate (%)", default=0.5, digits=(6, 2)
    )
    aftersales_target_response_compliance = fields.Float(
        string="Target Response-Time Compliance (%)", default=95.0, digits=(6, 2)
    )
    aftersales_target_complaint_handling = fields.Float(
        string="Target Complaint Handling Rate (%)", default=100.0, digits=(6, 2)
    )
    aftersales_target_repeat_repair = fields.Float(
        string="Target Repeat Repair Rate (%)", default=2.0, digits=(6, 2)
    )
    aftersales_target_dap_rate = fields.Float(
        string="Target DAP Rate (%)", default=0.3, digits=(6, 2)
    )
    aftersales_target_first_time_fix = fields.Float(
        string="Target First-Time Fix Rate (%)", default=90.0, digits=(6, 2)
    )
    aftersales_target_satisfaction = fields.Float(
        string="Target Satisfaction Rate (%)", default=90.0, digits=(6, 2)
    )

    def _aftersales_indicator_targets(self):
        """{indicator key: (target as a fraction, whether a higher value is better)}."""
        self.ensure_one()
        return {
            key: (self[field] / 100.0, higher) for field, key, _default, higher in INDICATOR_TARGETS
        }

    @api.model
    @tools.ormcache()
    def _aftersales_at_risk_hours_by_company(self):
        """The at-risk warning time of every company, cached (cleared when it changes or a
        company is made): a list page computes the commitment status of each request and must
        not read the company for it."""
        self.flush_model(["aftersales_at_risk_hours"])
        self.env.cr.execute("SELECT id, aftersales_at_risk_hours FROM res_company")
        return dict(self.env.cr.fetchall())

    def cache_invalidation_fields(self):
        # Odoo clears the caches when a company is made or one of these fields changes
        return super().cache_invalidation_fields() | {"aftersales_at_risk_hours"}
