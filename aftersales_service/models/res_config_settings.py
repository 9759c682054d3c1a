from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_aftersales_network = fields.Boolean(
        string="Service Network",
        help="Manage the authorised service outlets and providers that work on the company's "
        "behalf, and dispatch requests to them.",
    )
    module_aftersales_certification = fields.Boolean(
        string="Certification",
        help="Keep the company's after-sales certificates valid through audits, change and "
        "recertification applications.",
    )
