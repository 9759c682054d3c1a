from odoo import fields, models


class AftersalesComplaintDecide(models.TransientModel):
    """Approve or reject a severe complaint's final solution for a department, with a comment."""

    _name = "aftersales.complaint.decide"
    _description = "Decide on a Severe Complaint's Solution"

    approval_id = fields.Many2one(
        "aftersales.complaint.approval",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    ticket_id = fields.Many2one(related="approval_id.ticket_id")
    department_id = fields.Many2one(related="approval_id.department_id")
    final_solution = fields.Text(related="approval_id.ticket_id.final_solution")
    comment = fields.Text()

    def action_approve(self):
        self.approval_id.action_approve(comment=self.comment or False)
        return {"type": "ir.actions.act_window_close"}

    def action_reject(self):
        self.approval_id.action_reject(comment=self.comment or False)
        return {"type": "ir.actions.act_window_close"}
