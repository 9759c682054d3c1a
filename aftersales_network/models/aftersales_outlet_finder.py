from types import SimpleNamespace

from odoo import api, fields, models

# what the public outlet finder shows of an outlet (domain.md §7, the directory)
FINDER_FIELDS = [
    "name",
    "partner_id",
    "level_ids",
    "region_ids",
    "opening_hours",
    "state_id",
    "city",
    "sequence",
]


class AftersalesOutlet(models.Model):
    _inherit = "aftersales.outlet"

    opening_hours = fields.Char(
        translate=True,
        help="Shown to customers in the outlet finder, e.g. Mon-Sat 8:30-17:30.",
    )

    @api.model
    def _finder_search(self, state=None, city=None, zip_code=None):
        """The authorised outlets under a valid agreement serving a place, best match first.

        ``state`` is a res.country.state record (or empty); an outlet serves the place when one
        of its regions matches the postcode, the city or the province.
        """
        if not (state or (city or "").strip() or (zip_code or "").strip()):
            return self.browse()
        outlets = self.search_fetch(
            [("state", "=", "authorized"), ("has_valid_agreement", "=", True)], FINDER_FIELDS
        )
        # the regions and the displayed data of all the outlets in one query per model
        outlets.region_ids.fetch(["state_ids", "cities", "zip_prefixes"])
        outlets.level_ids.fetch(["name", "sequence"])
        outlets.partner_id.fetch(
            ["name", "street", "street2", "city", "zip", "state_id", "phone", "mobile"]
        )
        place = SimpleNamespace(
            zip=(zip_code or "").strip(),
            city=(city or "").strip(),
            state_id=state or self.env["res.country.state"],
        )
        ranked = [(outlet.region_ids._match_rank(place), outlet) for outlet in outlets]
        ranked = [pair for pair in ranked if pair[0]]
        ranked.sort(key=lambda pair: (-pair[0], pair[1].sequence, pair[1].name))
        return self.browse([outlet.id for _rank, outlet in ranked])

    @api.model
    def _finder_provinces(self):
        """The provinces the authorised outlets serve, for the finder's choice."""
        outlets = self.search([("state", "=", "authorized"), ("has_valid_agreement", "=", True)])
        return outlets.region_ids.state_ids.sorted("name")
