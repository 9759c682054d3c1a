#!/usr/bin/env python3
"""Load test of the after-sales suite by role, in Odoo's multi-worker mode.

    python3 tests/benchmarks/load_roles.py [--sessions N] [--seconds S] [--workers N]
                                           [--db NAME] [--keep-db]

Builds a throw-away database with the three addons and their demo data (or uses ``--db``, an
existing one with the demo data, kept), serves it with ``--workers``, and runs N web-client
sessions of each role of the demo company at once, each doing its daily work over JSON-RPC as
the web client does (the outlet through its portal pages):

- hotline clerk (as_hotline): registers a request, reads the request list, adds a note;
- engineers (as_engineer1, as_engineer2): my open requests, opens one, writes a service record,
  moves the request to another open stage;
- team leader (as_leader): the kanban by stage, assigns a request to an engineer;
- manager (as_manager): graph by month, pivot by team and stage, the complaints list;
- outlet (outlet_hz01, portal): its requests page, one request, reports progress on it.

Then checks that every request, service record and message a client was told was saved is in
the database, and prints calls/s, p95 per operation, errors and lost records.
"""

import argparse
import re
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
from benchlib import say  # noqa: E402

STEM = "aftersales_bench_roles"
TICKET = "aftersales.ticket"
RECORD = "aftersales.service.record"
ROLE_LOGINS = {
    "hotline": ("as_hotline",),
    "engineer": ("as_engineer1", "as_engineer2"),
    "leader": ("as_leader",),
    "manager": ("as_manager",),
    "outlet": ("outlet_hz01",),
}
RUN = uuid.uuid4().hex[:8]


class RoleSession(benchlib.WebSession):
    """A web-client session of one role with what it learnt at login."""

    def setup(self, role, shared):
        self.role = role
        self.authenticate()
        self.tickets = []
        self.n = 0
        if role == "outlet":
            return
        if TICKET not in shared:
            views = self.call(TICKET, "get_views", [[False, "list"], [False, "form"]], options={})
            shared[TICKET] = benchlib.specifications_of(views, TICKET, ("list", "form"))
        self.specs = shared[TICKET]
        self.open_stages = self.call(
            "aftersales.ticket.stage",
            "search",
            [("is_closed", "=", False), ("is_cancel", "=", False)],
        )
        if role == "hotline":
            self.customers = self.call(
                "res.partner", "search", [("is_company", "=", True)], limit=30
            ) or [self.call("res.users", "read", [self.uid], ["partner_id"])[0]["partner_id"][0]]
        if role == "leader":
            self.engineers = self.call(
                "res.users", "search", [("login", "in", list(ROLE_LOGINS["engineer"]))]
            )

    def token(self):
        self.n += 1
        return f"bench-{RUN}-{self.role}-{id(self) % 100000}-{self.n}"


def timed(stats, op, fn, *args, **kwargs):
    return benchlib.timed(stats, op, fn, *args, **kwargs)


def step_hotline(client, stats, rng, i):
    op = ("create", "list", "note")[i % 3]
    if op == "create":
        vals = {
            "title": f"Pump trips after start-up {client.token()}",
            "partner_id": rng.choice(client.customers),
            "channel": "phone",
            "description": "<p>Customer called the hotline.</p>",
        }
        result = timed(
            stats,
            "hotline: register a request",
            client.call,
            TICKET,
            "web_save",
            [],
            vals,
            specification=client.specs["form"],
        )
        if result:
            client.tickets.append(result[0]["id"])
            stats.saved_id(TICKET, result[0]["id"])
    elif op == "list":
        timed(
            stats,
            "hotline: request list",
            client.call,
            TICKET,
            "web_search_read",
            [],
            specification=client.specs["list"],
            limit=80,
            count_limit=10001,
        )
    elif client.tickets:
        message = timed(
            stats,
            "hotline: add a note",
            client.message_post,
            TICKET,
            client.tickets[-1],
            f"<p>Called the customer back: {client.token()}</p>",
        )
        if message:
            stats.saved_id("mail.message", message)


