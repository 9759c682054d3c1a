from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    outlet_pass_score = fields.Float(
        default=60.0,
        help="Weighted score (out of 100) an outlet needs to pass an evaluation.",
    )
    outlet_reevaluation_days = fields.Integer(
        string="Re-evaluation Notice (days)",
        default=60,
        help="How many days before an agreement ends its re-evaluation is opened.",
    )
