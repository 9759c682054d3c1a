#!/usr/bin/env python3
"""Benchmark of the complaint register export (客户投诉登记表, XLSX) on 50,000 complaints.

Not a test (pytest collects test_*.py only). Run it on a throw-away database where
aftersales_service is installed, e.g.::

    python3 aftersales.py _odoo_tree -d bench_cmp -i aftersales_service --without-demo=all \
        --stop-after-init
    python3 aftersales_service/tests/benchmarks/bench_complaint_register.py -d bench_cmp
    dropdb bench_cmp

It fills the database with ``--count`` complaints (copies of one complaint made with the ORM,
inserted with SQL so that filling takes seconds) and one corrective action per ten complaints,
commits, then, in the same process and as the same user, writes:

- the suite's register (``_write_complaint_register``, the shared spreadsheet writer), and
- Odoo's own list export of the same rows and the same field columns, as ``/web/export/xlsx``
  does it (``search``, ``export_data``, then ``ExcelExport.from_data``),

each once for the wall time and the growth of the process's peak RSS (the register first, so
that its figure is not hidden by the export's larger peak) and once under tracemalloc for the
peak of Python allocations, then prints the ratios register / Odoo export.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[3]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--no-fill", action="store_true", help="export the complaints already in the database"
    )
    return parser.parse_args()


def odoo_env(database):
    import odoo  # noqa: PLC0415

    import odoo.addons  # noqa: PLC0415

    odoo.addons.__path__.insert(0, str(ROOT))
    odoo.tools.config.parse_config(["-d", database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(database)
    return odoo, registry


def fill(env, count):
    """``count`` complaints: one through the ORM, the others copied by SQL."""
    Ticket = env["aftersales.ticket"].with_context(tracking_disable=True, mail_notrack=True)
    partner = env["res.partner"].create({"name": "Benchmark Water Works", "is_company": True})
    product = env["product.product"].create({"name": "Bench pump", "default_code": "BP-1"})
    department = env["hr.department"].create({"name": "Benchmark Technical Dept"})
    template = Ticket.create(
        {
            "title": "Mechanical seal leaking after one week of operation",
            "partner_id": partner.id,
            "ticket_type_id": env.ref("aftersales_service.ticket_type_complaint").id,
            "complaint_category": "quality",
            "severity": "minor",
            "product_id": product.id,
            "quantity": 10,
            "defective_qty": 2,
            "customer_request": "Replace the leaking seals and explain the cause in writing.",
            "responsible_department_id": department.id,
            "root_cause": "Seal faces scratched: supplier lot MS-B37.",
            "final_solution": "Two seals replaced on site, 4 h test run without leak.",
        }
    )
    env.flush_all()
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'aftersales_ticket' AND column_name NOT IN ('id', 'name')"
    )
    columns = [row[0] for row in cr.fetchall()]
    column_list = ", ".join(f'"{c}"' for c in columns)
    select_list = ", ".join(f't."{c}"' for c in columns)
    # the column names come from the catalogue, not from input
    cr.execute(
        f"INSERT INTO aftersales_ticket (name, {column_list}) "  # noqa: S608
        f"SELECT 'BENCH' || lpad(g::text, 6, '0'), {select_list} "
        "FROM aftersales_ticket t, generate_series(1, %s) g WHERE t.id = %s",
        (count - 1, template.id),
    )
    cr.execute(
        "INSERT INTO aftersales_corrective_action "
        "(name, action_type, company_id, department_id, ticket_id, state, create_date, "
        " write_date, create_uid, write_uid) "
        "SELECT 'Tighten incoming inspection', 'corrective', company_id, "
        "responsible_department_id, id, 'draft', now(), now(), 1, 1 "
        "FROM aftersales_ticket WHERE name LIKE %s AND id %% 10 = 0",
        ("BENCH%",),
    )
    env.invalidate_all()


def export_register(env, batch_size):
    """The suite's complaint register of every complaint; (rows, bytes)."""
    with tempfile.TemporaryFile() as fileobj:
        rows = env["aftersales.ticket"]._write_complaint_register(
            [], fileobj, batch_size=batch_size
        )
        return rows, fileobj.tell()


def export_odoo(env, _batch_size):
    """Odoo's list export (``/web/export/xlsx``) of the same rows and field columns."""
    from odoo import http  # noqa: PLC0415

    from odoo.addons.web.controllers.export import ExcelExport  # noqa: PLC0415

    Ticket = env["aftersales.ticket"]
    names = [c.key for c in Ticket._complaint_register_columns() if c.key in Ticket._fields]
    fields = [
        {"name": name, "label": Ticket._fields[name].string, "type": Ticket._fields[name].type}
        for name in names
    ]
    # the export's writer reads the currencies' decimals through the request's environment
    http._request_stack.push(SimpleNamespace(env=env))
    try:
        records = Ticket.search([("is_complaint", "=", True)], order=False)
        rows = records.export_data(names).get("datas", [])
        content = ExcelExport().from_data(fields, [f["label"] for f in fields], rows)
    finally:
        http._request_stack.pop()
    return len(rows), len(content)


def measure(label, function, env, batch_size):
    """Time and RSS growth of one run, then the tracemalloc peak of a second run."""
    env.invalidate_all()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    rows, size = function(env, batch_size)
    elapsed = time.perf_counter() - started
    rss_grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    env.invalidate_all()
    tracemalloc.start()
    function(env, batch_size)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    env.invalidate_all()
    print(
        f"{label}: {rows} rows, {size / 1024 / 1024:.1f} MiB in {elapsed:.1f} s; peak RSS grew by "
        f"{rss_grew:.0f} MiB; peak of Python allocations {peak / 1024 / 1024:.1f} MiB",
        flush=True,
    )
    return elapsed, rss_grew, peak / 1024 / 1024


def main():
    args = parse_args()
    odoo, registry = odoo_env(args.database)
    from odoo import api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not args.no_fill:
            started = time.perf_counter()
            fill(env, args.count)
            cr.commit()
            print(f"filled {args.count} complaints in {time.perf_counter() - started:.1f} s")
        manager = env.ref("base.user_admin")
        manager_env = api.Environment(cr, manager.id, {"lang": "en_US", "tz": "Asia/Shanghai"})
        columns = len(manager_env["aftersales.ticket"]._complaint_register_columns())
        print(f"columns: register {columns} (fields and action counts), Odoo export the fields")
        ours = measure("register   ", export_register, manager_env, args.batch_size)
        odoo_export = measure("Odoo export", export_odoo, manager_env, args.batch_size)
        print(
            f"register / Odoo export: time {ours[0] / odoo_export[0]:.2f}x, "
            f"RSS growth {ours[1]:.0f} MiB against {odoo_export[1]:.0f} MiB, "
            f"Python peak {ours[2]:.1f} MiB against {odoo_export[2]:.1f} MiB"
        )
        cr.rollback()
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