def step_engineer(client, stats, rng, i):
    op = ("mine", "open", "record", "move")[i % 4]
    if op == "mine" or not client.tickets:
        result = timed(
            stats,
            "engineer: my open requests",
            client.call,
            TICKET,
            "web_search_read",
            [("user_id", "=", client.uid), ("is_closed", "=", False)],
            specification=client.specs["list"],
            limit=80,
            count_limit=10001,
        )
        if result and result["records"]:
            client.tickets = [r["id"] for r in result["records"]]
        elif result is not None and not client.tickets:
            visible = client.call(TICKET, "search", [("is_closed", "=", False)], limit=80)
            client.tickets = visible
        return
    rid = rng.choice(client.tickets)
    if op == "open":
        timed(
            stats,
            "engineer: open a request",
            client.call,
            TICKET,
            "web_read",
            [rid],
            specification=client.specs["form"],
        )
    elif op == "record":
        result = timed(
            stats,
            "engineer: write a service record",
            client.call,
            RECORD,
            "web_save",
            [],
            {"ticket_id": rid, "work_done": f"<p>Replaced the seal. {client.token()}</p>"},
            specification={"name": {}, "state": {}},
        )
        if result:
            stats.saved_id(RECORD, result[0]["id"])
    else:
        timed(
            stats,
            "engineer: move to another stage",
            client.call,
            TICKET,
            "web_save",
            [rid],
            {"stage_id": rng.choice(client.open_stages)},
            specification=client.specs["form"],
        )


def _kanban(client):
    domain = [("is_closed", "=", False)]
    groups = client.call(TICKET, "web_read_group", domain, ["stage_id"], ["stage_id"])
    ids = []
    for group in groups["groups"]:
        if group.get("__fold"):
            continue
        page = client.call(
            TICKET,
            "web_search_read",
            group["__domain"],
            specification=client.specs["list"],
            limit=40,
        )
        ids += [r["id"] for r in page["records"]]
    return ids


def step_leader(client, stats, rng, i):
    if i % 2 == 0 or not client.tickets:
        ids = timed(stats, "leader: kanban by stage", _kanban, client)
        if ids:
            client.tickets = ids
    elif client.engineers:
        timed(
            stats,
            "leader: assign a request",
            client.call,
            TICKET,
            "web_save",
            [rng.choice(client.tickets)],
            {"user_id": rng.choice(client.engineers)},
            specification=client.specs["form"],
        )


def step_manager(client, stats, rng, i):
    op = i % 3
    if op == 0:
        timed(
            stats,
            "manager: graph by month",
            client.call,
            TICKET,
            "read_group",
            [],
            ["__count"],
            ["request_date:month"],
            lazy=False,
        )
    elif op == 1:
        timed(
            stats,
            "manager: pivot by team and stage",
            client.call,
            TICKET,
            "read_group",
            [],
            ["__count"],
            ["team_id", "stage_id"],
            lazy=False,
        )
    else:
        timed(
            stats,
            "manager: complaints list",
            client.call,
            TICKET,
            "web_search_read",
            [("ticket_type_code", "=", "complaint")],
            specification=client.specs["list"],
            limit=80,
            count_limit=10001,
        )


CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
OUTLET_LINK = re.compile(r"/my/outlet/request/(\d+)")


def step_outlet(client, stats, rng, i):
    op = ("list", "open", "progress")[i % 3]
    if op == "list" or not client.tickets:
        page = timed(stats, "outlet: its requests page", client.get, "/my/outlet?filterby=all")
        if page:
            client.tickets = sorted({int(x) for x in OUTLET_LINK.findall(page)})
        return
    rid = rng.choice(client.tickets)
    page = timed(stats, "outlet: open a request", client.get, f"/my/outlet/request/{rid}")
    if op == "open" or not page:
        return
    csrf = CSRF.search(page)
    if not csrf or f"/my/outlet/request/{rid}/progress" not in page:
        return  # the request is not one it has accepted: no progress form to send
    token = client.token()
    location = timed(
        stats,
        "outlet: report progress",
        client.post_form,
        f"/my/outlet/request/{rid}/progress",
        {"csrf_token": csrf.group(1), "message": f"Engineer on site {token}"},
    )
    if location is not None and "error=" not in location:
        stats.saved_id("outlet progress", token)
    elif location is not None:
        stats.error("outlet: report progress", f"refused: {location}")


