#!/usr/bin/env python3
"""The after-sales suite's two commands.

    python3 aftersales.py demo   install the suite into Odoo's Python, create or reuse the demo
                                 database and serve it on http://localhost:8069
    python3 aftersales.py test   lint, install the three addons on throw-away databases, run every
                                 test with pytest-odoo; ends with pytest's summary line

Run them with the Python where Odoo 18.0 Community is installed. Settings come from the
environment (see README.md): PGHOST, PGPORT, PGUSER, PGPASSWORD, AFTERSALES_DEMO_DB,
AFTERSALES_HTTP_PORT, AFTERSALES_TEST_DB_PREFIX, AFTERSALES_PGDATA.
"""

import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ADDONS = ("aftersales_service", "aftersales_network", "aftersales_certification")
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


def _build_isolation_args():
    """Build with the tools at hand when they are there (works offline), else isolated."""
    import importlib.util  # noqa: PLC0415

    if importlib.util.find_spec("setuptools") and importlib.util.find_spec("wheel"):
        return ["--no-build-isolation"]
    return []


def ensure_test_tools():
    missing = []
    for module in ("pytest_odoo", "pylint_odoo", "ruff"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        say(f"test tools missing ({', '.join(missing)}): installing requirements-test.txt")
        pip_install("-r", str(ROOT / "requirements-test.txt"))


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


def resolve_database():
    """Use the configured server, else the default one, else start an embedded one."""
    import psycopg2  # noqa: PLC0415

    configured = any(os.environ.get(var) for var in ("PGHOST", "PGPORT"))
    host = os.environ.get("PGHOST") or "localhost"
    port = int(os.environ.get("PGPORT") or 5432)
    user = os.environ.get("PGUSER") or _os_user()
    password = os.environ.get("PGPASSWORD") or ""
    db = Database(host, port, user, password, origin=f"{host}:{port}")
    try:
        db.connect().close()
        return db
    except psycopg2.OperationalError as exc:
        reason = str(exc).strip()
        if configured:
            raise SuiteError(
                f"The configured PostgreSQL at {host}:{port} (PGHOST/PGPORT) does not answer "
                f"for user {user}: {reason}\nStart that server, or correct or unset "
                "PGHOST/PGPORT/PGUSER/PGPASSWORD."
            ) from exc
        if not _not_answering(exc):
            raise SuiteError(
                f"The PostgreSQL server at {host}:{port} answers but refuses user {user}: "
                f"{reason}\nSet PGUSER and PGPASSWORD to a role that may create databases."
            ) from exc
    return start_embedded_database(f"{host}:{port}")


def _os_user():
    import getpass  # noqa: PLC0415

    return getpass.getuser()


def start_embedded_database(default_address):
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    pgdata = Path(os.environ.get("AFTERSALES_PGDATA") or data_home / "aftersales-suite" / "pgdata")
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
# Running Odoo
# --------------------------------------------------------------------------------------------
def write_odoo_config(path, db, **options):
    values = {**db.odoo_options(), **options}
    lines = ["[options]"] + [f"{key} = {value}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def odoo_command(config, *args, from_tree=False):
    """The command line that runs Odoo's CLI, preferring this checkout's addons if asked."""
    launcher = "_odoo_tree" if from_tree else "_odoo"
    return [sys.executable, str(ROOT / "aftersales.py"), launcher, "-c", str(config), *args]


def run_odoo_main(argv, from_tree):
    import odoo.addons  # noqa: PLC0415

    if from_tree:
        # This checkout's addons win over any copy that `pip install .` put in site-packages.
        odoo.addons.__path__.insert(0, str(ROOT))
    from odoo.cli import main  # noqa: PLC0415

    sys.argv = ["odoo", *argv]
    main()


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


# --------------------------------------------------------------------------------------------
# demo
# --------------------------------------------------------------------------------------------
def installed_addons(db, name):
    with db.connect(name) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT name FROM ir_module_module WHERE name IN %s AND state = 'installed'",
            (ADDONS,),
        )
        return {row[0] for row in cr.fetchall()}


def command_demo(_args):
    check_python()
    version = check_odoo()
    say(f"Odoo {version} found in {sys.executable}")
    pip_install(*_build_isolation_args(), str(ROOT))
    db = resolve_database()
    say(f"PostgreSQL: {db.origin}")
    name = os.environ.get("AFTERSALES_DEMO_DB") or "aftersales_demo"
    port = int(os.environ.get("AFTERSALES_HTTP_PORT") or 8069)
    workdir = Path(tempfile.mkdtemp(prefix="aftersales-demo-"))
    config = write_odoo_config(
        workdir / "odoo.conf", db, http_port=port, dbfilter=f"^{name}$", list_db="False"
    )
    addons = ",".join(ADDONS)
    if db.exists(name) and installed_addons(db, name) == set(ADDONS):
        say(f"Reusing database {name}: updating the suite's addons to this version")
        step = ["-u", addons]
    else:
        say(f"Creating database {name} with the suite and its demo data (a few minutes)")
        step = ["-i", addons]
    log = workdir / "install.log"
    with log.open("w") as out:
        proc = subprocess.run(
            odoo_command(config, "-d", name, *step, "--stop-after-init", "--log-level=warn"),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if proc.returncode:
        raise SuiteError(f"Installing the suite into {name} failed; see {log}")
    banner = textwrap.dedent(
        f"""
        After-sales demo ready: http://localhost:{port}
          database: {name}
          login:    admin
          password: admin
        Press Ctrl+C to stop the server.
        """
    )
    print(banner, flush=True)
    server = subprocess.Popen(odoo_command(config, "-d", name, "--log-level=info"))
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        server.wait()
        return 0
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


def install_databases(db, workdir, names):
    """Install the three addons into each database in parallel; names maps db -> demo flag."""
    procs = []
    for name, with_demo in names.items():
        config = write_odoo_config(
            workdir / f"{name}.conf", db, data_dir=workdir / "data", log_level="warn"
        )
        log = workdir / f"{name}.log"
        args = ["-d", name, "-i", ",".join(ADDONS), "--stop-after-init"]
        if not with_demo:
            args.append("--without-demo=all")
        out = log.open("w")
        say(f"installing the addons into {name} ({'with' if with_demo else 'without'} demo data)")
        procs.append(
            (
                name,
                log,
                out,
                subprocess.Popen(
                    odoo_command(config, *args, from_tree=True),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                ),
            )
        )
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


# the executables Odoo's browser tests look for, in its order
BROWSERS = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


def warn_without_browser():
    if not any(shutil.which(name) for name in BROWSERS):
        say(
            "WARNING: no Chrome or Chromium found on the PATH (looked for "
            f"{', '.join(BROWSERS)}): the browser tests (click-everything per role, tours) "
            "will be SKIPPED."
        )


def command_test(pytest_args):
    check_python()
    version = check_odoo()
    say(f"Odoo {version} found in {sys.executable}")
    ensure_test_tools()
    quick = bool(pytest_args) or os.environ.get("AFTERSALES_QUICK") == "1"
    if not quick:
        lint()
    db = resolve_database()
    say(f"PostgreSQL: {db.origin}")
    prefix = os.environ.get("AFTERSALES_TEST_DB_PREFIX") or "aftersales_test"
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    name = f"{prefix}_{stamp}_{os.getpid()}"
    databases = {name: False}
    if not quick:
        databases[f"{name}_demo"] = True
    workdir = Path(tempfile.mkdtemp(prefix="aftersales-test-"))
    try:
        install_databases(db, workdir, databases)
        config = write_odoo_config(
            workdir / "pytest.conf",
            db,
            db_name=name,
            data_dir=workdir / "data",
            log_level="warn",
            addons_path=str(ROOT),
        )
        targets = [a for a in ADDONS if (ROOT / a / "tests").is_dir()] + ["tests"]
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            f"--odoo-config={config}",
            f"--odoo-database={name}",
            "--odoo-http",
            "-rs",
            *(pytest_args or targets),
        ]
        warn_without_browser()
        say("pytest " + " ".join(cmd[3:]))
        return subprocess.run(cmd, cwd=ROOT, check=False).returncode
    finally:
        for database in databases:
            try:
                db.drop(database)
            except Exception as exc:  # noqa: BLE001 - a failed drop must not hide the result
                print(f"[aftersales] could not drop {database}: {exc}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
def main(argv):
    commands = {"demo": command_demo, "test": command_test}
    if len(argv) >= 1 and argv[0] in ("_odoo", "_odoo_tree"):
        return run_odoo_main(argv[1:], from_tree=argv[0] == "_odoo_tree")
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    # a TERM (CI's time-out, a killed terminal) still drops the throw-away databases
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return commands[argv[0]](argv[1:])
    except SuiteError as exc:
        print(f"[aftersales] error: {exc}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
