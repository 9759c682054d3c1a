import logging
import re

from odoo.tests import HttpCase, tagged

from .menu_walker import MenuWalker
from .role_common import setup_roles

# (login, menus, views, filters) of each run; the repository's conftest prints them
RESULTS = []

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('aftersales_service.menu_aftersales_root');"
)


class ClickCounter(logging.Handler):
    """Counts what the click-everything bot reports in the browser console."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.menus = self.switches = self.filter_count = 0

    def emit(self, record):
        if not record.name.endswith(".browser"):
            return
        message = record.getMessage()
        if message.startswith("Testing menu "):
            self.menus += 1
        elif message.startswith("Testing view switch: "):
            self.switches += 1
        elif match := re.match(r"Testing (\d+) filters", message):
            self.filter_count += int(match.group(1))


@tagged("post_install", "-at_install", "aftersales_browser")
class TestClickEverywhere(HttpCase):
    """Odoo's click-everything bot over the After-Sales app, once per role.

    Each menu, each view type and each filter opens without an error dialog. The bot is slow
    (minutes per role): it runs for the roles of distinct groups; the general manager and the
    storekeeper share the manager's and the engineer's groups, and the menu walker of
    test_menu_access opens every menu as each of them.
    """

    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users, cls.records = setup_roles(cls.env)
        # Menus that download a file (PDF, XLSX) show no screen for the bot to wait for: the
        # menu walker runs them as each role (test_menu_access), the bot skips them.
        menus = cls.env["ir.ui.menu"].search(
            [("id", "child_of", cls.env.ref("aftersales_service.menu_aftersales_root").id)]
        )
        cls.downloads = menus.filtered(
            lambda m: m.action and m.action._name != "ir.actions.act_window"
        )
        cls.downloads.active = False

    def click_everywhere(self, login):
        counter = ClickCounter()
        # the bot's console reaches Python as INFO records of the test's "browser" logger
        logger = logging.getLogger("odoo")
        level = logger.level
        logger.addHandler(counter)
        logger.setLevel(logging.INFO)
        try:
            self.browser_js(
                "/odoo",
                CLICKBOT,
                "odoo.isReady === true",
                login=login,
                timeout=900,
                success_signal="clickbot test succeeded",
            )
        finally:
            logger.removeHandler(counter)
            logger.setLevel(level)
        # the app's own menu, then one view per menu and one per view switch
        menus = counter.menus - 1
        views = counter.menus + counter.switches
        RESULTS.append((login, menus, views, counter.filter_count))
        walker = MenuWalker(self.env(user=self.users[login]))
        self.assertEqual(menus, len(walker.visible_menus()), login)
        return menus

    def test_hotline(self):
        self.click_everywhere("role_hotline")

    def test_engineer(self):
        self.click_everywhere("role_engineer")

    def test_leader(self):
        self.click_everywhere("role_leader")

    def test_manager(self):
        self.click_everywhere("role_manager")

    def test_network_manager(self):
        self.click_everywhere("role_network_manager")

    def test_certification_coordinator(self):
        self.click_everywhere("role_certification")
