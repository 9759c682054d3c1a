"""pytest-odoo imports the addons as odoo.addons.X: from this checkout, even when a copy that
`pip install .` put beside Odoo is on the path too (Odoo only appends its addons path)."""

from pathlib import Path

import odoo.addons

ROOT = str(Path(__file__).resolve().parent)
if ROOT in odoo.addons.__path__:
    odoo.addons.__path__.remove(ROOT)
odoo.addons.__path__.insert(0, ROOT)
