#!/usr/bin/env python3
"""After-sales requests against OCA's helpdesk_mgmt 18.0, side by side in one database.

    python3 tests/benchmarks/bench_core.py [--scale N] [--load-seconds S] [--sessions N]
                                           [--workers N] [--skip-load] [--keep-db]

Builds a throw-away database with aftersales_service and helpdesk_mgmt (downloaded from PyPI
into a temporary addons folder), then measures, each side as an ordinary user of its app:
single operations (queries and median ms, flush and precommit included, then the e-mail
sending after the commit or by the queue's job), a batch create, the views at ``--scale``
records per side filled by SQL, and a load run of web-client sessions against Odoo in
multi-worker mode. Prints one table with ours, the peer and the ratio.
"""

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
from benchlib import median, say  # noqa: E402

STEM = "aftersales_bench"
QUEUE_MODEL = "aftersales.ticket.mail"
WORDS = [
    "pump",
    "motor",
    "seal",
    "leak",
    "noise",
    "vibration",
    "bearing",
    "impeller",
    "valve",
    "pressure",
    "flow",
    "overheating",
    "controller",
    "display",
    "alarm",
    "cable",
    "filter",
    "corrosion",
    "crack",
    "installation",
    "manual",
    "invoice",
    "delivery",
    "spare",
    "warranty",
    "inverter",
    "sensor",
    "casing",
    "gasket",
    "shaft",
    "coupling",
    "startup",
    "trip",
    "fuse",
    "panel",
    "schedule",
    "training",
    "return",
    "exchange",
    "calibration",
]
SEARCH_WORD = "leak"


# --------------------------------------------------------------------------------------------
# The two sides: how each app names things
# --------------------------------------------------------------------------------------------
class Side:
    def __init__(self, key, label, model, table, subject, closed_field):
        self.key, self.label, self.model, self.table = key, label, model, table
        self.subject, self.closed_field = subject, closed_field
        self.users = []  # res.users ids, the first one runs the single operations
        self.logins = []
        self.team = None
        self.first_stage = self.open_stage = self.closing_stage = None
        self.specs = {}

    def vals(self, partner_id, n):
        title = f"{WORDS[n % len(WORDS)]} {WORDS[(n * 7 + 3) % len(WORDS)]} request {n}"
        vals = {self.subject: title, "partner_id": partner_id, "description": f"<p>{title}</p>"}
        if self.key == "peer":
            # the peer has no default team: its user picks one, as ours gets the user's team
            vals["team_id"] = self.team
        return vals

    def my_open_domain(self, uid):
        return [("user_id", "=", uid), (self.closed_field, "=", False)]


OURS = Side(
    "ours", "aftersales_service", "aftersales.ticket", "aftersales_ticket", "title", "is_closed"
)
PEER = Side("peer", "helpdesk_mgmt", "helpdesk.ticket", "helpdesk_ticket", "name", "closed")
SIDES = (OURS, PEER)


def prepare(registry, sessions, token):
    """Users, teams and customers of both sides, committed."""
    from odoo import SUPERUSER_ID, Command, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env.company.email = "service@bench.example.com"
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Customer {n:03d}",
                    "email": f"customer{n:03d}@bench.example.com",
                    "lang": "en_US",
                }
                for n in range(50)
            ]
        )
        internal = env.ref("base.group_user")
        for side, group in (
            (OURS, "aftersales_service.group_aftersales_user"),
            (PEER, "helpdesk_mgmt.group_helpdesk_user"),
        ):
            users = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    [
                        {
                            "name": f"Bench {side.key} {n:02d}",
                            "login": f"bench_{side.key}_{n:02d}_{token}",
                            "password": f"bench_{side.key}_{n:02d}_{token}",
                            "email": f"bench_{side.key}_{n:02d}@bench.example.com",
                            "groups_id": [Command.set([internal.id, env.ref(group).id])],
                        }
                        for n in range(max(sessions, 2))
                    ]
                )
            )
            side.users, side.logins = users.ids, users.mapped("login")
        OURS.team = (
            env["aftersales.team"]
            .create({"name": "Bench service desk", "member_ids": [Command.set(OURS.users)]})
            .id
        )
        env["aftersales.team"].create(
            [
                {"name": f"Other desk {n}", "member_ids": [Command.set([SUPERUSER_ID])]}
                for n in range(4)
            ]
        )
        PEER.team = (
            env["helpdesk.ticket.team"]
            .create({"name": "Bench helpdesk", "user_ids": [Command.set(PEER.users)]})
            .id
        )
        env["helpdesk.ticket.team"].create([{"name": f"Other helpdesk {n}"} for n in range(4)])
        OURS.first_stage = env["aftersales.ticket"]._default_stage().id
        OURS.open_stage = env.ref("aftersales_service.stage_analyse").id
        OURS.closing_stage = env.ref("aftersales_service.stage_done").id
        PEER.first_stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new").id
        PEER.open_stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id
        PEER.closing_stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id
        assert env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").mail_template_id
        assert env.ref("aftersales_service.stage_done").mail_template_id
        for side in SIDES:
            side.specs = benchlib.specifications(api.Environment(cr, side.users[0], {}), side.model)
        return partners.ids


