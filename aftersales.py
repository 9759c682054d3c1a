#!/usr/bin/env python3
"""The after-sales suite's launcher: try it, test it, serve it, or run Odoo with it.

    python3 aftersales.py demo    create or update the demo database and serve it
    python3 aftersales.py test    lint, install, run every test on an empty and a demo database
    python3 aftersales.py serve   serve the demo database with Odoo's multi-worker server
    python3 aftersales.py odoo    Odoo's own command line with this checkout's addons first

Run it with the Python where Odoo 18.0 Community is installed. The addons are used from this
checkout (nothing is installed into site-packages). `python3 aftersales.py COMMAND --help` lists
every setting of a command; each defaults to the environment variable README.md documents.
"""

import argparse
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ADDONS = ("aftersales_service", "aftersales_network", "aftersales_certification")
# The demo's staff and outlet user work in Chinese; admin stays in English.
CHINESE_LOGINS = (
    "as_hotline",
    "as_engineer1",
    "as_engineer2",
    "as_leader",
    "as_manager",
    "as_production_head",
    "outlet_hz01",
)
CHINESE = "zh_CN"
BROWSERS = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
ODOO_SOURCE_HINT = (
    "Install Odoo 18.0 Community into this Python first: take the 18.0 source "
    "(https://github.com/odoo/odoo, branch 18.0), then `pip install -r requirements.txt` "
    "and `pip install -e .` in it (see its documentation), or run this command with the "
    "Python where Odoo 18.0 lives."
)


class SuiteError(Exception):
    """A problem the user must fix; printed without a traceback."""


def say(message):
    print(f"[aftersales] {message}", flush=True)


def shout(message):
    """A warning nobody should miss in a long log."""
    bar = "!" * 78
    print(f"\n{bar}\n[aftersales] WARNING: {message}\n{bar}\n", flush=True)


# --------------------------------------------------------------------------------------------
# Preconditions
# --------------------------------------------------------------------------------------------
def check_python():
    if not ((3, 10) <= sys.version_info[:2] <= (3, 12)):
        raise SuiteError(
            f"Python {sys.version.split()[0]} is not supported: Odoo 18.0 and this suite need "
            "Python 3.10 to 3.12."
        )


def check_odoo():
    """Fail fast, with the way out, when Odoo 18.0 cannot be imported."""
    check_python()
    try:
        import odoo.release  # noqa: PLC0415
    except ImportError as exc:
        raise SuiteError(
            f"Odoo cannot be imported by {sys.executable} ({exc}).\n{ODOO_SOURCE_HINT}"
        ) from exc
    if odoo.release.series != "18.0":
        raise SuiteError(
            f"{sys.executable} imports Odoo {odoo.release.version} from "
            f"{Path(odoo.release.__file__).parent}, but this suite needs Odoo 18.0.\n"
            f"{ODOO_SOURCE_HINT}"
        )
    say(f"Odoo {odoo.release.version} found in {sys.executable}")
    return odoo.release.version


def pip_install(*args):
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--root-user-action=ignore",
        "-q",
        *args,
    ]
    say("pip install " + " ".join(args))
    proc = subprocess.run(cmd, cwd=ROOT, check=False)
    if proc.returncode:
        raise SuiteError(f"`{' '.join(cmd)}` failed (exit code {proc.returncode}).")


