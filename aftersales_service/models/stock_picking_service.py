from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="After-Sales Request",
        index="btree_not_null",
        copy=False,
        help="The after-sales request this return or replacement was made for.",
    )
    # the transfers that lend and take back a standby unit (备机)
    aftersales_standby_loan_id = fields.Many2one(
        "aftersales.standby.loan",
        string="Standby Loan",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_service_record_id = fields.Many2one(
        "aftersales.service.record",
        string="Service Record",
        index="btree_not_null",
        copy=False,
    )
