# The suite keeps each feature of a shared model in its own file (training here).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_training_check = fields.Selection(
        related="company_id.aftersales_training_check", readonly=False
    )
    aftersales_warranty_policy_id = fields.Many2one(
        related="company_id.aftersales_warranty_policy_id", readonly=False
    )