def ensure_test_tools():
    missing = []
    for module in ("pytest_odoo", "pylint_odoo", "ruff", "websocket"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        say(f"test tools missing ({', '.join(missing)}): installing requirements-test.txt")
        pip_install("-r", str(ROOT / "requirements-test.txt"))


def find_browser():
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


# --------------------------------------------------------------------------------------------
# PostgreSQL: the configured one, the default one, or an embedded one
# --------------------------------------------------------------------------------------------
class Database:
    """Connection settings for Odoo and for our own administrative statements."""

    def __init__(self, host, port, user, password, origin, keep_alive=None):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.origin = origin
        self._keep_alive = keep_alive  # an embedded server lives as long as this object

    def connect(self, dbname="postgres"):
        import psycopg2  # noqa: PLC0415

        conn = psycopg2.connect(
            dbname=dbname,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            connect_timeout=5,
        )
        conn.autocommit = True
        return conn

    def odoo_options(self):
        return {
            "db_host": self.host,
            "db_port": str(self.port),
            "db_user": self.user,
            "db_password": self.password or "False",
        }

    def exists(self, name):
        with self.connect() as conn, conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return bool(cr.fetchone())

    def drop(self, name):
        from psycopg2 import sql  # noqa: PLC0415

        conn = self.connect()
        try:
            with conn.cursor() as cr:
                cr.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        finally:
            conn.close()


def _not_answering(exc):
    text = str(exc).lower()
    return any(
        marker in text
        for marker in (
            "could not connect",
            "connection refused",
            "no such file or directory",
            "timeout expired",
            "could not translate host name",
            "server closed the connection",
        )
    )


def resolve_database(args):
    """Use the configured server, else the default one, else start an embedded one."""
    import psycopg2  # noqa: PLC0415

    configured = bool(args.pg_host or args.pg_port)
    host = args.pg_host or "localhost"
    port = int(args.pg_port or 5432)
    user = args.pg_user or _os_user()
    db = Database(host, port, user, args.pg_password or "", origin=f"{host}:{port}")
    try:
        db.connect().close()
    except psycopg2.OperationalError as exc:
        reason = str(exc).strip()
        if configured:
            raise SuiteError(
                f"The configured PostgreSQL at {host}:{port} (--pg-host/--pg-port, "
                f"PGHOST/PGPORT) does not answer for user {user}: {reason}\nStart that "
                "server, or correct or unset PGHOST/PGPORT/PGUSER/PGPASSWORD."
            ) from exc
        if not _not_answering(exc):
            raise SuiteError(
                f"The PostgreSQL server at {host}:{port} answers but refuses user {user}: "
                f"{reason}\nSet PGUSER and PGPASSWORD to a role that may create databases."
            ) from exc
        db = start_embedded_database(f"{host}:{port}", Path(args.pgdata))
    say(f"PostgreSQL: {db.origin}")
    return db


def _os_user():
    import getpass  # noqa: PLC0415

    return getpass.getuser()


def _default_pgdata():
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return str(data_home / "aftersales-suite" / "pgdata")


def start_embedded_database(default_address, pgdata):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' notes about XDG_RUNTIME_DIR
        try:
            import pgserver  # noqa: PLC0415
        except ImportError:
            pip_install("pgserver")
            import pgserver  # noqa: PLC0415
    say(
        f"No PostgreSQL is configured (PGHOST/PGPORT) and none answers on {default_address}: "
        f"starting an embedded PostgreSQL (pgserver) with its data in {pgdata}"
    )
    pgdata.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' notes about XDG_RUNTIME_DIR
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    superuser = Database(str(info.socket_dir), info.port, "postgres", "", "embedded", server)
    # Odoo refuses to run as the "postgres" superuser: give it a role of its own.
    with superuser.connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_roles WHERE rolname = 'odoo'")
        if not cr.fetchone():
            cr.execute("CREATE ROLE odoo LOGIN CREATEDB")
    return Database(str(info.socket_dir), info.port, "odoo", "", f"embedded ({pgdata})", server)


# --------------------------------------------------------------------------------------------
# Running Odoo from this checkout
# --------------------------------------------------------------------------------------------
RUNNER = '''\
"""Odoo's command line with the addons of {root} first (written by aftersales.py)."""

import os
import sys

os.environ["TZ"] = "UTC"  # as Odoo's own launcher does, before anything reads the time zone

import odoo.addons  # noqa: E402

# This checkout wins over any copy of the suite that `pip install .` put beside Odoo.
odoo.addons.__path__.insert(0, {root!r})

import odoo.cli  # noqa: E402

sys.exit(odoo.cli.main())
'''


def write_runner(workdir):
    """A real script for Odoo's command line: the prefork server re-executes sys.argv[0]

    to start its gevent (websocket) worker, so argv[0] must be runnable, not a module name."""
    path = workdir / "odoo-aftersales"
    path.write_text(RUNNER.format(root=str(ROOT)), encoding="utf-8")
    path.chmod(0o755)
    return path


def odoo_addons_path():
    import odoo.addons  # noqa: PLC0415

    core = [p for p in odoo.addons.__path__ if Path(p).resolve() != ROOT]
    return ",".join([str(ROOT), *core])


def write_odoo_config(path, db, **options):
    values = {**db.odoo_options(), "addons_path": odoo_addons_path(), **options}
    lines = ["[options]"] + [f"{key} = {value}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def odoo_command(runner, config, *args, subcommand=()):
    return [sys.executable, str(runner), *subcommand, "-c", str(config), *args]


INSTALL_LOG_PROBLEMS = (" ERROR ", " CRITICAL ", "has no access rules")


def check_install_log(log_path, what):
    problems = [
        line
        for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        if any(marker in line for marker in INSTALL_LOG_PROBLEMS)
    ]
    if problems:
        raise SuiteError(
            f"{what} logged errors (full log: {log_path}):\n" + "\n".join(problems[:40])
        )


def run_logged(cmd, log, what, stdin=None):
    with log.open("w") as out:
        proc = subprocess.run(
            cmd, stdout=out, stderr=subprocess.STDOUT, input=stdin, text=True, check=False
        )
    if proc.returncode:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        raise SuiteError(f"{what} failed (full log: {log}):\n" + "\n".join(tail))
    check_install_log(log, what)


# --------------------------------------------------------------------------------------------
# demo and serve
# --------------------------------------------------------------------------------------------
def installed_addons(db, name):
    with db.connect(name) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT name FROM ir_module_module WHERE name IN %s AND state = 'installed'",
            (ADDONS,),
        )
        return {row[0] for row in cr.fetchall()}


# Run in `odoo shell`: Chinese loaded once, then the demo's staff and outlet user speak it.
CHINESE_SCRIPT = """
lang = env["res.lang"].with_context(active_test=False).search([("code", "=", {lang!r})])
if not lang.active:
    env["res.lang"]._activate_lang({lang!r})
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
        [{lang!r}]
    )
users = env["res.users"].with_context(active_test=False).search([("login", "in", {logins!r})])
users.write({{"lang": {lang!r}}})
env.cr.commit()
print("chinese users:", ",".join(sorted(users.mapped("login"))))
"""


def prepare_demo(args, db, runner, workdir):
    """Create or update the demo database, with Chinese for the demo's staff."""
    name = args.db
    config = write_odoo_config(workdir / "install.conf", db, log_level="warn")
    addons = ",".join(ADDONS)
    if db.exists(name) and installed_addons(db, name) == set(ADDONS):
        say(f"Reusing database {name}: updating the suite's addons to this checkout")
        step = ["-u", addons]
    else:
        say(f"Creating database {name} with the suite and its demo data (a few minutes)")
        step = ["-i", addons]
    run_logged(
        odoo_command(runner, config, "-d", name, *step, "--stop-after-init", "--no-http"),
        workdir / "install.log",
        f"Installing the suite into {name}",
    )
    say(f"Loading Chinese ({CHINESE}) for the demo's staff and outlet user")
    run_logged(
        odoo_command(runner, config, "-d", name, "--no-http", subcommand=["shell"]),
        workdir / "chinese.log",
        f"Loading Chinese into {name}",
        stdin=CHINESE_SCRIPT.format(lang=CHINESE, logins=list(CHINESE_LOGINS)),
    )


def run_server(args, db, runner, workdir):
    name = args.db
    args.gevent_port = int(args.gevent_port or args.http_port + 3)
    options = {
        "http_port": args.http_port,
        "dbfilter": f"^{name}$",
        "list_db": "False",
        "workers": args.workers,
    }
    if args.workers:
        options["gevent_port"] = args.gevent_port
    config = write_odoo_config(workdir / "server.conf", db, **options)
    mode = (
        f"{args.workers} HTTP workers, websocket (gevent) worker on port {args.gevent_port}"
        if args.workers
        else "one process (threaded)"
    )
    print(
        textwrap.dedent(
            f"""
            After-sales demo ready: http://localhost:{args.http_port}  ({mode})
              database: {name}
              login:    admin
              password: admin
            Press Ctrl+C to stop the server.
            """
        ),
        flush=True,
    )
    server = subprocess.Popen(
        odoo_command(runner, config, "-d", name, f"--log-level={args.log_level}")
    )
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop_server(server)


def stop_server(server):
    """Odoo stops gracefully on a first signal and at once on a second one."""
    for timeout in (60, 10):
        if server.poll() is not None:
            return
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout)
        except subprocess.TimeoutExpired:
            continue
    if server.poll() is None:
        server.kill()
        server.wait()