# --------------------------------------------------------------------------------------------
# Single operations
# --------------------------------------------------------------------------------------------
def measure(registry, operations, repeat, sink=None):
    """Run each side's ``operation(env, arg)`` in its own transaction, as a request would,
    ``repeat`` times; the sides take turns (the first one alternating), so that both are
    measured in the same minutes of a machine whose speed drifts.

    ``operations`` maps a side's key to ``(uid, operation, args)`` (``args[n]`` for the n-th
    run; none: ``n``). Returns, per side, the median queries and ms of the operation with flush
    and precommit and the median ms of the commit with its after-commit hooks (where Odoo sends
    the e-mails it forces out); and, with ``sink``, the e-mails each side's runs delivered.
    """
    from odoo import api  # noqa: PLC0415

    runs = {key: ([], [], []) for key in operations}
    delivered = dict.fromkeys(operations, 0)
    keys = list(operations)
    for n in range(repeat):
        for key in keys if n % 2 == 0 else keys[::-1]:
            uid, operation, args = operations[key]
            queries, times, after = runs[key]
            mails0 = sink.count if sink else 0
            with registry.cursor() as cr:
                env = api.Environment(cr, uid, {})
                count0, start = cr.sql_log_count, time.perf_counter()
                operation(env, args[n] if args else n)
                env.flush_all()
                cr.precommit.run()
                done = time.perf_counter()
                queries.append(cr.sql_log_count - count0)
                times.append((done - start) * 1000)
                cr.commit()
                after.append((time.perf_counter() - done) * 1000)
            if sink:
                delivered[key] += sink.count - mails0
    medians = {key: tuple(median(values) for values in run) for key, run in runs.items()}
    return medians, delivered


def list_page(env, side, domain):
    """A page of the list as the web client reads it: 80 records and their count."""
    return env[side.model].web_search_read(domain, side.specs["list"], limit=80, count_limit=10001)


def create_tickets(registry, side, partners, count, start=0):
    from odoo import api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, side.users[0], {})
        vals = [side.vals(partners[(start + n) % len(partners)], start + n) for n in range(count)]
        return env[side.model].create(vals).ids


