from odoo.tests import TransactionCase, tagged

from .menu_walker import MenuWalker
from .role_common import ROLES, setup_roles


@tagged("post_install", "-at_install")
class TestMenuAccess(TransactionCase):
    """Every menu a role sees opens its views, filters and records without an access error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users, cls.records = setup_roles(cls.env)

    def _walker(self, login):
        return MenuWalker(self.env(user=self.users[login]))

    def test_every_role_opens_every_menu_it_sees(self):
        for login in ROLES:
            if login == "role_production_head":
                continue
            with self.subTest(role=login):
                walker = self._walker(login)
                opened = walker.walk()
                menus = {menu for menu, _model, _view in opened}
                self.assertEqual(menus, walker.visible_menu_xmlids())
                self.assertIn("aftersales_service.menu_aftersales_ticket_all", menus)
                view_types = {view for _menu, model, view in opened if model}
                self.assertLessEqual({"list", "kanban", "form", "search"}, view_types)

    def test_a_menu_shows_only_to_who_may_read_its_model(self):
        menus = self.env["ir.ui.menu"].search(
            [("id", "child_of", self.env.ref("aftersales_service.menu_aftersales_root").id)]
        )
        window_menus = {
            xmlid: menu.action.sudo().res_model
            for menu in menus
            if menu.action and menu.action._name == "ir.actions.act_window"
            for xmlid in [menu.get_external_id()[menu.id]]
        }
        for login in ROLES:
            with self.subTest(role=login):
                env = self.env(user=self.users[login])
                visible = MenuWalker(env).visible_menu_xmlids()
                hidden_models = {
                    model for model in window_menus.values() if not env[model].has_access("read")
                }
                shown = {window_menus[xmlid] for xmlid in visible if xmlid in window_menus}
                self.assertFalse(shown & hidden_models, login)

    def test_department_head_outside_after_sales(self):
        """The production head has no After-Sales app, and reads the published policies in HR."""
        walker = self._walker("role_production_head")
        self.assertFalse(walker.visible_menus())
        menu = self.env.ref("aftersales_service.menu_hr_aftersales_policy")
        walker.open_menu({"xmlid": "hr_policy", "action": f"{menu.action._name},{menu.action.id}"})
        self.assertIn(("hr_policy", "aftersales.policy", "kanban"), walker.opened)
        # the form of a published policy opens too, without the yearly reviews he may not read
        self.assertIn(("hr_policy", "aftersales.policy", "form"), walker.opened)