def command_demo(args):
    check_odoo()
    db = resolve_database(args)
    workdir = Path(tempfile.mkdtemp(prefix="aftersales-demo-"))
    try:
        runner = write_runner(workdir)
        prepare_demo(args, db, runner, workdir)
        if args.no_serve:
            say(f"Database {args.db} is ready (--no-serve: not serving it)")
            return 0
        return run_server(args, db, runner, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def command_serve(args):
    check_odoo()
    db = resolve_database(args)
    if not (db.exists(args.db) and installed_addons(db, args.db) == set(ADDONS)):
        raise SuiteError(
            f"Database {args.db} does not hold the suite: create it first with "
            "`python3 aftersales.py demo --no-serve` (same --db / AFTERSALES_DEMO_DB)."
        )
    workdir = Path(tempfile.mkdtemp(prefix="aftersales-serve-"))
    try:
        return run_server(args, db, write_runner(workdir), workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# test
# --------------------------------------------------------------------------------------------
def lint():
    say("ruff check, ruff format --check, pylint-odoo")
    targets = [*ADDONS, "tests", "aftersales.py", "setup.py", "conftest.py"]
    steps = [
        [sys.executable, "-m", "ruff", "check", *targets],
        [sys.executable, "-m", "ruff", "format", "--check", *targets],
        [sys.executable, "-m", "pylint", "--rcfile=.pylintrc", *ADDONS],
    ]
    for cmd in steps:
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        if proc.returncode:
            raise SuiteError(f"Lint failed: `{' '.join(cmd[2:])}` (exit code {proc.returncode}).")


def install_databases(db, runner, workdir, names):
    """Install the three addons into each database in parallel; names maps db -> demo flag."""
    procs = []
    for name, with_demo in names.items():
        config = write_odoo_config(
            workdir / f"{name}.conf", db, data_dir=workdir / "data", log_level="warn"
        )
        log = workdir / f"{name}.log"
        args = ["-d", name, "-i", ",".join(ADDONS), "--stop-after-init", "--no-http"]
        if not with_demo:
            args.append("--without-demo=all")
        out = log.open("w")
        say(f"installing the addons into {name} ({'with' if with_demo else 'without'} demo data)")
        cmd = odoo_command(runner, config, *args)
        procs.append((name, log, out, subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)))
    failures = []
    for name, log, out, proc in procs:
        proc.wait()
        out.close()
        try:
            if proc.returncode:
                tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
                raise SuiteError(f"Installing into {name} failed:\n" + "\n".join(tail))
            check_install_log(log, f"Installing into {name}")
        except SuiteError as exc:
            failures.append(str(exc))
    if failures:
        raise SuiteError("\n\n".join(failures))


def start_pytest(db, workdir, name, selection, log=None):
    """Start one pytest-odoo run on one database, its output piped to us or written to log."""
    config = write_odoo_config(
        workdir / f"pytest-{name}.conf",
        db,
        db_name=name,
        data_dir=workdir / "data",
        log_level="warn",
    )
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        f"--odoo-config={config}",
        f"--odoo-database={name}",
        "--odoo-http",
        "-rs",
        *selection,
    ]
    say("pytest " + " ".join(cmd[3:]) + (f" > {log.name}" if log else ""))
    out = log.open("w") if log else subprocess.PIPE
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    return proc, log