def drain_queue(registry, everything=False):
    """Run the jobs that send what operations left them: one batch of each, or (with
    ``everything``) until nothing is left."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    while True:
        with registry.cursor() as cr:
            sent = api.Environment(cr, SUPERUSER_ID, {})[QUEUE_MODEL]._cron_send()
        if not (everything and sent):
            break
    # the followers' e-mails of automatic messages wait in Odoo's scheduled notifications
    with registry.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["mail.message.schedule"]._send_notifications_cron()
    # the jobs hand their e-mails to Odoo's outgoing queue, whose job they wake: run it too
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.mail"].process_email_queue()
            left = everything and env["mail.mail"].search_count([("state", "=", "outgoing")])
        if not left:
            break


def single_operations(registry, partners, repeat, sink):
    """Create, move to an open stage, move to the closing stage, list page of 80: each
    measured on both sides in turn."""
    queued = QUEUE_MODEL in registry
    figures = {}
    mails = {side.key: 0 for side in SIDES}

    def drain():
        # only ours queues e-mails: what its jobs send counts for it
        if queued:
            count = sink.count
            drain_queue(registry)
            mails[OURS.key] += sink.count - count

    def run(name, operation, args=None):
        medians, delivered = measure(
            registry,
            {
                side.key: (side.users[0], operation(side), args[side.key] if args else None)
                for side in SIDES
            },
            repeat,
            sink,
        )
        for side in SIDES:
            figures[side.key, name] = medians[side.key]
            mails[side.key] += delivered[side.key]
        return delivered

    say(f"single operations, {repeat} times each, the two sides in turn")
    drain()
    run(
        "create",
        lambda side: (
            lambda env, n: env[side.model].create(
                side.vals(partners[n % len(partners)], 100000 + n)
            )
        ),
    )
    ids = {
        side.key: create_tickets(registry, side, partners, repeat, start=200000) for side in SIDES
    }
    run(
        "open",
        lambda side: (
            lambda env, rid: env[side.model].browse(rid).write({"stage_id": side.open_stage})
        ),
        ids,
    )
    drain()
    delivered = run(
        "close",
        lambda side: (
            lambda env, rid: env[side.model].browse(rid).write({"stage_id": side.closing_stage})
        ),
        ids,
    )
    for side in SIDES:
        figures[side.key, "close_mails"] = delivered[side.key]
        figures[side.key, "mails"] = mails[side.key]
    if queued:
        for side in SIDES:
            try:
                figures[side.key, "queue"] = measure_queue(registry, side, partners, sink)
            except Exception as exc:  # noqa: BLE001 - report it, keep the other figures
                say(f"queue: the sending job could not be measured: {exc!r}")
    run("list", lambda side: lambda env, _n: list_page(env, side, []))
    say("single operations done")
    return figures


def measure_queue(registry, side, partners, sink, batch=200):
    """The sending, after the commits, of what closing ``batch`` requests one by one left to
    the jobs (customer e-mails, the followers' e-mails, Odoo's outgoing mail queue with SMTP):
    queries and ms per closed request, the same for both sides."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    ids = create_tickets(registry, side, partners, batch, start=300000)
    with registry.cursor() as cr:
        api.Environment(cr, side.users[0], {})[side.model].browse(ids).write(
            {"stage_id": side.open_stage}
        )
    drain_queue(registry, everything=True)
    for rid in ids:  # one request each, as users close them
        with registry.cursor() as cr:
            api.Environment(cr, side.users[0], {})[side.model].browse(rid).write(
                {"stage_id": side.closing_stage}
            )
    mails0 = sink.count
    ms = queries = 0
    # ours: the customers' e-mails, the followers' by Odoo's scheduled notifications; then, on
    # both sides, Odoo's outgoing mail queue sends what waits in it (SMTP included)
    for model, job in (
        (QUEUE_MODEL, "_cron_send"),
        ("mail.message.schedule", "_send_notifications_cron"),
        ("mail.mail", "process_email_queue"),
    ):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            count_q, start = cr.sql_log_count, time.perf_counter()
            getattr(env[model], job)()
            env.flush_all()
            cr.commit()
            ms += (time.perf_counter() - start) * 1000
            queries += cr.sql_log_count - count_q
    sent = sink.count - mails0
    say(f"{side.label}: {batch} requests closed, {sent} e-mails sent by the jobs in {ms:.0f} ms")
    return queries / batch, ms / batch, sent, batch


