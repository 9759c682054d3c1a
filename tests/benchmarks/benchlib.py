"""Shared plumbing of the benchmarks in this folder (not collected by pytest).

The peer addon downloaded from PyPI into a temporary addons folder, throw-away databases, an
SMTP sink that accepts every e-mail, an Odoo server in multi-worker mode and web-client-like
JSON-RPC sessions with their timings.
"""

import ast
import contextlib
import itertools
import os
import random
import shutil
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEER_SPEC = "odoo-addon-helpdesk_mgmt>=18.0,<18.1"


def say(message):
    print(f"[bench] {time.strftime('%H:%M:%S')} {message}", flush=True)


# --------------------------------------------------------------------------------------------
# Odoo, PostgreSQL and the addons path
# --------------------------------------------------------------------------------------------
def pg_options():
    """The database connection as Odoo options, from the same variables as aftersales.py."""
    options = [
        f"--db_host={os.environ.get('PGHOST', 'localhost')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
    ]
    if os.environ.get("PGUSER"):
        options.append(f"--db_user={os.environ['PGUSER']}")
    if os.environ.get("PGPASSWORD"):
        options.append(f"--db_password={os.environ['PGPASSWORD']}")
    return options


def core_addons():
    import odoo  # noqa: PLC0415

    return Path(odoo.__file__).resolve().parent / "addons"


def unique_db_name(stem):
    return f"{stem}_{time.strftime('%m%d%H%M')}_{uuid.uuid4().hex[:6]}"


def _manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


def download_peer(workdir, spec=PEER_SPEC):
    """Download the peer's wheel (and its non-core OCA dependencies) and unzip the addons.

    Returns the temporary addons folder; nothing is installed into site-packages.
    """
    wheels = Path(workdir) / "wheels"
    addons = Path(workdir) / "peer_addons"
    wheels.mkdir(parents=True, exist_ok=True)
    addons.mkdir(parents=True, exist_ok=True)
    known = {p.name for p in core_addons().iterdir()} | {p.name for p in ROOT.iterdir()}
    todo, done = [spec], set()
    while todo:
        requirement = todo.pop()
        say(f"pip download --no-deps {requirement}")
        before = set(wheels.glob("*.whl"))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--disable-pip-version-check",
                "-q",
                "-d",
                str(wheels),
                requirement,
            ],
            check=True,
        )
        for wheel in set(wheels.glob("*.whl")) - before or wheels.glob("*.whl"):
            with zipfile.ZipFile(wheel) as archive:
                for member in archive.namelist():
                    if member.startswith("odoo/addons/"):
                        archive.extract(member, workdir)
        for addon_dir in (Path(workdir) / "odoo" / "addons").iterdir():
            if addon_dir.name in done or not (addon_dir / "__manifest__.py").exists():
                continue
            done.add(addon_dir.name)
            target = addons / addon_dir.name
            if not target.exists():
                shutil.copytree(addon_dir, target)
            for dep in _manifest(addon_dir).get("depends", []):
                if dep not in known and dep not in done and not (addons / dep).exists():
                    todo.append(f"odoo-addon-{dep}>=18.0,<18.1")
    return addons


def odoo_command(*args):
    return [sys.executable, "-m", "odoo", *args]