def run_pytests(db, workdir, databases, selection):
    """The runs on every database at once: the first one's output live, the others' after it.

    Returns {database: (exit code, pytest's summary line)}."""
    runs = {}
    try:
        for index, (name, with_demo) in enumerate(databases.items()):
            say(f"running the tests on {name} ({'demo data' if with_demo else 'empty'})")
            log = workdir / f"pytest-{name}.log" if index else None
            runs[name] = start_pytest(db, workdir, name, selection, log)
        results = {}
        for name, (proc, log) in runs.items():
            if log:
                proc.wait()
                say(f"the tests on {name}:")
                lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
                print("\n".join(lines), flush=True)
            else:
                lines = []
                for line in proc.stdout:
                    print(line, end="", flush=True)
                    lines.append(line.rstrip("\n"))
                proc.wait()
            summary = next((line for line in reversed(lines) if PYTEST_SUMMARY.match(line)), "")
            results[name] = (proc.returncode, summary)
        return results
    finally:
        for proc, _log in runs.values():
            if proc.poll() is None:
                proc.terminate()
                proc.wait()


PYTEST_SUMMARY = re.compile(r"^=+ (.*) in [\d.]+s\b.* =+$")
PYTEST_COUNT = re.compile(r"(\d+) ([a-z][a-z ]*)$")


