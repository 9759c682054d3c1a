"""pytest-odoo runs the tests of this checkout, never a copy that `pip install .` left behind."""

from pathlib import Path

import odoo.addons

ROOT = str(Path(__file__).resolve().parent)
if ROOT in odoo.addons.__path__:
    odoo.addons.__path__.remove(ROOT)
odoo.addons.__path__.insert(0, ROOT)
