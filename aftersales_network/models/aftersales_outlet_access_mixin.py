from odoo import api, models
from odoo.exceptions import AccessError


class AftersalesOutletAccessMixin(models.AbstractModel):
    """Records of an outlet (``outlet_id``) that the outlet's portal users work on: requests,
    service records, monthly reports. The one access check of the outlet's users."""

    _name = "aftersales.outlet.access.mixin"
    _description = "Records of a Service Outlet"

    @api.model
    def _outlet_user_domain(self):
        """The records of the outlets of the current user's company (the outlet's users)."""
        return [("outlet_id.partner_id", "=", self.env.user.commercial_partner_id.id)]

    def _check_outlet_user(self, message=None):
        """The current user may read these records (access rights and record rules) and works
        for the outlet of each of them; else AccessError with ``message``."""
        self.check_access("read")
        user_partner = self.env.user.commercial_partner_id
        # sudo: reading the outlet's partner of records the user may read (checked above)
        for record in self.sudo():
            if record.outlet_id.partner_id.commercial_partner_id != user_partner:
                raise AccessError(
                    message
                    or self.env._("Only the outlet the request is dispatched to can do this.")
                )