def summary_line(summaries, seconds, databases):
    """pytest's summary lines added up: '= 12 failed, 600 passed in 1.00s on ... ='."""
    totals = {}
    for summary in summaries:
        match = PYTEST_SUMMARY.match(summary)
        for part in match.group(1).split(", ") if match else ():
            count = PYTEST_COUNT.match(part.strip())
            if count:
                totals[count.group(2)] = totals.get(count.group(2), 0) + int(count.group(1))
    # failures first, as pytest puts them
    labels = sorted(totals, key=lambda label: not ("fail" in label or "error" in label))
    parts = [f"{totals[label]} {label}" for label in labels] or ["no tests ran"]
    text = f" {', '.join(parts)} in {seconds:.2f}s on {databases} "
    return text.center(78, "=")


def command_test(args, pytest_args):
    check_odoo()
    ensure_test_tools()
    browser = find_browser()
    if not args.quick:
        lint()
    db = resolve_database(args)
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    name = f"{args.prefix}_{stamp}_{os.getpid()}"
    # The tests must hold on any database: an empty one, and (unless quick) the demo data's.
    databases = {name: False}
    if not args.quick:
        databases[f"{name}_demo"] = True
    selection = pytest_args or [a for a in ADDONS if (ROOT / a / "tests").is_dir()] + ["tests"]
    workdir = Path(tempfile.mkdtemp(prefix="aftersales-test-"))
    started = time.monotonic()
    results = {}
    try:
        install_databases(db, write_runner(workdir), workdir, databases)
        results = run_pytests(db, workdir, databases, selection)
    finally:
        for database in databases:
            try:
                db.drop(database)
            except Exception as exc:  # noqa: BLE001 - a failed drop must not hide the result
                print(f"[aftersales] could not drop {database}: {exc}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    for database, (code, _summary) in results.items():
        say(f"{database}: pytest exit code {code}")
    if not browser:
        shout(
            "no Chrome/Chromium found: the browser tests (tours, click-everything) were SKIPPED. "
            "Install Debian's `chromium` (or Google Chrome) to run them."
        )
    label = "the empty and the demo database" if len(databases) > 1 else "the empty database"
    code = max((code for code, _summary in results.values()), default=1)
    summaries = [summary for _code, summary in results.values()]
    if code and not any(word in " ".join(summaries) for word in ("failed", "error")):
        label += f" (pytest exit code {code})"  # e.g. an interrupted run
    print(summary_line(summaries, time.monotonic() - started, label), flush=True)
    return code


# --------------------------------------------------------------------------------------------
# odoo: Odoo's command line with this checkout's addons
# --------------------------------------------------------------------------------------------
def command_odoo(odoo_args):
    check_odoo()
    workdir = Path(tempfile.mkdtemp(prefix="aftersales-odoo-"))
    try:
        cmd = [sys.executable, str(write_runner(workdir)), *odoo_args]
        return subprocess.run(cmd, check=False).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def _env(name, default=None):
    return os.environ.get(name) or default


def _database_settings(parser):
    group = parser.add_argument_group("PostgreSQL")
    group.add_argument(
        "--pg-host",
        default=_env("PGHOST"),
        help="the PostgreSQL server (env PGHOST; default localhost). When it or --pg-port is "
        "set, that server must answer: it is never replaced by an embedded one",
    )
    group.add_argument(
        "--pg-port", type=int, default=_env("PGPORT"), help="its port (env PGPORT; default 5432)"
    )
    group.add_argument(
        "--pg-user",
        default=_env("PGUSER"),
        help="the role Odoo connects as; it may create databases and is not `postgres` "
        "(env PGUSER; default your login name)",
    )
    group.add_argument(
        "--pg-password", default=_env("PGPASSWORD"), help="its password (env PGPASSWORD)"
    )
    group.add_argument(
        "--pgdata",
        default=_env("AFTERSALES_PGDATA", _default_pgdata()),
        help="the embedded PostgreSQL's data folder, used when no server answers "
        "(env AFTERSALES_PGDATA; default %(default)s)",
    )


def _server_settings(parser, workers_default):
    parser.add_argument(
        "--db",
        default=_env("AFTERSALES_DEMO_DB", "aftersales_demo"),
        help="the demo database's name (env AFTERSALES_DEMO_DB; default %(default)s)",
    )
    parser.add_argument(
        "--http-port",
        type=int,
        default=int(_env("AFTERSALES_HTTP_PORT", 8069)),
        help="the server's HTTP port (env AFTERSALES_HTTP_PORT; default %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(_env("AFTERSALES_WORKERS", workers_default)),
        help="Odoo's HTTP worker processes; 0 serves from one threaded process "
        "(env AFTERSALES_WORKERS; default %(default)s)",
    )
    parser.add_argument(
        "--gevent-port",
        type=int,
        default=_env("AFTERSALES_GEVENT_PORT"),
        help="the websocket (gevent) worker's port when --workers > 0 "
        "(env AFTERSALES_GEVENT_PORT; default the HTTP port + 3)",
    )
    parser.add_argument(
        "--log-level",
        default=_env("AFTERSALES_LOG_LEVEL", "info"),
        help="Odoo's log level while serving (env AFTERSALES_LOG_LEVEL; default %(default)s)",
    )


def build_parser():
    parser = argparse.ArgumentParser(
        prog="aftersales.py",
        description=__doc__.split("\n\n")[0],
        epilog="`python3 aftersales.py COMMAND --help` lists the settings of a command.",
        allow_abbrev=False,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser(
        "demo",
        help="create (or reuse and update) the demo database and serve it",
        description="Create the demo database with the three addons and their demo data (or "
        "update it to this checkout when it exists), load Chinese (zh_CN) for the demo's "
        f"staff and outlet user ({', '.join(CHINESE_LOGINS)}; admin stays English), then "
        "serve it. Log in as admin / admin.",
        allow_abbrev=False,
    )
    _server_settings(demo, workers_default=0)
    demo.add_argument(
        "--no-serve",
        action="store_true",
        help="prepare the database and stop, without serving it",
    )
    _database_settings(demo)

    serve = commands.add_parser(
        "serve",
        help="serve the demo database with Odoo's multi-worker (production) server",
        description="Serve the existing demo database (made by `demo`) as production does: "
        "a prefork master, --workers HTTP worker processes, a cron worker and the websocket "
        "(gevent) worker on --gevent-port.",
        allow_abbrev=False,
    )
    _server_settings(serve, workers_default=2)
    _database_settings(serve)

    test = commands.add_parser(
        "test",
        help="lint, install and run every test on an empty and on a demo database",
        usage="aftersales.py test [--quick] [settings] [PYTEST ARGS...]",
        description="The full run (what CI runs): ruff and pylint-odoo, the three addons "
        "installed on two fresh throw-away databases (one empty, one with the demo data), "
        "every test run with pytest-odoo on each (at once), both databases dropped at the "
        "end. Ends with one summary line over both runs; exits non-zero on any failure. Arguments "
        "this command does not know are passed to pytest (e.g. `-k pattern "
        "aftersales_service`) and select the tests of either run; they do not make the run "
        "quick.",
        allow_abbrev=False,
    )
    test.add_argument(
        "--quick",
        action="store_true",
        default=_env("AFTERSALES_QUICK") == "1",
        help="skip the lint and the demo database: the tests on the empty database only "
        "(env AFTERSALES_QUICK=1)",
    )
    test.add_argument(
        "--prefix",
        default=_env("AFTERSALES_TEST_DB_PREFIX", "aftersales_test"),
        help="the prefix of the throw-away databases' names, a unique suffix is added "
        "(env AFTERSALES_TEST_DB_PREFIX; default %(default)s)",
    )
    _database_settings(test)

    commands.add_parser(
        "odoo",
        help="Odoo's own command line with this checkout's addons first",
        description="Every argument goes to Odoo's command line, e.g. `odoo -d mydb -u "
        "aftersales_service --stop-after-init`, `odoo shell -d mydb`, `odoo -d mydb "
        "--i18n-export=x.pot --modules=aftersales_service`. PostgreSQL is the one of "
        "PGHOST/PGPORT/PGUSER/PGPASSWORD (read by libpq) or Odoo's own --db_host... options.",
        add_help=False,
    )
    return parser


def main(argv):
    parser = build_parser()
    if argv and argv[0] == "odoo":
        # everything after `odoo` is Odoo's, including its --help
        return command_odoo(argv[1:])
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    # a TERM (CI's time-out, a killed terminal) still drops the throw-away databases
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        if args.command == "test":
            return command_test(args, [a for a in extra if a != "--"])
        return {"demo": command_demo, "serve": command_serve}[args.command](args)
    except SuiteError as exc:
        print(f"[aftersales] error: {exc}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
