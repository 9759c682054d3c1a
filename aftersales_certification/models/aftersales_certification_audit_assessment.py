from odoo import api, fields, models

# who reads the self-assessments: service managers and certification coordinators
ASSESSMENT_GROUPS = (
    "aftersales_service.group_aftersales_manager,aftersales_service.group_certification_coordinator"
)


class AftersalesCertificationAudit(models.Model):
    _inherit = "aftersales.certification.audit"

    assessment_ids = fields.One2many(
        "aftersales.assessment", "audit_id", string="Self-Assessments", groups=ASSESSMENT_GROUPS
    )
    assessment_count = fields.Integer(compute="_compute_assessment_count", groups=ASSESSMENT_GROUPS)

    @api.depends("assessment_ids")
    def _compute_assessment_count(self):
        for audit in self:
            audit.assessment_count = len(audit.assessment_ids)

    def action_view_assessments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Self-Assessments"),
            "res_model": "aftersales.assessment",
            "view_mode": "list,form",
            "domain": [("audit_id", "=", self.id)],
            "context": {
                "default_audit_id": self.id,
                "default_certificate_id": self.certificate_id.id,
                "default_company_id": self.company_id.id,
            },
        }