def batch_create(registry, partners, size):
    """Requests per second of one create call of ``size`` requests (flush and precommit
    included), then counting the work it left to the jobs (the queued notices and e-mails,
    Odoo's scheduled notifications and outgoing mail queue, SMTP included) run to the end."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    figures = {}
    for side in SIDES:
        if QUEUE_MODEL in registry:
            drain_queue(registry, everything=True)
        say(f"{side.label}: {size} in one create call")
        with registry.cursor() as cr:
            env = api.Environment(cr, side.users[0], {})
            vals = [side.vals(partners[n % len(partners)], 400000 + n) for n in range(size)]
            start = time.perf_counter()
            ids = env[side.model].create(vals).ids
            env.flush_all()
            cr.precommit.run()
            created = time.perf_counter() - start
            cr.commit()
        start = time.perf_counter()
        if QUEUE_MODEL in registry:
            drain_queue(registry, everything=True)
        else:
            with registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["mail.mail"].process_email_queue()
        jobs = time.perf_counter() - start
        figures[side.key] = size / created
        figures[side.key, "jobs"] = size / (created + jobs)
        say(f"{side.label}: {created:.1f} s in the call, {jobs:.1f} s in the jobs")
        with registry.cursor() as cr:  # the next measures start from the same database
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[side.model].browse(ids).message_ids.unlink()
            env[side.model].browse(ids).unlink()
    return figures


# --------------------------------------------------------------------------------------------
# Views at scale
# --------------------------------------------------------------------------------------------
def fill(registry, scale, partners, token):
    """``scale`` rows per side by SQL: stages, users, teams, customers, dates over 2 years."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    nwords = len(WORDS)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company.id
        users = "ARRAY[" + ",".join(str(u) for u in OURS.users[:5] + [SUPERUSER_ID]) + "]"
        peer_users = "ARRAY[" + ",".join(str(u) for u in PEER.users[:5] + [SUPERUSER_ID]) + "]"
        partner_arr = "ARRAY[" + ",".join(map(str, partners)) + "]"
        our_stages = env["aftersales.ticket.stage"].search([], order="sequence")
        our_teams = env["aftersales.team"].search([]).ids
        peer_stages = env["helpdesk.ticket.stage"].search([], order="sequence")
        peer_teams = env["helpdesk.ticket.team"].search([]).ids
        consultation = env.ref("aftersales_service.ticket_type_consultation")
        common = f"""
            FROM (SELECT g AS n, now() - (random() * interval '730 days') AS d,
                         (g * 2654435761) % 1000 AS h
                    FROM generate_series(1, {scale}) g) s
        """
        # 65 % closed, the rest spread over the open stages
        our_open = [s.id for s in our_stages if not s.is_closed and not s.is_cancel]
        our_done = [s.id for s in our_stages if s.is_closed][0]
        stage_expr = (
            f"CASE WHEN h < 650 THEN {our_done} ELSE (ARRAY{our_open})[1 + h % {len(our_open)}] END"
        )
        say(f"filling {scale} requests per side by SQL")
        cr.execute(
            f"""
            INSERT INTO aftersales_ticket (
                name, title, description, channel, request_date, company_id, partner_id,
                commercial_partner_id, partner_email, ticket_type_id, ticket_type_code,
                stage_id, is_closed, closed_date, user_id, team_id, priority, color,
                create_uid, write_uid, create_date, write_date, first_response_date)
            SELECT 'BENCH/{token}/' || lpad(n::text, 7, '0'),
                   ({words})[1 + n % {nwords}] || ' ' || ({words})[1 + (n * 7 + 3) % {nwords}]
                       || ' request ' || n,
                   '<p>filled by the benchmark</p>', 'phone', d, {company},
                   ({partner_arr})[1 + n % {len(partners)}],
                   ({partner_arr})[1 + n % {len(partners)}],
                   'customer@bench.example.com', {consultation.id}, '{consultation.code}',
                   {stage_expr}, h < 650, CASE WHEN h < 650 THEN d + interval '3 days' END,
                   ({users})[1 + n % 6], (ARRAY{our_teams})[1 + (n / 7) % {len(our_teams)}],
                   (h % 4)::text, 0, {SUPERUSER_ID}, {SUPERUSER_ID}, d, d, d + interval '2 hours'
            {common}
            """  # noqa: S608 - figures and ids built here, no user input
        )
        peer_open = [s.id for s in peer_stages if not s.closed]
        peer_done = [s.id for s in peer_stages if s.closed][0]
        peer_unattended = [s.id for s in peer_stages if s.unattended]
        peer_stage_expr = (
            f"CASE WHEN h < 650 THEN {peer_done} ELSE "
            f"(ARRAY{peer_open})[1 + h % {len(peer_open)}] END"
        )
        cr.execute(
            f"""
            INSERT INTO helpdesk_ticket (
                number, name, description, company_id, partner_id, commercial_partner_id,
                partner_name, partner_email, stage_id, unattended, closed_date, user_id,
                team_id, priority, kanban_state, active, color, sequence, last_stage_update,
                create_uid, write_uid, create_date, write_date)
            SELECT 'HT{token}/' || lpad(n::text, 7, '0'),
                   ({words})[1 + n % {nwords}] || ' ' || ({words})[1 + (n * 7 + 3) % {nwords}]
                       || ' request ' || n,
                   '<p>filled by the benchmark</p>', {company},
                   ({partner_arr})[1 + n % {len(partners)}],
                   ({partner_arr})[1 + n % {len(partners)}],
                   'Customer', 'customer@bench.example.com',
                   {peer_stage_expr},
                   ({peer_stage_expr}) = ANY(ARRAY{peer_unattended or [0]}),
                   CASE WHEN h < 650 THEN d + interval '3 days' END,
                   ({peer_users})[1 + n % 6], (ARRAY{peer_teams})[1 + (n / 7) % {len(peer_teams)}],
                   (h % 4)::text, 'normal', true, 0, 10, d,
                   {SUPERUSER_ID}, {SUPERUSER_ID}, d, d
            {common}
            """  # noqa: S608
        )
        cr.commit()
    # as autovacuum does after so many inserts (PostgreSQL 13 and later): the statistics and
    # the visibility map, for both sides
    benchlib.vacuum_analyze(registry, ("aftersales_ticket", "helpdesk_ticket"))


