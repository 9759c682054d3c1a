from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="After-Sales Request",
        index="btree_not_null",
        check_company=True,
        copy=False,
    )
