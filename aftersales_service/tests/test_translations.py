"""Every term the suite's addons export has its Simplified Chinese translation."""

import ast
import re
from pathlib import Path

import polib
from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def _demo_xmlids(module, addon_path):
    """External ids of the records that the demo files create (their terms are not shipped)."""
    manifest = ast.literal_eval((addon_path / "__manifest__.py").read_text())
    ids = set()
    for demo in manifest.get("demo", []):
        if demo.endswith(".xml"):
            for xmlid in etree.parse(str(addon_path / demo)).xpath("//record/@id"):
                xmlid = xmlid if "." in xmlid else f"{module}.{xmlid}"
                # a product variant's template gets its own external id
                ids.update((xmlid, f"{xmlid}_product_template"))
    return ids


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _suite_modules(self):
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "aftersales_%"), ("state", "=", "installed")]
        )
        self.assertIn("aftersales_service", modules.mapped("name"))
        return modules.mapped("name")

    def test_zh_cn_complete(self):
        for module in self._suite_modules():
            path = Path(get_module_path(module))
            catalogue = polib.pofile(str(path / "i18n" / "zh_CN.po"))
            translated = {entry.msgid for entry in catalogue if entry.msgstr.strip()}
            demo_ids = _demo_xmlids(module, path)
            reader = TranslationModuleReader(self.env.cr, modules=[module])
            missing = sorted(
                {
                    source
                    for _module, _type, _name, res_id, source, _value, _comments in reader
                    if source
                    and source.strip()
                    and res_id not in demo_ids
                    and source not in translated
                }
            )
            self.assertFalse(
                missing, f"{module}: terms without a zh_CN translation: {missing[:20]}"
            )

    def test_zh_cn_placeholders_match(self):
        for module in self._suite_modules():
            path = Path(get_module_path(module))
            for entry in polib.pofile(str(path / "i18n" / "zh_CN.po")):
                if not entry.msgstr:
                    continue
                self.assertEqual(
                    sorted(PLACEHOLDER.findall(entry.msgid)),
                    sorted(PLACEHOLDER.findall(entry.msgstr)),
                    f"{module}: placeholders differ in {entry.msgid!r}",
                )