def views_at_scale(registry, partners, repeat):
    """The views at scale, each measured on both sides in turn."""

    def kanban(side):
        def read(env, _n):
            Model = env[side.model]
            groups = Model.web_read_group([], ["stage_id"], ["stage_id"])
            for group in groups["groups"]:
                if group.get("__fold"):
                    continue
                # as the web client loads an open column (its count stops at 10,001)
                Model.web_search_read(
                    group["__domain"], side.specs["kanban"], limit=40, count_limit=10001
                )

        return read

    def all_requests(side):
        return lambda env, _n: list_page(env, side, [])

    def search(side):
        return lambda env, _n: list_page(env, side, [(side.subject, "ilike", SEARCH_WORD)])

    def my_open(side):
        return lambda env, _n: list_page(env, side, side.my_open_domain(env.uid))

    def graph(side):
        return lambda env, _n: env[side.model].read_group(
            [], ["__count"], ["create_date:month"], lazy=False
        )

    def create(side):
        return lambda env, n: env[side.model].create(
            side.vals(partners[n % len(partners)], 500000 + n)
        )

    figures = {}
    say("the views at scale, the two sides in turn")
    for name, operation in (
        ("kanban", kanban),
        ("list", all_requests),
        ("search", search),
        ("my_open", my_open),
        ("graph", graph),
        ("create", create),
    ):
        operations = {side.key: (side.users[0], operation(side), None) for side in SIDES}
        measure(registry, operations, 1)  # warm the caches
        medians, _mails = measure(registry, operations, repeat)
        for side in SIDES:
            figures[side.key, name] = medians[side.key]
    return figures


