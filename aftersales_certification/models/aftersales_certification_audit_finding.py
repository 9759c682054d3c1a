from odoo import api, fields, models


class AftersalesCertificationAuditFinding(models.Model):
    """A finding of an audit: a nonconformity becomes a corrective action."""

    _name = "aftersales.certification.audit.finding"
    _description = "Audit Finding"
    _order = "audit_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    audit_id = fields.Many2one(
        "aftersales.certification.audit", required=True, ondelete="cascade", index=True
    )
    certificate_id = fields.Many2one(related="audit_id.certificate_id", store=True, index=True)
    company_id = fields.Many2one(related="audit_id.company_id", store=True, index=True)
    severity = fields.Selection(
        [
            ("major", "Major Nonconformity"),
            ("minor", "Minor Nonconformity"),
            ("observation", "Observation"),
        ],
        required=True,
        default="minor",
    )
    name = fields.Text(string="Finding", required=True)
    clause = fields.Char(help="The clause of the standard the finding refers to.")
    department_id = fields.Many2one(
        "hr.department", string="Department Concerned", check_company=True
    )
    deadline = fields.Date(help="When the body expects the correction (often 30 to 90 days).")
    corrective_action_id = fields.Many2one(
        "aftersales.corrective.action", readonly=True, copy=False, ondelete="set null"
    )
    action_state = fields.Selection(related="corrective_action_id.state", string="Action State")

    def _create_corrective_actions(self):
        """One corrective action per nonconformity that has none yet (observations need none)."""
        todo = self.filtered(
            lambda f: f.severity in ("major", "minor") and not f.corrective_action_id
        )
        if not todo:
            return self.env["aftersales.corrective.action"]
        severity = dict(self._fields["severity"]._description_selection(self.env))
        actions = self.env["aftersales.corrective.action"].create(
            [
                {
                    "name": self.env._(
                        "%(audit)s: %(severity)s %(finding)s",
                        audit=finding.audit_id.name,
                        severity=severity[finding.severity],
                        finding=(finding.clause or "").strip(),
                    ).strip(),
                    "action_type": "corrective",
                    "description": finding.name,
                    "company_id": finding.company_id.id,
                    "department_id": finding.department_id.id,
                    "deadline": finding.deadline,
                    "user_id": finding.audit_id.user_id.id or self.env.uid,
                    "audit_id": finding.audit_id.id,
                    "audit_finding_id": finding.id,
                }
                for finding in todo
            ]
        )
        for finding, action in zip(todo, actions, strict=True):
            finding.corrective_action_id = action
        return actions

    @api.depends("audit_id.name", "severity")
    def _compute_display_name(self):
        severity = dict(self._fields["severity"]._description_selection(self.env))
        for finding in self:
            finding.display_name = f"{finding.audit_id.name} – {severity.get(finding.severity)}"
