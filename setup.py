"""Packaging of the after-sales suite: the three addons as ``odoo.addons.aftersales_*``.

``pip install .`` puts them beside an installed Odoo 18.0 so that its server finds them without
any change to its addons path; the repository root itself is also a valid addons path.
"""

import ast
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
ADDONS = ("aftersales_service", "aftersales_network", "aftersales_certification")


def _manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))


def _packages():
    """Every Python package of each addon, mapped under the odoo.addons namespace."""
    packages, package_dir, package_data = [], {}, {}
    for addon in ADDONS:
        base = ROOT / addon
        for init in sorted(base.rglob("__init__.py")):
            rel = init.parent.relative_to(ROOT)
            name = "odoo.addons." + ".".join(rel.parts)
            packages.append(name)
            package_dir[name] = rel.as_posix()
        # data files (XML, CSV, PO, static assets, readme) that are not Python modules
        package_data["odoo.addons." + addon] = [
            p.relative_to(base).as_posix()
            for p in base.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
        ]
    return packages, package_dir, package_data


def _test_requirements():
    lines = (ROOT / "requirements-test.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


packages, package_dir, package_data = _packages()

setup(
    name="odoo-aftersales-suite",
    version=_manifest("aftersales_service")["version"],
    description="After-sales service suite for Odoo 18.0 Community: requests, complaints, "
    "service network and certification",
    long_description=(ROOT / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="LGPL-3",
    python_requires=">=3.10,<3.13",
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    zip_safe=False,
    install_requires=["odoo>=18.0,<18.1", "xlsxwriter"],
    extras_require={"test": _test_requirements(), "embedded-db": ["pgserver"]},
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        "Programming Language :: Python :: 3",
    ],
)
