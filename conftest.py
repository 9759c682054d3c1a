"""pytest-odoo imports the addons as odoo.addons.X: from this checkout, even when a copy that
`pip install .` put beside Odoo is on the path too (Odoo only appends its addons path)."""

import sys
from pathlib import Path

import odoo.addons

ROOT = str(Path(__file__).resolve().parent)
if ROOT in odoo.addons.__path__:
    odoo.addons.__path__.remove(ROOT)
odoo.addons.__path__.insert(0, ROOT)


def pytest_terminal_summary(terminalreporter):
    """Show what the click-everything bot visited per role, and say loudly if no browser ran."""
    module = sys.modules.get("odoo.addons.aftersales_service.tests.test_click_everywhere")
    results = getattr(module, "RESULTS", ())
    if results:
        terminalreporter.section("After-Sales click-everything per role")
    for login, menus, views, filters in results:
        terminalreporter.write_line(
            f"{login:<24} {menus:>3} menus  {views:>3} views  {filters:>4} filters: no error"
        )
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", ())
        if "chrome" in str(report.longrepr).lower() or "browser" in str(report.longrepr).lower()
    ]
    if skipped:
        terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} browser tests (click-everything per role, tours) were SKIPPED: "
            "no Chrome or Chromium was found. Install Chromium to run them.",
            red=True,
            bold=True,
        )
