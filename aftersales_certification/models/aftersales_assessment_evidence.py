from odoo import api, fields, models


class AftersalesAssessmentEvidence(models.Model):
    """A record of the suite (or a note) that supports an assessment line."""

    _name = "aftersales.assessment.evidence"
    _description = "Self-Assessment Evidence"
    _order = "line_id, id"

    line_id = fields.Many2one(
        "aftersales.assessment.line", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    name = fields.Char(string="Evidence", required=True)
    res_model = fields.Char(string="Document Model", index=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model")
    model_name = fields.Char(compute="_compute_model_name", string="Kind of Record")

    @api.depends("res_model")
    def _compute_model_name(self):
        names = {
            model: self.env[model]._description
            for model in set(self.mapped("res_model"))
            if model and model in self.env
        }
        for evidence in self:
            evidence.model_name = names.get(evidence.res_model, "")

    def action_open_record(self):
        """Open the linked record."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
