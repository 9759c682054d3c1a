from odoo import api, fields, models


class AftersalesCertificationStandard(models.Model):
    """A standard or certification scheme a certificate is issued against."""

    _name = "aftersales.certification.standard"
    _description = "Certification Standard or Scheme"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Short reference of the standard, e.g. GB/T 27922-2011 or ISO 9001."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    has_star_level = fields.Boolean(
        string="Star Rating",
        help="Certificates of this scheme carry a star level (GB/T 27922: one to five stars).",
    )
    validity_years = fields.Integer(
        string="Validity (years)",
        default=3,
        help="Usual validity of a certificate; full re-evaluation at least this often.",
    )
    surveillance_interval_months = fields.Integer(
        string="Surveillance Interval (months)",
        default=12,
        help="Surveillance audits are planned at this interval after the issue date "
        "(at least one per year of validity).",
    )
    description = fields.Text()
    certificate_count = fields.Integer(compute="_compute_certificate_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a standard must be unique."),
        (
            "surveillance_interval_check",
            "CHECK(surveillance_interval_months BETWEEN 1 AND 12)",
            "Surveillance audits take place at least once a year (1 to 12 months).",
        ),
        (
            "validity_check",
            "CHECK(validity_years > 0)",
            "The validity of a certificate must be at least one year.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for standard in self:
            standard.display_name = (
                f"{standard.code} {standard.name}"
                if standard.code and standard.code not in (standard.name or "")
                else standard.name
            )

    def _compute_certificate_count(self):
        counts = dict(
            self.env["aftersales.certificate"]._read_group(
                [("standard_id", "in", self.ids)], ["standard_id"], ["__count"]
            )
        )
        for standard in self:
            standard.certificate_count = counts.get(standard, 0)
