#!/usr/bin/env python3
"""Benchmark of the indicators (``aftersales.indicator.get_indicators``) over a year of
200,000 requests.

Not a test (pytest collects test_*.py only). Run it on a throw-away database where
aftersales_service is installed, e.g.::

    python3 aftersales.py odoo -d bench_ind -i aftersales_service --without-demo=all \
        --stop-after-init
    python3 aftersales_service/tests/benchmarks/bench_indicators.py -d bench_ind
    dropdb bench_ind

It fills the database with ``--count`` requests spread over 2025 (a third complaints, a third
repairs on 20,000 serial numbers so that repeat repairs exist, the rest consultations; four
in five closed, half of those with a service record), ``--count / 4`` deliveries, commits, then
as the admin user prints the time and the queries of:

- ``get_indicators`` for the year (the company-wide rates: one aggregate query), and
- the pivot's month-by-month ``read_group`` of every rate,

each the best of five runs after one to warm the caches. The bar: under one second for the
year on a small machine; the query count does not depend on the number of requests.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_complaint_register import odoo_env  # noqa: E402  (the same Odoo set-up)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--no-fill", action="store_true", help="use the rows already there")
    return parser.parse_args()


def copy_rows(cr, table, template_id, count, overrides):
    """``count`` copies of row ``template_id`` of ``table``, some columns given as SQL
    expressions of the series number ``g``."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id'",
        (table,),
    )
    columns = [row[0] for row in cr.fetchall()]
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    # table and column names come from the catalogue and this file, not from input
    cr.execute(
        f"INSERT INTO {table} ({names}) SELECT {values} "  # noqa: S608
        f"FROM {table} t, generate_series(1, %s) g WHERE t.id = %s",
        (count, template_id),
    )


def fill(env, count):
    from odoo import Command  # noqa: PLC0415

    Ticket = env["aftersales.ticket"].with_context(tracking_disable=True, mail_notrack=True)
    partner = env["res.partner"].create({"name": "Benchmark Water Works", "is_company": True})
    product = env["product.product"].create(
        {"name": "Bench pump", "is_storable": True, "tracking": "serial"}
    )
    lot = env["stock.lot"].create({"name": "BENCH-LOT-0", "product_id": product.id})
    user = env.ref("base.user_admin")
    template = Ticket.create(
        {
            "title": "Pump stops after a few minutes",
            "partner_id": partner.id,
            "ticket_type_id": env.ref("aftersales_service.ticket_type_repair").id,
            "product_id": product.id,
            "lot_id": lot.id,
        }
    )
    record = env["aftersales.service.record"].create(
        {
            "ticket_id": template.id,
            "technician_ids": [Command.set(user.ids)],
            "work_done": "<p>Impeller replaced.</p>",
        }
    )
    warehouse = env["stock.warehouse"].search([], limit=1)
    move = env["stock.move"].create(
        {
            "name": "Bench delivery",
            "product_id": product.id,
            "product_uom_qty": 1,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": env.ref("stock.stock_location_customers").id,
        }
    )
    move.write({"state": "done"})
    env.flush_all()
    cr = env.cr
    cr.execute(
        "INSERT INTO stock_lot (name, product_id, company_id, create_date, write_date) "
        "SELECT 'BENCH-LOT-' || g, %s, company_id, now(), now() "
        "FROM stock_lot, generate_series(1, 20000) g WHERE id = %s",
        (product.id, lot.id),
    )
    cr.execute("SELECT min(id) FROM stock_lot WHERE name LIKE 'BENCH-LOT-%'")
    first_lot = cr.fetchone()[0]
    types = [
        env.ref(f"aftersales_service.ticket_type_{code}").id
        for code in ("complaint", "repair", "consultation")
    ]
    codes = "ARRAY['complaint', 'repair', 'consultation']"
    done = env.ref("aftersales_service.stage_done").id
    received = (
        "(timestamp '2025-01-01' + (g %% 365) * interval '1 day' + (g %% 9) * interval '1 hour')"
    )
    copy_rows(
        cr,
        "aftersales_ticket",
        template.id,
        count,
        {
            "name": "'BENCH' || lpad(g::text, 7, '0')",
            "ticket_type_id": f"(ARRAY{types})[g %% 3 + 1]",
            "ticket_type_code": f"({codes})[g %% 3 + 1]",
            "is_complaint": "(g %% 3 = 0)",
            "lot_id": f"CASE WHEN g %% 3 = 1 THEN {first_lot} + g %% 20000 END",
            "request_date": received,
            "response_deadline": f"{received} + interval '4 hours'",
            "first_response_date": f"{received} + (g %% 6) * interval '1 hour'",
            "is_closed": "(g %% 5 != 0)",
            "stage_id": f"CASE WHEN g %% 5 != 0 THEN {done} ELSE t.stage_id END",
            "closed_date": f"CASE WHEN g %% 5 != 0 THEN {received} + interval '2 days' END",
            "resolve_working_hours": "CASE WHEN g %% 5 != 0 THEN 16 ELSE 0 END",
            "is_dap": "(g %% 97 = 0)",
        },
    )
    cr.execute(
        "SELECT id FROM aftersales_ticket WHERE name LIKE 'BENCH%' AND is_closed AND id % 2 = 0"
    )
    closed = [row[0] for row in cr.fetchall()]
    cr.execute("CREATE TEMP TABLE bench_closed (n serial PRIMARY KEY, ticket_id int)")
    cr.execute("INSERT INTO bench_closed (ticket_id) SELECT unnest(%s)", (closed,))
    copy_rows(
        cr,
        "aftersales_service_record",
        record.id,
        len(closed),
        {
            "name": "'BSR' || g",
            "ticket_id": "(SELECT ticket_id FROM bench_closed WHERE n = g)",
        },
    )
    copy_rows(
        cr,
        "stock_move",
        move.id,
        count // 4,
        {
            "date": "timestamp '2025-01-01' + (g %% 365) * interval '1 day'",
            "product_uom_qty": "1 + g %% 5",
            "product_qty": "1 + g %% 5",
        },
    )
    cr.execute("ANALYZE")
    env.invalidate_all()


def best_of(function, runs=5):
    function()
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


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
            print(f"filled {args.count} requests in {time.perf_counter() - started:.1f} s")
        admin = api.Environment(cr, env.ref("base.user_admin").id, {"lang": "en_US"})
        Indicator = admin["aftersales.indicator"]
        rates = [
            "complaint_rate",
            "response_compliance_rate",
            "complaint_handling_rate",
            "repeat_repair_rate",
            "dap_rate",
            "first_time_fix_rate",
            "mean_resolve_hours",
        ]
        year = [("date", ">=", "2025-01-01"), ("date", "<=", "2025-12-31")]

        def year_figures():
            return Indicator.get_indicators("2025-01-01", "2025-12-31")

        def by_month():
            return Indicator.read_group(year, [f"{r}:sum" for r in rates], ["date:month"])

        for label, function in (
            ("get_indicators, a year", year_figures),
            ("pivot by month, 7 rates", by_month),
        ):
            queries_before = cr.sql_log_count
            function()
            queries = cr.sql_log_count - queries_before
            print(f"{label}: {best_of(function) * 1000:.0f} ms, {queries} queries", flush=True)
        print({key: round(value, 4) for key, value in year_figures().items()})
        cr.rollback()
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
