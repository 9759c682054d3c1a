from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_service.tests.menu_walker import MenuWalker
from odoo.addons.aftersales_service.tests.role_common import setup_roles

AGREEMENTS_MENU = "aftersales_network.menu_network_agreement"


@tagged("post_install", "-at_install")
class TestNetworkMenuAccess(TransactionCase):
    """Agreements (fees, terms) are read by the network and After-Sales managers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users, cls.records = setup_roles(cls.env)

    def test_staff_see_outlets_not_their_agreements(self):
        for login in ("role_hotline", "role_engineer", "role_leader"):
            env = self.env(user=self.users[login])
            walker = MenuWalker(env)
            self.assertNotIn(AGREEMENTS_MENU, walker.visible_menu_xmlids())
            self.assertFalse(env["aftersales.outlet.agreement"].has_access("read"))
            outlet = self.records["outlet"].with_env(env)
            # they still know the outlet may take work, without the agreement's terms
            self.assertTrue(outlet.has_valid_agreement)
            # the same outlets as an administrator finds (other outlets may be in the database)
            found = env["aftersales.outlet"].search([("has_valid_agreement", "=", True)])
            self.assertIn(outlet, found)
            self.assertEqual(
                found.ids,
                self.env["aftersales.outlet"].search([("has_valid_agreement", "=", True)]).ids,
            )
            arch = outlet.get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertNotIn('name="current_agreement_id"', arch)
            self.assertNotIn('name="agreement_count"', arch)
            action = self.env.ref("aftersales_network.action_aftersales_outlet")
            walker.open_menu(
                {
                    "xmlid": "aftersales_network.menu_network_outlet",
                    "action": f"ir.actions.act_window,{action.id}",
                }
            )
            self.assertIn(
                ("aftersales_network.menu_network_outlet", "aftersales.outlet", "form"),
                walker.opened,
            )

    def test_managers_read_agreements(self):
        for login in ("role_manager", "role_network_manager"):
            env = self.env(user=self.users[login])
            self.assertIn(AGREEMENTS_MENU, MenuWalker(env).visible_menu_xmlids())
            outlet = self.records["outlet"].with_env(env)
            self.assertEqual(outlet.current_agreement_id, self.records["agreement"])
            self.assertEqual(outlet.agreement_count, 1)
            arch = outlet.get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn('name="current_agreement_id"', arch)