def install_database(db, addons_path, modules, demo=False, log=None):
    """Create ``db`` with ``modules`` installed through Odoo's own command line."""
    args = [
        "-d",
        db,
        "-i",
        ",".join(modules),
        "--stop-after-init",
        f"--addons-path={addons_path}",
        "--log-level=warn",
        "--max-cron-threads=0",
        *pg_options(),
    ]
    if not demo:
        args.append("--without-demo=all")
    say(f"installing {', '.join(modules)} on {db}{' with demo data' if demo else ''}")
    with open(log or os.devnull, "w") as out:
        proc = subprocess.run(odoo_command(*args), stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode:
        raise RuntimeError(f"install of {modules} on {db} failed (see {log})")


def load_odoo(db, addons_path, smtp_port):
    """Configure this process's Odoo and return the database's registry."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [
            f"--addons-path={addons_path}",
            "--smtp=127.0.0.1",
            f"--smtp-port={smtp_port}",
            "--log-level=warn",
            *pg_options(),
        ]
    )
    return Registry(db)


def vacuum_analyze(registry, tables=()):
    """What PostgreSQL's autovacuum (on by default) does as tables fill: the planner's
    statistics and, for ``tables``, the visibility map; without ``tables``, the statistics of
    the whole database. The bench does it itself, so that its figures do not depend on
    whether the machine's autovacuum is on."""
    import psycopg2  # noqa: PLC0415

    from odoo.sql_db import connection_info_for  # noqa: PLC0415

    _name, params = connection_info_for(registry.db_name)
    connection = psycopg2.connect(**params)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM (ANALYZE) {table}")  # noqa: S608 - the bench's own names
            if not tables:
                cursor.execute("ANALYZE")
    finally:
        connection.close()
    registry.clear_cache()


def drop_database(db):
    import odoo  # noqa: PLC0415

    with contextlib.suppress(Exception):
        odoo.sql_db.close_db(db)
    with contextlib.suppress(Exception):
        from odoo.modules.registry import Registry  # noqa: PLC0415

        Registry.delete(db)
    subprocess.run(["dropdb", "--if-exists", "--force", *_pg_cli(), db], check=False)


def _pg_cli():
    return [
        "-h",
        os.environ.get("PGHOST", "localhost"),
        "-p",
        os.environ.get("PGPORT", "5432"),
        *(["-U", os.environ["PGUSER"]] if os.environ.get("PGUSER") else []),
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------
# An SMTP sink: every e-mail is accepted and counted, nothing leaves the machine
# --------------------------------------------------------------------------------------------
class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 bench sink\r\n")
        in_data = False
        for raw in self.rfile:
            line = raw.rstrip(b"\r\n")
            if in_data:
                if line == b".":
                    in_data = False
                    self.server.count += 1
                    self.wfile.write(b"250 OK queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-bench sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 end with .\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.count = 0
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()


# --------------------------------------------------------------------------------------------
# The Odoo server in multi-worker mode
# --------------------------------------------------------------------------------------------
class OdooServer:
    def __init__(self, db, addons_path, smtp_port, workers=4, log=None):
        self.db, self.port = db, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--addons-path={addons_path}",
            f"--workers={workers}",
            "--max-cron-threads=1",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--smtp=127.0.0.1",
            f"--smtp-port={smtp_port}",
            "--limit-time-real=600",
            "--limit-time-cpu=300",
            "--log-level=warn",
            "--no-database-list",
            *pg_options(),
        ]
        self.log = log
        self._out = open(log or os.devnull, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            odoo_command(*args), stdout=self._out, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout=180):
        import requests  # noqa: PLC0415

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Odoo server stopped at start (see {self.log})")
            with contextlib.suppress(requests.RequestException):
                response = requests.get(f"{self.url}/web/login", timeout=10)
                if response.status_code == 200:
                    return
            time.sleep(1)
        raise RuntimeError(f"the Odoo server did not answer within {timeout} s")

    def log_lines(self):
        if not self.log or not Path(self.log).exists():
            return []
        return Path(self.log).read_text(errors="replace").splitlines()

    def log_errors(self, start=0, end=None):
        """Lines of the server's log at level ERROR or CRITICAL, from line ``start`` to ``end``."""
        return [
            line
            for line in self.log_lines()[start:end]
            if " ERROR " in line or " CRITICAL " in line
        ]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._out.close()


# --------------------------------------------------------------------------------------------
# Web-client sessions over JSON-RPC
# --------------------------------------------------------------------------------------------
class RpcError(Exception):
    pass


class WebSession:
    """One browser tab: a session cookie and /web/dataset/call_kw calls as the web client."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login, password):
        import requests  # noqa: PLC0415

        self.url, self.db, self.login, self.password = url, db, login, password
        self.http = requests.Session()
        self.uid = None
        self.context = {}

    def _post(self, path, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params}
        response = self.http.post(self.url + path, json=payload, timeout=300)
        response.raise_for_status()
        data = response.json()
        if data.get("error"):
            error = data["error"]
            raise RpcError((error.get("data") or {}).get("message") or error.get("message"))
        return data["result"]

    def authenticate(self):
        result = self._post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": self.password},
        )
        self.uid = result["uid"]
        self.context = result.get("user_context") or {}
        return result

    def get(self, path):
        """A page as the browser gets it (portal pages)."""
        response = self.http.get(self.url + path, timeout=300)
        response.raise_for_status()
        return response.text

    def post_form(self, path, data):
        """A form posted as the browser does; returns where the server redirects to."""
        response = self.http.post(self.url + path, data=data, timeout=300, allow_redirects=False)
        if response.status_code >= 400:
            raise RpcError(f"HTTP {response.status_code} on {path}")
        return response.headers.get("Location", "")

    def message_post(self, model, record_id, body):
        """A note in the chatter, through the route the web client uses; the message's id."""
        result = self._post(
            "/mail/message/post",
            {
                "thread_model": model,
                "thread_id": record_id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_note",
                },
            },
        )
        return result["mail.message"][0]["id"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class LoadStats:
    """Timings of every call of a load run, per operation, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = {}
        self.errors = {}
        self.error_examples = []
        self.saved = {}  # kind -> ids the clients were told were saved
        self.calls = 0
        self.seconds = 0.0

    def record(self, op, ms):
        with self.lock:
            self.samples.setdefault(op, []).append(ms)
            self.calls += 1

    def error(self, op, exc):
        with self.lock:
            self.errors[op] = self.errors.get(op, 0) + 1
            if len(self.error_examples) < 5:
                self.error_examples.append(f"{op}: {exc}")

    def saved_id(self, kind, record_id):
        with self.lock:
            self.saved.setdefault(kind, set()).add(record_id)

    @property
    def error_count(self):
        return sum(self.errors.values())

    def rate(self):
        return self.calls / self.seconds if self.seconds else 0.0

    def p95(self, op):
        return percentile(self.samples.get(op, []), 95)


def timed(stats, op, fn, *args, **kwargs):
    """Run one call, record its time or its error; return the result (None on error)."""
    start = time.perf_counter()
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure of a client counts as an error
        stats.error(op, exc)
        return None
    stats.record(op, (time.perf_counter() - start) * 1000)
    return result


def run_load(clients, seconds, step, warmup=0):
    """Run ``step(client, stats, rng, i)`` in a loop in one thread per client for ``seconds``.

    A ``warmup`` run first lets each worker load the registry; its timings are dropped, but
    what it saved is still checked afterwards (the ``saved`` ids are carried over).
    """
    saved = {}
    if warmup:
        saved = run_load(clients, warmup, step).saved
    stats = LoadStats()
    stats.saved = saved
    stop = threading.Event()

    def worker(n, client):
        rng = random.Random(n)
        i = n  # sessions start at different points of their round, for an even mix at once
        while not stop.is_set():
            step(client, stats, rng, i)
            i += 1

    threads = [
        threading.Thread(target=worker, args=(n, c), daemon=True) for n, c in enumerate(clients)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(600)
    stats.seconds = time.perf_counter() - start
    return stats


# --------------------------------------------------------------------------------------------
# Views as the web client asks for them
# --------------------------------------------------------------------------------------------
def view_specification(fields_info, arch):
    """The web client's ``specification`` for the fields of a view's arch."""
    from lxml import etree  # noqa: PLC0415

    root = etree.fromstring(arch.encode() if isinstance(arch, str) else arch)
    spec = {}

    def walk(node):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "field":
                name = child.get("name")
                info = fields_info.get(name)
                if info is None:
                    continue
                # as the web client: a field always invisible (or a column always hidden)
                # is read without the display name of the record it points to
                hidden = {child.get("invisible"), child.get("column_invisible")} & {"1", "True"}
                if info["type"] in ("many2one", "many2many", "one2many") and not hidden:
                    spec[name] = {"fields": {"display_name": {}}}
                elif info["type"] == "many2one":
                    spec[name] = {"fields": {}}
                else:
                    spec[name] = {}
                continue  # sub-views of x2many are not read for a list or kanban page
            walk(child)

    walk(root)
    return spec


def specifications(env, model, view_types=("list", "kanban", "form")):
    views = env[model].get_views([(False, view_type) for view_type in view_types])
    return specifications_of(views, model, view_types)


def specifications_of(views, model, view_types):
    """The web client's specification of each view type from a ``get_views`` answer."""
    fields_info = views["models"][model]["fields"]
    return {
        view_type: view_specification(fields_info, views["views"][view_type]["arch"])
        for view_type in view_types
    }


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------
def percentile(values, pct):
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values):
    return statistics.median(values) if values else float("nan")


def print_table(title, header, rows):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    line = " | ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    sys.stdout.flush()
