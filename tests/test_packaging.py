"""The wheel carries the three addons under odoo.addons with every file their manifests name."""

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("aftersales_service", "aftersales_network", "aftersales_certification")


def test_wheel_contains_addons_and_their_data(tmp_path):
    # built from a copy: setuptools builds in the source tree, and the test command runs this
    # test on two databases at once
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__"),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not any(n in names for n in ("odoo/__init__.py", "odoo/addons/__init__.py"))
    for addon in ADDONS:
        manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
        prefix = f"odoo/addons/{addon}/"
        assert prefix + "__manifest__.py" in names
        assert prefix + "static/description/icon.png" in names
        for data in manifest.get("data", []) + manifest.get("demo", []):
            assert prefix + data in names, f"{data} of {addon} is missing from the wheel"
        for po in (ROOT / addon / "i18n").glob("*.po*"):
            assert prefix + "i18n/" + po.name in names