# --------------------------------------------------------------------------------------------
# Load
# --------------------------------------------------------------------------------------------
def load_run(db, addons_path, smtp_port, partners, sessions, seconds, workers, log):
    server = benchlib.OdooServer(db, addons_path, smtp_port, workers=workers, log=log)
    figures = {}
    try:
        server.wait_ready()
        for side in SIDES:
            say(f"{side.label}: {sessions} web-client sessions for {seconds} s")
            clients = []
            for login in side.logins[:sessions]:
                client = benchlib.WebSession(server.url, db, login, login)
                client.authenticate()
                client.created = []
                clients.append(client)
            form_spec = side.specs["form"]

            def step(client, stats, rng, i, side=side, form_spec=form_spec):
                op = ("create", "list", "open", "move")[i % 4]
                if op == "create":
                    vals = side.vals(rng.choice(partners), rng.randrange(10**6))
                    result = benchlib.timed(
                        stats,
                        op,
                        client.call,
                        side.model,
                        "web_save",
                        [],
                        vals,
                        specification=form_spec,
                    )
                    if result:
                        client.created.append(result[0]["id"])
                        stats.saved_id(side.model, result[0]["id"])
                elif op == "list":
                    benchlib.timed(
                        stats,
                        op,
                        client.call,
                        side.model,
                        "web_search_read",
                        [],
                        specification=side.specs["list"],
                        limit=80,
                        count_limit=10001,
                    )
                elif client.created:
                    rid = client.created[-1] if op == "open" else rng.choice(client.created)
                    if op == "open":
                        benchlib.timed(
                            stats,
                            op,
                            client.call,
                            side.model,
                            "web_read",
                            [rid],
                            specification=form_spec,
                        )
                    else:
                        stage = rng.choice((side.open_stage, side.closing_stage))
                        benchlib.timed(
                            stats,
                            op,
                            client.call,
                            side.model,
                            "web_save",
                            [rid],
                            {"stage_id": stage},
                            specification=form_spec,
                        )

            mark = len(server.log_lines())
            stats = benchlib.run_load(clients, seconds, step, warmup=min(10, seconds // 4))
            stats.log_errors = server.log_errors(mark)
            figures[side.key] = stats
            say(
                f"{side.label}: {stats.calls} calls, {stats.rate():.1f}/s, "
                f"{stats.error_count} errors {stats.error_examples[:2]}"
            )
    finally:
        server.stop()
    for side in SIDES:
        for line in figures[side.key].log_errors[:3]:
            say(f"{side.label}, server log: {line[:300]}")
    return figures


def count_lost(registry, load):
    lost = {}
    with registry.cursor() as cr:
        for side in SIDES:
            ids = sorted(load[side.key].saved.get(side.model, ()))
            if not ids:
                lost[side.key] = 0
                continue
            cr.execute(f"SELECT count(*) FROM {side.table} WHERE id = ANY(%s)", [ids])  # noqa: S608
            lost[side.key] = len(ids) - cr.fetchone()[0]
    return lost


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------
def ratio(ours, peer):
    return f"{ours / peer:.2f}" if peer else "n/a"


def report(args, single, queue, batch, views, load, lost, mails):
    rows = []

    def op_row(label, ours, peer, goal):
        rows.append(
            (
                label,
                f"{ours[0]:.0f} q, {ours[1]:.1f} ms",
                f"{peer[0]:.0f} q, {peer[1]:.1f} ms",
                ratio(ours[1], peer[1]),
                goal,
            )
        )

    if single:
        op_row("create one request", single["ours", "create"], single["peer", "create"], "<= 1.0")
        op_row("move it to an open stage", single["ours", "open"], single["peer", "open"], "<= 1.0")
        op_row(
            "move it to a closing stage (in the transaction)",
            single["ours", "close"],
            single["peer", "close"],
            "<= 1.0",
        )
        closing = {}
        for key in ("ours", "peer"):
            close, sending = single[key, "close"], (queue or {}).get(key)
            if sending:
                closing[key] = (close[0] + sending[0], close[1] + close[2] + sending[1])
            else:
                closing[key] = (close[0], close[1] + close[2])
        if queue and len(queue) == 2:
            op_row(
                "e-mails sent after the commit (customer, followers), per closed request",
                queue["ours"],
                queue["peer"],
                "",
            )
        rows.append(
            (
                "closing stage + its e-mails (commit, jobs, SMTP)",
                f"{closing['ours'][0]:.0f} q, {closing['ours'][1]:.1f} ms",
                f"{closing['peer'][0]:.0f} q, {closing['peer'][1]:.1f} ms",
                ratio(closing["ours"][1], closing["peer"][1]),
                "<= 1.0",
            )
        )
        op_row("read a list page of 80", single["ours", "list"], single["peer", "list"], "<= 1.0")
    if batch:
        rows.append(
            (
                f"create {args.batch} in one call",
                f"{batch['ours']:.0f} requests/s",
                f"{batch['peer']:.0f} requests/s",
                f"{batch['ours'] / batch['peer']:.2f}",
                ">= 2.0",
            )
        )
        ours_jobs, peer_jobs = batch["ours", "jobs"], batch["peer", "jobs"]
        rows.append(
            (
                f"create {args.batch}, then the jobs they left (notices, e-mails sent)",
                f"{ours_jobs:.0f} requests/s",
                f"{peer_jobs:.0f} requests/s",
                f"{ours_jobs / peer_jobs:.2f}",
                "",
            )
        )
    if views:
        # issue #12's goals: each view at this scale <= 0.7, each single operation <= 1.0 (a
        # create, measured here too, costs what it costs on a small database)
        for name, label, goal in (
            ("kanban", "kanban by stage", "<= 0.7"),
            ("list", "list page with its count", "<= 0.7"),
            ("search", f"search '{SEARCH_WORD}' in the subject", "<= 0.7"),
            ("my_open", "my open requests", "<= 0.7"),
            ("graph", "graph by month", "<= 0.7"),
            ("create", "one create", "<= 1.0"),
        ):
            op_row(f"at {args.scale:,}: {label}", views["ours", name], views["peer", name], goal)
    if load:
        ours, peer = load["ours"], load["peer"]
        rows.append(
            (
                f"load: {args.sessions} sessions, {args.workers} workers, calls/s",
                f"{ours.rate():.1f}",
                f"{peer.rate():.1f}",
                f"{ours.rate() / peer.rate():.2f}" if peer.rate() else "n/a",
                ">= 1.5",
            )
        )
        for op in ("create", "list", "open", "move"):
            ours_p95, peer_p95 = ours.p95(op), peer.p95(op)
            rows.append(
                (
                    f"load: {op} p95 ({len(ours.samples.get(op, []))} and "
                    f"{len(peer.samples.get(op, []))} calls)",
                    "no call" if ours_p95 is None else f"{ours_p95:.0f} ms",
                    "no call" if peer_p95 is None else f"{peer_p95:.0f} ms",
                    ratio(ours_p95, peer_p95) if ours_p95 and peer_p95 else "n/a",
                    "<= 1.0" if op == "create" else "",
                )
            )
        rows.append(("load: errors", str(ours.error_count), str(peer.error_count), "", "0"))
        rows.append(("load: lost requests", str(lost["ours"]), str(lost["peer"]), "", "0"))
        rows.append(
            (
                "load: ERROR lines in the server log",
                str(len(ours.log_errors)),
                str(len(peer.log_errors)),
                "",
                "0",
            )
        )
    if mails:
        rows.append(
            (
                "e-mails received by the SMTP sink in the single operations",
                str(mails["ours"]),
                str(mails["peer"]),
                "",
                "",
            )
        )
    benchlib.print_table(
        f"aftersales_service vs helpdesk_mgmt 18.0, {time.strftime('%Y-%m-%d %H:%M')} "
        f"(ms: median; ratio: ours / peer)",
        ("operation", "ours", "helpdesk_mgmt", "ratio", "goal"),
        rows,
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=200000, help="records per side (0: skip)")
    parser.add_argument("--load-seconds", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=30, help="runs of each single operation")
    parser.add_argument("--batch", type=int, default=2000, help="requests in the batch create")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--extra-addons", help="more addons folders, comma-separated (debugging)")
    parser.add_argument(
        "--reuse-db", help="an existing database with both addons (kept): to debug the bench"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="aftersales_bench_"))
    db = args.reuse_db or benchlib.unique_db_name(STEM)
    token = uuid.uuid4().hex[:4]
    sink = benchlib.SmtpSink()
    registry = None
    try:
        peer_addons = benchlib.download_peer(workdir)
        addons_path = ",".join(str(p) for p in (benchlib.ROOT, peer_addons, benchlib.core_addons()))
        if args.extra_addons:
            addons_path = f"{args.extra_addons},{addons_path}"
        if not args.reuse_db:
            benchlib.install_database(
                db,
                addons_path,
                ["aftersales_service", "helpdesk_mgmt"],
                log=workdir / "install.log",
            )
        registry = benchlib.load_odoo(db, addons_path, sink.port)
        partners = prepare(registry, args.sessions, token)
        # the statistics autovacuum gathers after an install, for both sides
        benchlib.vacuum_analyze(registry)
        say(
            "queued customer e-mails: "
            + (
                "yes (" + QUEUE_MODEL + ")"
                if QUEUE_MODEL in registry
                else "no (sent in the request)"
            )
        )
        single = single_operations(registry, partners, args.repeat, sink)
        queue = {
            side.key: single[side.key, "queue"] for side in SIDES if (side.key, "queue") in single
        }
        mails = {side.key: single[side.key, "mails"] for side in SIDES}
        batch = batch_create(registry, partners, args.batch) if args.batch else None
        views = None
        if args.scale:
            fill(registry, args.scale, partners, token)
            views = views_at_scale(registry, partners, max(3, args.repeat // 6))
        load = lost = None
        if not args.skip_load:
            load = load_run(
                db,
                addons_path,
                sink.port,
                partners,
                args.sessions,
                args.load_seconds,
                args.workers,
                workdir / "server.log",
            )
            lost = count_lost(registry, load)
        report(args, single, queue, batch, views, load, lost, mails)
    finally:
        sink.shutdown()
        if args.keep_db or args.reuse_db:
            say(f"database kept: {db}")
        else:
            benchlib.drop_database(db)
            say(f"database {db} dropped")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
