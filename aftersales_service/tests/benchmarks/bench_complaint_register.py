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
commits, then exports the register twice as an After-Sales manager: once for the wall time and
the growth of the process's peak RSS, once under tracemalloc for the peak of Python allocations.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

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


def export(env, batch_size):
    with tempfile.TemporaryFile() as fileobj:
        rows = env["aftersales.ticket"]._write_complaint_register(
            [], fileobj, batch_size=batch_size
        )
        return rows, fileobj.tell()


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

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        rows, size = export(manager_env, args.batch_size)
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"export: {rows} rows, {size / 1024 / 1024:.1f} MiB in {elapsed:.1f} s; "
            f"peak RSS {rss_after / 1024:.0f} MiB (grew by {(rss_after - rss_before) / 1024:.0f}"
            " MiB during the export)"
        )

        manager_env.invalidate_all()
        tracemalloc.start()
        started = time.perf_counter()
        export(manager_env, args.batch_size)
        traced = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"export under tracemalloc: peak of Python allocations {peak / 1024 / 1024:.1f} MiB "
            f"({traced:.1f} s, slowed down by tracing)"
        )
        cr.rollback()
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