STEPS = {
    "hotline": step_hotline,
    "engineer": step_engineer,
    "leader": step_leader,
    "manager": step_manager,
    "outlet": step_outlet,
}


def step(client, stats, rng, i):
    STEPS[client.role](client, stats, rng, i)


def count_lost(db, stats):
    import odoo  # noqa: PLC0415

    lost = {}
    with odoo.sql_db.db_connect(db).cursor() as cr:
        for kind, table in (
            (TICKET, "aftersales_ticket"),
            (RECORD, "aftersales_service_record"),
            ("mail.message", "mail_message"),
        ):
            ids = sorted(stats.saved.get(kind, ()))
            found = 0
            if ids:
                cr.execute(f"SELECT count(*) FROM {table} WHERE id = ANY(%s)", [ids])  # noqa: S608
                found = cr.fetchone()[0]
            lost[kind] = (len(ids), len(ids) - found)
        tokens = sorted(stats.saved.get("outlet progress", ()))
        found = 0
        for token in tokens:
            cr.execute(
                "SELECT count(*) FROM mail_message WHERE model = %s AND body LIKE %s",
                [TICKET, f"%{token}%"],
            )
            found += bool(cr.fetchone()[0])
        lost["outlet progress message"] = (len(tokens), len(tokens) - found)
    return lost


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=4, help="sessions of each role")
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", help="an existing database with the demo data (kept)")
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="aftersales_roles_"))
    db = args.db or benchlib.unique_db_name(STEM)
    addons_path = f"{benchlib.ROOT},{benchlib.core_addons()}"
    sink = benchlib.SmtpSink()
    server = None
    try:
        if not args.db:
            benchlib.install_database(
                db,
                addons_path,
                ["aftersales_service", "aftersales_network", "aftersales_certification"],
                demo=True,
                log=workdir / "install.log",
            )
        import odoo  # noqa: PLC0415

        odoo.tools.config.parse_config([f"--addons-path={addons_path}", *benchlib.pg_options()])
        server = benchlib.OdooServer(
            db, addons_path, sink.port, workers=args.workers, log=workdir / "server.log"
        )
        server.wait_ready()
        shared, clients = {}, []
        for role, logins in ROLE_LOGINS.items():
            for n in range(args.sessions):
                login = logins[n % len(logins)]
                client = RoleSession(server.url, db, login, login)
                client.setup(role, shared)
                clients.append(client)
        say(f"{len(clients)} sessions ({args.sessions} per role) for {args.seconds} s")
        stats = benchlib.run_load(clients, args.seconds, step, warmup=min(10, args.seconds // 4))
        server.stop()
        log_errors = server.log_errors()
        lost = count_lost(db, stats)
        report(args, stats, lost, log_errors, sink.count)
    finally:
        if server:
            server.stop()
        sink.shutdown()
        if args.db or args.keep_db:
            say(f"database kept: {db}")
        else:
            benchlib.drop_database(db)
            say(f"database {db} dropped")
        shutil.rmtree(workdir, ignore_errors=True)


def report(args, stats, lost, log_errors, mails):
    rows = [
        (
            op,
            len(samples),
            f"{benchlib.median(samples):.0f}",
            f"{stats.p95(op) or 0:.0f}",
            stats.errors.get(op, 0),
        )
        for op, samples in sorted(stats.samples.items())
    ]
    for op, count in sorted(stats.errors.items()):
        if op not in stats.samples:
            rows.append((op, 0, "", "", count))
    benchlib.print_table(
        f"after-sales suite by role, {args.sessions} sessions per role, {args.workers} workers, "
        f"{stats.seconds:.0f} s, {time.strftime('%Y-%m-%d %H:%M')}",
        ("operation", "calls", "median ms", "p95 ms", "errors"),
        rows,
    )
    print(f"\nthroughput: {stats.rate():.1f} calls/s, {stats.calls} calls")
    print(f"errors: {stats.error_count} {stats.error_examples}")
    for kind, (told, missing) in lost.items():
        print(f"lost {kind}: {missing} of {told} the clients were told were saved")
    print(f"ERROR lines in the server log: {len(log_errors)}")
    for line in log_errors[:5]:
        print(f"  {line}")
    print(f"e-mails received by the SMTP sink: {mails}")


if __name__ == "__main__":
    main()
