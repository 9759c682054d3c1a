from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesOutletEngineer(models.Model):
    """An outlet engineer: a contact trained and certified for some repair levels."""

    _name = "aftersales.outlet.engineer"
    _description = "Outlet Engineer"
    _order = "outlet_id, name"

    outlet_id = fields.Many2one("aftersales.outlet", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="outlet_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Contact", required=True)
    name = fields.Char(related="partner_id.name", store=True)
    active = fields.Boolean(default=True)
    level_ids = fields.Many2many(
        "aftersales.outlet.level",
        string="Certified Levels",
        help="The repair levels the engineer was trained and certified for.",
    )
    training_date = fields.Date(string="Trained On")
    certificate_number = fields.Char(string="Certificate No.")
    certified_date = fields.Date(string="Certified On")

    @api.constrains("level_ids", "outlet_id")
    def _check_levels_of_outlet(self):
        for engineer in self:
            extra = engineer.level_ids - engineer.outlet_id.level_ids
            if extra:
                raise ValidationError(
                    self.env._(
                        "%(engineer)s cannot hold levels their outlet does not have: %(levels)s.",
                        engineer=engineer.name,
                        levels=", ".join(extra.mapped("name")),
                    )
                )
