from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    outlet_id = fields.Many2one(
        "aftersales.outlet",
        string="Service Outlet",
        related="ticket_id.outlet_id",
        store=True,
        index="btree_not_null",
        readonly=True,
    )
    done_date = fields.Datetime(
        string="Repaired On",
        readonly=True,
        copy=False,
        help="When the repair was ended; its fee is compared with the agreement valid that day.",
    )

    def action_repair_done(self):
        res = super().action_repair_done()
        self.filtered(lambda repair: repair.state == "done" and not repair.done_date).write(
            {"done_date": fields.Datetime.now()}
        )
        return res
