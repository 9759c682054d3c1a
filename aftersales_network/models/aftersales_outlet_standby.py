# The outlet's standby stock is a feature of its own: its fields sit with it.
# pylint: disable=consider-merging-classes-inherited
import math

from odoo import fields, models
from odoo.osv import expression

from .aftersales_outlet_region import _split


class AftersalesOutletRegion(models.Model):
    _inherit = "aftersales.outlet.region"

    def _partner_domain(self):
        """Domain of the addresses the regions cover (province, city or postcode)."""
        domains = []
        for region in self:
            if region.state_ids:
                domains.append([("state_id", "in", region.state_ids.ids)])
            domains += [[("city", "ilike", city)] for city in _split(region.cities)]
            domains += [[("zip", "=like", f"{prefix}%")] for prefix in _split(region.zip_prefixes)]
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN


class AftersalesOutlet(models.Model):
    _inherit = "aftersales.outlet"

    standby_location_id = fields.Many2one(
        "stock.location",
        string="Standby Units Stock",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
        check_company=True,
        help="Where the outlet keeps its standby units (备机).",
    )
    standby_qty = fields.Float(
        string="Standby Units", compute="_compute_standby", digits="Product Unit of Measure"
    )
    field_unit_qty = fields.Float(
        string="Units in the Field",
        compute="_compute_standby",
        digits="Product Unit of Measure",
        help="Units delivered to customers in the regions the outlet serves, less returns.",
    )
    standby_required_ratio = fields.Float(
        string="Agreed Standby Ratio (%)",
        compute="_compute_standby",
        help="The standby unit ratio of the outlet's current agreement.",
    )
    standby_required_qty = fields.Integer(
        string="Standby Units Required",
        compute="_compute_standby",
        help="Units in the field × the agreed ratio, rounded up.",
    )
    is_standby_short = fields.Boolean(string="Short of Standby Units", compute="_compute_standby")

    def _compute_standby(self):
        # sudo: the figures are counts; network staff need neither inventory rights nor the
        # agreement's other terms to see whether the outlet keeps enough standby units
        Quant = self.env["stock.quant"].sudo()
        Unit = self.env["aftersales.installed.unit"].sudo()
        for outlet in self:
            stock = 0.0
            if outlet.standby_location_id:
                stock = Quant._read_group(
                    [("location_id", "child_of", outlet.standby_location_id.id)],
                    aggregates=["quantity:sum"],
                )[0][0]
            in_field = 0.0
            if outlet.region_ids:
                in_field = Unit._read_group(
                    [
                        ("company_id", "=", outlet.company_id.id),
                        ("site_partner_id", "any", outlet.region_ids._partner_domain()),
                    ],
                    aggregates=["quantity:sum"],
                )[0][0]
            ratio = outlet.sudo().current_agreement_id.standby_ratio
            outlet.standby_qty = stock or 0.0
            outlet.field_unit_qty = in_field or 0.0
            outlet.standby_required_ratio = ratio
            outlet.standby_required_qty = math.ceil(round((in_field or 0.0) * ratio / 100.0, 6))
            outlet.is_standby_short = outlet.standby_qty < outlet.standby_required_qty
