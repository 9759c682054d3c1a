# The suite keeps each feature of a shared model in its own file (training here).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_training_check = fields.Selection(
        [("block", "Block the assignment"), ("warn", "Warn only")],
        string="Untrained Assignees",
        default="block",
        required=True,
        help="What happens when a request is assigned to an employee who is not trained on the "
        "current revisions of the policies their job requires.",
    )
    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.policy",
        string="Warranty Policy",
        domain="[('state', '=', 'published'), ('company_id', '=', id)]",
        help="The policy revision that defines the warranty periods; each request records the "
        "revision in force when its warranty was judged.",
    )
