from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFoundation(TransactionCase):
    """Groups, their implications, the root menu and the settings section."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, "as_user", groups="aftersales_service.group_aftersales_user"
        )
        cls.manager = new_test_user(
            cls.env, "as_test_manager", groups="aftersales_service.group_aftersales_manager"
        )
        cls.employee = new_test_user(cls.env, "as_employee", groups="base.group_user")

    def test_group_implications(self):
        user_group = self.env.ref("aftersales_service.group_aftersales_user")
        for xmlid in (
            "aftersales_service.group_aftersales_manager",
            "aftersales_service.group_network_manager",
            "aftersales_service.group_certification_coordinator",
        ):
            group = self.env.ref(xmlid)
            self.assertIn(user_group, group.trans_implied_ids, xmlid)
        self.assertTrue(self.manager.has_group("aftersales_service.group_aftersales_user"))
        self.assertFalse(self.user.has_group("aftersales_service.group_aftersales_manager"))
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("aftersales_service.group_aftersales_manager")
        )

    def test_menus_follow_the_groups(self):
        menus = self.env["ir.ui.menu"]
        root = self.env.ref("aftersales_service.menu_aftersales_root")
        config = self.env.ref("aftersales_service.menu_aftersales_config")
        settings = self.env.ref("aftersales_service.menu_aftersales_config_settings")
        self.assertEqual(
            config.groups_id, self.env.ref("aftersales_service.group_aftersales_manager")
        )
        # the administrator reaches the settings through the After-Sales configuration
        admin_menus = menus.with_user(self.env.ref("base.user_admin"))._visible_menu_ids()
        self.assertTrue({root.id, config.id, settings.id} <= admin_menus)
        # a plain user or employee never sees the configuration
        for user in (self.user, self.employee):
            self.assertNotIn(config.id, menus.with_user(user)._visible_menu_ids())

    def test_settings_offer_the_other_addons(self):
        settings = self.env["res.config.settings"].create({})
        self.assertIn("module_aftersales_network", settings._fields)
        self.assertIn("module_aftersales_certification", settings._fields)
        # both are installed in the test database, so the settings show them switched on
        self.assertTrue(settings.module_aftersales_network)
        self.assertTrue(settings.module_aftersales_certification)
