from odoo import fields, models
from odoo.tools import SQL


class AftersalesIndicator(models.Model):
    """The indicators by outlet too: the outlet a request was dispatched to."""

    _inherit = "aftersales.indicator"

    outlet_id = fields.Many2one("aftersales.outlet", readonly=True)

    def _indicator_dimensions(self):
        return [*super()._indicator_dimensions(), "outlet_id"]

    def _indicator_parts(self):
        parts = super()._indicator_parts()
        parts["tickets"][1]["outlet_id"] = SQL("t.outlet_id")
        return parts
