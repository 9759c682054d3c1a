"""Customers read the public service policies in force (warranty terms, fees, commitments)."""

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

POLICY_MODEL = "aftersales.policy"


class PolicyPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_policy_count" in counters:
            Policy = request.env[POLICY_MODEL]
            values["aftersales_policy_count"] = (
                Policy.search_count(self._aftersales_policy_domain())
                if Policy.has_access("read")
                else 0
            )
        return values

    def _aftersales_policy_domain(self):
        """The published public policies; record rules add the company of the customer.

        Internal users visiting /my see the same customer view, not the whole policy set.
        """
        return [("state", "=", "published"), ("is_public", "=", True)]

    @http.route(["/my/policies"], type="http", auth="user", website=True)
    def portal_my_policies(self, **kwargs):
        Policy = request.env[POLICY_MODEL]
        policies = (
            Policy.search(self._aftersales_policy_domain()) if Policy.has_access("read") else Policy
        )
        values = self._prepare_portal_layout_values()
        values.update({"policies": policies, "page_name": "aftersales_policies"})
        return request.render("aftersales_service.portal_my_policies", values)

    @http.route(["/my/policies/<int:policy_id>"], type="http", auth="user", website=True)
    def portal_my_policy(self, policy_id, **kwargs):
        Policy = request.env[POLICY_MODEL]
        # searched as the user: the record rules hide drafts, non-public and other companies'
        policy = (
            Policy.search([("id", "=", policy_id), *self._aftersales_policy_domain()], limit=1)
            if Policy.has_access("read")
            else Policy
        )
        if not policy:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"policy": policy, "page_name": "aftersales_policy"})
        return request.render("aftersales_service.portal_my_policy", values)
