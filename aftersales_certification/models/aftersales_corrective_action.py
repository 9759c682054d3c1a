from odoo import fields, models


class AftersalesCorrectiveAction(models.Model):
    """Corrective actions may come from the nonconformities of a certification audit."""

    _inherit = "aftersales.corrective.action"

    audit_id = fields.Many2one(
        "aftersales.certification.audit",
        string="Certification Audit",
        index=True,
        ondelete="set null",
        check_company=True,
    )
    audit_finding_id = fields.Many2one(
        "aftersales.certification.audit.finding",
        index=True,
        ondelete="set null",
    )
    certificate_id = fields.Many2one(
        related="audit_id.certificate_id", store=True, index=True, string="Certificate"
    )

    def _can_confirm(self):
        """The certification coordinator confirms the actions that answer audit findings."""
        if super()._can_confirm():
            return True
        from_audits = bool(self) and all(action.audit_id for action in self)
        return from_audits and self.env.user.has_group(
            "aftersales_service.group_certification_coordinator"
        )
