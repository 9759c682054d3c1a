from odoo import fields, models


class AftersalesFeeStandard(models.Model):
    """Repair fee standard (维修收费标准): the published labour price of each service kind."""

    _name = "aftersales.fee.standard"
    _description = "Repair Fee Standard"
    _order = "ticket_type_id"
    _check_company_auto = True

    ticket_type_id = fields.Many2one(
        "aftersales.ticket.type", string="Service Kind", required=True, ondelete="cascade"
    )
    labour_price = fields.Monetary(string="Labour", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    note = fields.Char(help="What the labour price covers, as published to customers.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "kind_company_unique",
            "UNIQUE(ticket_type_id, company_id)",
            "Each service kind has one fee standard per company.",
        ),
        ("labour_positive", "CHECK(labour_price >= 0)", "The labour price cannot be negative."),
    ]
