# The suite keeps each feature of a shared model in its own file (warranty and DAP here).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_warranty_months = fields.Integer(
        string="Default Warranty (months)",
        default=12,
        help="Warranty period of products that do not set their own.",
    )
    aftersales_dap_days = fields.Integer(
        string="DAP Period (days)",
        default=15,
        help="A quality failure within this many days after delivery is dead after purchase "
        "(DAP): the request is raised and an exchange is offered first.",
    )
