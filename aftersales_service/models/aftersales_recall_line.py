from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

LINE_STATES = [
    ("todo", "To Do"),
    ("contacted", "Contacted"),
    ("done", "Done"),
    ("unreachable", "Unreachable"),
]


class AftersalesRecallLine(models.Model):
    """A unit affected by a recall: the customer who holds it and what was done about it."""

    _name = "aftersales.recall.line"
    _description = "Recalled Unit"
    _order = "recall_id, partner_id, product_id, lot_id, id"
    _rec_name = "lot_id"

    recall_id = fields.Many2one("aftersales.recall", required=True, index=True, ondelete="cascade")
    recall_state = fields.Selection(related="recall_id.state", string="Campaign Status")
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    product_id = fields.Many2one("product.product", required=True)
    lot_id = fields.Many2one("stock.lot", string="Serial / Lot", index="btree_not_null")
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    delivery_date = fields.Date()
    ticket_id = fields.Many2one("aftersales.ticket", string="Request", index="btree_not_null")
    state = fields.Selection(LINE_STATES, default="todo", required=True, index=True)
    note = fields.Char()
    is_waived = fields.Boolean(string="Waived", readonly=True)
    waive_reason = fields.Char(string="Reason for Waiving")
    waived_by_id = fields.Many2one("res.users", readonly=True)

    def _check_open(self):
        if any(line.recall_id.state != "open" for line in self):
            raise UserError(self.env._("Only the units of an open recall can be worked on."))

    def action_contacted(self):
        self._check_open()
        self.write({"state": "contacted"})

    def action_done(self):
        self._check_open()
        self.write({"state": "done"})

    def action_unreachable(self):
        self._check_open()
        self.write({"state": "unreachable"})

    def action_todo(self):
        self._check_open()
        self.write({"state": "todo"})

    def action_waive(self):
        """A manager lets the campaign close without these units; the reason is required."""
        if not self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise AccessError(self.env._("Only an after-sales manager can waive recalled units."))
        self._check_open()
        if any(not (line.waive_reason or "").strip() for line in self):
            raise UserError(self.env._("Give the reason for waiving the unit before waiving it."))
        self.write({"is_waived": True, "waived_by_id": self.env.uid})

    def write(self, vals):
        if {"is_waived", "waived_by_id"} & set(vals) and not self.env.user.has_group(
            "aftersales_service.group_aftersales_manager"
        ):
            raise AccessError(self.env._("Only an after-sales manager can waive recalled units."))
        if "state" in vals:
            self._check_open()
        return super().write(vals)

    @api.constrains("is_waived", "waive_reason")
    def _check_waive_reason(self):
        for line in self:
            if line.is_waived and not (line.waive_reason or "").strip():
                raise ValidationError(self.env._("A waived unit needs the reason for waiving it."))
