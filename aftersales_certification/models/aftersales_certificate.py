from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumValidationError

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.aftersales_service.models.scheduled_job import run_job
from odoo.addons.aftersales_service.report.xlsx import field_column

from .common import CRON_BATCH_SIZE, RECERTIFICATION_NOTICE_MONTHS, normalize_text

# the data printed on the certificate: a change of any of them is kept in the history
PRINTED_FIELDS = (
    "number",
    "registered_name",
    "registered_code",
    "registered_address",
    "scope",
    "star_level",
    "issue_date",
    "expiry_date",
)
STAR_LEVELS = [
    ("1", "One Star"),
    ("2", "Two Stars"),
    ("3", "Three Stars"),
    ("4", "Four Stars"),
    ("5", "Five Stars"),
]


def compact_uscc(code):
    """The unified social credit code without spaces or dashes, upper case."""
    return uscc.compact(code) if code else code


class AftersalesCertificate(models.Model):
    """A certificate held by the company (or an outlet) and issued by a certification body."""

    _name = "aftersales.certificate"
    _description = "Certificate"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.xlsx.mixin"]
    _order = "expiry_date, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Coordinator",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Who keeps this certificate valid: receives the reminders of the scheduled jobs.",
    )
    holder_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.partner_id,
        help="The certified organisation: the company itself, an outlet or another partner.",
    )
    body_id = fields.Many2one(
        "res.partner",
        string="Certification Body",
        required=True,
        tracking=True,
        index=True,
        domain="[('is_company', '=', True)]",
    )
    standard_id = fields.Many2one(
        "aftersales.certification.standard",
        string="Standard / Scheme",
        required=True,
        tracking=True,
        index=True,
    )
    has_star_level = fields.Boolean(related="standard_id.has_star_level")
    star_level = fields.Selection(STAR_LEVELS, tracking=True)
    number = fields.Char(string="Certificate Number", required=True, tracking=True, copy=False)
    scope = fields.Text(string="Certified Scope")
    registered_name = fields.Char(tracking=True)
    registered_code = fields.Char(
        string="Unified Social Credit Code",
        tracking=True,
        help="The 18-character code of GB 32100-2015, as printed on the certificate.",
    )
    registered_address = fields.Char(tracking=True)
    issue_date = fields.Date(required=True, tracking=True)
    expiry_date = fields.Date(required=True, tracking=True, index=True)
    recertification_due_date = fields.Date(
        string="Recertification Due",
        compute="_compute_recertification_due_date",
        store=True,
        index=True,
        help="The recertification application must reach the body three months before expiry.",
    )
    suspension_state = fields.Selection(
        [("suspended", "Suspended"), ("withdrawn", "Withdrawn")],
        string="Decision of the Body",
        tracking=True,
        copy=False,
    )
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
            ("suspended", "Suspended"),
            ("withdrawn", "Withdrawn"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        help="Expiring: within three months of the expiry date. Refreshed every day.",
    )
    scan_attachment_ids = fields.Many2many(
        "ir.attachment",
        "aftersales_certificate_attachment_rel",
        "certificate_id",
        "attachment_id",
        string="Scan",
        help="The scanned certificate and its annexes.",
    )
    note = fields.Html()
    recertification_application_id = fields.Many2one(
        "aftersales.certification.application",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        help="The recertification application of the current cycle.",
    )
    history_ids = fields.One2many("aftersales.certificate.history", "certificate_id")
    audit_ids = fields.One2many("aftersales.certification.audit", "certificate_id")
    application_ids = fields.One2many("aftersales.certification.application", "certificate_id")
    audit_count = fields.Integer(compute="_compute_counts")
    application_count = fields.Integer(compute="_compute_counts")
    history_count = fields.Integer(compute="_compute_counts")
    corrective_action_count = fields.Integer(compute="_compute_counts")
    next_audit_date = fields.Date(compute="_compute_next_audit_date")
    color = fields.Integer(compute="_compute_color")

    _sql_constraints = [
        (
            "number_uniq",
            "unique(body_id, standard_id, number, company_id)",
            "This certificate number is already registered for this body and standard.",
        ),
        (
            "dates_check",
            "CHECK(expiry_date > issue_date)",
            "The expiry date of a certificate must come after its issue date.",
        ),
    ]

    # ------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------
    @api.depends("standard_id.code", "number")
    def _compute_name(self):
        for cert in self:
            cert.name = " ".join(filter(None, (cert.standard_id.code, cert.number)))

    @api.depends("expiry_date")
    def _compute_recertification_due_date(self):
        for cert in self:
            cert.recertification_due_date = cert.expiry_date and (
                cert.expiry_date - relativedelta(months=RECERTIFICATION_NOTICE_MONTHS)
            )

    @api.depends("expiry_date", "suspension_state")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for cert in self:
            if cert.suspension_state:
                cert.state = cert.suspension_state
            elif cert.expiry_date and cert.expiry_date < today:
                cert.state = "expired"
            elif cert.recertification_due_date and cert.recertification_due_date <= today:
                cert.state = "expiring"
            else:
                cert.state = "valid"

    def _compute_counts(self):
        def count(model, field):
            return dict(
                self.env[model]._read_group([(field, "in", self.ids)], [field], ["__count"])
            )

        audits = count("aftersales.certification.audit", "certificate_id")
        applications = count("aftersales.certification.application", "certificate_id")
        history = count("aftersales.certificate.history", "certificate_id")
        actions = count("aftersales.corrective.action", "certificate_id")
        for cert in self:
            cert.audit_count = audits.get(cert, 0)
            cert.application_count = applications.get(cert, 0)
            cert.history_count = history.get(cert, 0)
            cert.corrective_action_count = actions.get(cert, 0)

    def _compute_next_audit_date(self):
        next_dates = dict(
            self.env["aftersales.certification.audit"]._read_group(
                [("certificate_id", "in", self.ids), ("state", "in", ("planned", "confirmed"))],
                ["certificate_id"],
                ["planned_date:min"],
            )
        )
        for cert in self:
            cert.next_audit_date = next_dates.get(cert)

    @api.depends("state")
    def _compute_color(self):
        colors = {"valid": 10, "expiring": 3, "expired": 1, "suspended": 2, "withdrawn": 4}
        for cert in self:
            cert.color = colors.get(cert.state, 0)

    # ------------------------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------------------------
    @api.model
    def _check_uscc(self, code):
        """Raise a translated error unless ``code`` is a valid unified social credit code."""
        if not code:
            return
        try:
            uscc.validate(code)
        except StdnumValidationError as exc:
            raise ValidationError(
                self.env._(
                    "%(code)s is not a valid unified social credit code: it has 18 characters "
                    "(digits and capital letters except I, O, S, V and Z) and ends with a check "
                    "character (GB 32100-2015). Check the code as printed on the business "
                    "licence.",
                    code=code,
                )
            ) from exc

    @api.constrains("registered_code")
    def _check_registered_code(self):
        for cert in self:
            self._check_uscc(cert.registered_code)

    @api.constrains("star_level", "standard_id")
    def _check_star_level(self):
        for cert in self:
            if cert.standard_id.has_star_level and not cert.star_level:
                raise ValidationError(
                    self.env._(
                        "Certificates of %(standard)s carry a star level: choose one for %(cert)s.",
                        standard=cert.standard_id.display_name,
                        cert=cert.number,
                    )
                )

    @api.onchange("holder_id")
    def _onchange_holder_id(self):
        """Propose the holder's registered data as printed data for a new certificate."""
        holder = self.holder_id.commercial_partner_id
        if not holder:
            return
        if not self.registered_name:
            self.registered_name = holder.name
        if not self.registered_code:
            self.registered_code = holder.company_registry or holder.vat
        if not self.registered_address:
            self.registered_address = self.env["res.company"]._aftersales_printed_address(holder)

    @api.onchange("issue_date", "standard_id")
    def _onchange_issue_date(self):
        if self.issue_date and self.standard_id.validity_years and not self.expiry_date:
            self.expiry_date = (
                self.issue_date
                + relativedelta(years=self.standard_id.validity_years)
                - relativedelta(days=1)
            )

    # ------------------------------------------------------------------------------------
    # CRUD: the code is stored compact, the printed data keeps its history
    # ------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("registered_code"):
                vals["registered_code"] = compact_uscc(vals["registered_code"])
        certificates = super().create(vals_list)
        certificates._plan_surveillance_audits()
        return certificates

    def write(self, vals):
        if vals.get("registered_code"):
            vals = dict(vals, registered_code=compact_uscc(vals["registered_code"]))
        printed = [fname for fname in PRINTED_FIELDS if fname in vals]
        history_vals = []
        if printed:
            for cert in self:
                # compared as the cache holds them: a date given as a string is no change
                old = {
                    fname: cert[fname]
                    for fname in printed
                    if cert._fields[fname].convert_to_cache(cert[fname], cert)
                    != cert._fields[fname].convert_to_cache(vals[fname] or False, cert)
                }
                if old:
                    history_vals.append(cert._prepare_history_vals(old))
        if "expiry_date" in vals and "recertification_application_id" not in vals:
            # a certificate renewed by hand starts a new cycle once its application is decided
            renewed = self.filtered(
                lambda c: c.recertification_application_id.state in ("approved", "rejected")
            )
            if renewed:
                super(AftersalesCertificate, renewed).write(
                    {"recertification_application_id": False}
                )
        res = super().write(vals)
        if history_vals:
            # the history is evidence: nobody may create or edit it directly (read-only
            # access), it is written here only, as the trace of a change the user may make
            self.env["aftersales.certificate.history"].sudo().create(history_vals)
        if {"issue_date", "expiry_date"} & set(vals):
            self._plan_surveillance_audits()
        return res

    def _prepare_history_vals(self, old_values):
        self.ensure_one()
        vals = {
            "certificate_id": self.id,
            "user_id": self.env.uid,
            "application_id": self.env.context.get("aftersales_certification_application_id"),
            "changed_fields": ", ".join(
                self._fields[fname].get_description(self.env)["string"] for fname in old_values
            ),
        }
        for fname, value in old_values.items():
            vals[f"old_{fname}"] = value
        return vals

    # ------------------------------------------------------------------------------------
    # who is told
    # ------------------------------------------------------------------------------------
    def _get_coordinator(self):
        """The certificate's coordinator, or else a coordinator of its company."""
        self.ensure_one()
        if self.user_id.active and not self.user_id.share:
            return self.user_id
        group = self.env.ref("aftersales_service.group_certification_coordinator")
        return group.sudo().users.filtered(
            lambda u: self.company_id in u.company_ids and not u._is_superuser() and not u.share
        )[:1]

    def _get_escalation_users(self, coordinator=None):
        """Whom to escalate to: the coordinator's manager (the parent of the coordinator's
        employee in this company), or else the company's After-Sales managers."""
        self.ensure_one()
        coordinator = coordinator or self._get_coordinator()
        # reading the org chart is safe: only the manager's user is used, to assign a to-do
        employee = coordinator and (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", coordinator.id), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )
        manager = employee and employee.parent_id.user_id
        if manager and manager.active and manager != coordinator:
            return manager
        group = self.env.ref("aftersales_service.group_aftersales_manager")
        return group.sudo().users.filtered(
            lambda u: (
                self.company_id in u.company_ids
                and not u._is_superuser()
                and not u.share
                and u.active
            )
        )

    def _proposed_new_values(self, old, new):
        """New values for a kind (a) change when this certificate prints an old company value.

        ``old`` and ``new`` are the company's values before and after: ``name``, ``codes``
        (the registry code and tax id), ``code`` (the new code to print), ``addresses``
        (renderings of the address) and ``street``.
        """
        self.ensure_one()
        vals = {}
        if (
            old["name"] != new["name"]
            and self.registered_name
            and normalize_text(self.registered_name) == normalize_text(old["name"])
        ):
            vals["new_registered_name"] = new["name"]
        if (
            old["codes"] != new["codes"]
            and self.registered_code
            and self.registered_code in old["codes"]
            and self.registered_code not in new["codes"]
            and new["code"]
        ):
            vals["new_registered_code"] = new["code"]
        if old["addresses"] != new["addresses"] and self.registered_address:
            printed = normalize_text(self.registered_address)
            prints_old = printed in old["addresses"] or (
                len(old["street"]) >= 4
                and old["street"] in printed
                and old["street"] != new["street"]
            )
            if prints_old and printed not in new["addresses"]:
                vals["new_registered_address"] = new["address"]
        return vals

    # ------------------------------------------------------------------------------------
    # surveillance planning
    # ------------------------------------------------------------------------------------
    def _surveillance_dates(self):
        """Planned dates of the surveillance audits of the current cycle."""
        self.ensure_one()
        interval = self.standard_id.surveillance_interval_months or 12
        dates = []
        step = 1
        while True:
            planned = self.issue_date + relativedelta(months=interval * step)
            # the last year ends with the recertification audit instead
            if planned >= self.expiry_date - relativedelta(months=RECERTIFICATION_NOTICE_MONTHS):
                break
            dates.append(planned)
            step += 1
        return dates

    def _plan_surveillance_audits(self):
        """Plan the missing surveillance audits of the current cycle (one per year at least)."""
        audits = self.env["aftersales.certification.audit"]
        existing = audits.search_fetch(
            [("certificate_id", "in", self.ids), ("audit_type", "=", "surveillance")],
            ["certificate_id", "planned_date"],
        ).grouped("certificate_id")
        vals_list = []
        for cert in self.filtered(
            lambda c: c.issue_date and c.expiry_date and c.state != "withdrawn"
        ):
            planned = existing.get(cert, audits).mapped("planned_date")
            for date in cert._surveillance_dates():
                # an audit already planned in the same half year covers this one
                if any(abs((date - other).days) < 183 for other in planned):
                    continue
                vals_list.append(
                    {
                        "certificate_id": cert.id,
                        "audit_type": "surveillance",
                        "planned_date": date,
                        "user_id": cert.user_id.id,
                    }
                )
        return audits.create(vals_list)

    # ------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------
    def action_suspend(self):
        """Record the body's decision to suspend the certificate."""
        if self.filtered(lambda c: c.state == "withdrawn"):
            raise UserError(self.env._("A withdrawn certificate cannot be suspended."))
        self.write({"suspension_state": "suspended"})

    def action_withdraw(self):
        """Record the body's decision to withdraw the certificate."""
        self.write({"suspension_state": "withdrawn"})

    def action_reinstate(self):
        """The body lifted the suspension: the dates decide the state again."""
        if self.filtered(lambda c: c.suspension_state != "suspended"):
            raise UserError(self.env._("Only a suspended certificate can be reinstated."))
        self.write({"suspension_state": False})

    def _action_open(self, model, name, extra_domain=None, view_mode="list,form"):
        self.ensure_one()
        field = "certificate_id"
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": view_mode,
            "domain": [(field, "=", self.id), *(extra_domain or [])],
            "context": {"default_certificate_id": self.id},
        }

    def action_view_audits(self):
        return self._action_open(
            "aftersales.certification.audit", self.env._("Audits"), view_mode="list,form,calendar"
        )

    def action_view_applications(self):
        return self._action_open("aftersales.certification.application", self.env._("Applications"))

    def action_view_history(self):
        action = self._action_open("aftersales.certificate.history", self.env._("History"))
        action["view_mode"] = "list"
        return action

    def action_view_corrective_actions(self):
        action = self._action_open("aftersales.corrective.action", self.env._("Corrective Actions"))
        action["context"] = {}
        return action

    def action_new_change_application(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Application"),
            "res_model": "aftersales.certification.application",
            "view_mode": "form",
            "context": {
                "default_certificate_id": self.id,
                "default_application_type": "change",
            },
        }

    def action_export_register(self):
        """Download the register of the selected certificates (every visible one if none)."""
        return self._xlsx_download_action(None if self else [])

    # ------------------------------------------------------------------------------------
    # scheduled job: the state follows the calendar
    # ------------------------------------------------------------------------------------
    @api.model
    def _stale_state_domain(self):
        today = fields.Date.context_today(self)
        return [
            ("suspension_state", "=", False),
            "|",
            "&",
            ("state", "=", "valid"),
            ("recertification_due_date", "<=", today),
            "&",
            ("state", "in", ("valid", "expiring")),
            ("expiry_date", "<", today),
        ]

    @api.model
    def _cron_update_states(self, batch_size=CRON_BATCH_SIZE):
        """Move certificates to expiring / expired as the days pass, in batches."""
        return run_job(
            self.with_context(active_test=False),
            self._stale_state_domain(),
            "_recompute_state",
            batch_size=batch_size,
        )

    def _recompute_state(self):
        self.env.add_to_compute(self._fields["state"], self)
        self._recompute_recordset(["state"])

    # ------------------------------------------------------------------------------------
    # register (XLSX)
    # ------------------------------------------------------------------------------------
    @api.model
    def _register_columns(self):
        env = self.env
        return [
            field_column(self, "number", env._("Certificate Number"), 22),
            field_column(self, "standard_id", env._("Standard / Scheme"), 28),
            field_column(self, "star_level", env._("Star Level"), 12),
            field_column(self, "holder_id", env._("Holder"), 28),
            field_column(self, "body_id", env._("Certification Body"), 28),
            field_column(self, "registered_name", env._("Registered Name"), 30),
            field_column(self, "registered_code", env._("Unified Social Credit Code"), 22),
            field_column(self, "registered_address", env._("Registered Address"), 40),
            field_column(self, "scope", env._("Certified Scope"), 40),
            field_column(self, "issue_date", env._("Issue Date"), 12),
            field_column(self, "expiry_date", env._("Expiry Date"), 12),
            field_column(self, "recertification_due_date", env._("Recertification Due"), 12),
            field_column(self, "state", env._("State"), 12),
            field_column(self, "user_id", env._("Coordinator"), 18),
            field_column(self, "company_id", env._("Company"), 22),
        ]

    @api.model
    def _xlsx_filename(self, domain):
        return self.env._("certificate-register")

    @api.model
    def _xlsx_write(self, writer, domain):
        """The register of the certificates of ``domain`` the user may read, by expiry."""
        columns = self._register_columns()
        sheet = writer.add_sheet(self.env._("Certificates"), columns=columns)
        return sheet.write_records(self, domain, columns, order="expiry_date, id")
