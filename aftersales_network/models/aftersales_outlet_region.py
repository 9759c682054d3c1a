from odoo import api, fields, models


def _split(value):
    return [
        part.strip().casefold()
        for part in (value or "").replace("，", ",").split(",")
        if part.strip()
    ]


class AftersalesOutletRegion(models.Model):
    """An area served by outlets: provinces, cities and postcode prefixes."""

    _name = "aftersales.outlet.region"
    _description = "Outlet Service Region"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    state_ids = fields.Many2many("res.country.state", string="Provinces")
    cities = fields.Char(help="City names separated by commas, e.g. Hangzhou, 杭州, Ningbo.")
    zip_prefixes = fields.Char(
        string="Postcode Prefixes", help="Postcode beginnings separated by commas, e.g. 310, 315."
    )
    outlet_ids = fields.Many2many(
        "aftersales.outlet",
        "aftersales_outlet_region_rel",
        "region_id",
        "outlet_id",
        string="Outlets",
        readonly=True,
    )

    @api.model
    def _match_rank(self, partner):
        """How closely the regions match an address: 3 postcode, 2 city, 1 province, 0 none."""
        best = 0
        zip_code = (partner.zip or "").replace(" ", "")
        city = (partner.city or "").casefold()
        for region in self:
            if zip_code and any(zip_code.startswith(p) for p in _split(region.zip_prefixes)):
                return 3
            if city and any(c in city for c in _split(region.cities)):
                best = max(best, 2)
            elif partner.state_id and partner.state_id in region.state_ids:
                best = max(best, 1)
        return best
