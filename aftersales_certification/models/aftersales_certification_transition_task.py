from odoo import fields, models
from odoo.exceptions import UserError


class AftersalesCertificationTransitionTask(models.Model):
    """What one certificate needs to move to a changed scheme before its deadline."""

    _name = "aftersales.certification.transition.task"
    _description = "Scheme Transition Task"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    notice_id = fields.Many2one(
        "aftersales.certification.scheme.notice",
        required=True,
        ondelete="cascade",
        index=True,
    )
    certificate_id = fields.Many2one(
        "aftersales.certificate", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="notice_id.company_id", store=True, index=True)
    deadline = fields.Date(tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", tracking=True, domain="[('share', '=', False)]"
    )
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="todo",
        required=True,
        tracking=True,
    )
    note = fields.Html()

    _sql_constraints = [
        (
            "notice_certificate_uniq",
            "unique(notice_id, certificate_id)",
            "A certificate has one transition task per notice.",
        ),
    ]

    def action_done(self):
        if self.filtered(lambda t: t.state != "todo"):
            raise UserError(self.env._("Only open tasks can be marked done."))
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_cancel(self):
        if self.filtered(lambda t: t.state == "done"):
            raise UserError(self.env._("A done task cannot be cancelled."))
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
