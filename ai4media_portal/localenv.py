"""Local environment for `make run` and `make test`.

When DATABASE_URL is unset, an embedded PostgreSQL 16 (the ``pgserver`` wheel) is started with
its data under ``.data/pg`` and left running, so the next command reuses it within a second.
When REDIS_URL is set, `run` starts a Celery worker and beat beside the web server; otherwise
tasks run eagerly in the web process.

    python -m ai4media_portal.localenv run            # migrate, seed once, serve
    python -m ai4media_portal.localenv exec CMD ...   # run CMD with DATABASE_URL set
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / ".data"))
EMBEDDED_DB_NAME = "ai4media"


def log(message: str) -> None:
    print(f"[portal] {message}", flush=True)


def embedded_database_url(db_name: str = EMBEDDED_DB_NAME) -> str:
    import warnings

    # pgserver asks platformdirs for a runtime directory it does not use here.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import pgserver

    pgdata = DATA_DIR / "pg"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{db_name}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{db_name}";')
    # pgserver listens on a unix socket inside its data directory.
    return f"postgres://postgres@/{quote(str(pgdata), safe='')}/{db_name}"


def ensure_database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    url = embedded_database_url()
    os.environ["DATABASE_URL"] = url
    log(f"DATABASE_URL is unset: using the embedded PostgreSQL in {DATA_DIR / 'pg'}")
    return url


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True)


def run() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ai4media_portal.settings.dev")
    os.environ.setdefault("DEBUG", "1")
    # Demo accounts for privileged roles would each need an authenticator app; production
    # (and the test suite) enforce it. Set MFA_REQUIRED_FOR_PRIVILEGED=1 to try it here.
    os.environ.setdefault("MFA_REQUIRED_FOR_PRIVILEGED", "0")
    port = os.environ.get("PORT", "8000")
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    ensure_database_url()
    (DATA_DIR / "mail").mkdir(parents=True, exist_ok=True)
    manage("migrate", "--no-input", "-v", "0")
    manage("seed_demo", "--once")
    address = f"127.0.0.1:{port}"
    log(f"Serving the portal at http://{address}/  (API docs: http://{address}/api/docs/)")
    log("Sign in with any demo account above; emails are printed here and kept in .data/mail/")
    if os.environ.get("REDIS_URL"):
        log("REDIS_URL is set: Celery worker and beat run beside the web server")
        procfile = DATA_DIR / "Procfile"
        python = sys.executable
        procfile.write_text(
            f"web: {python} {BASE_DIR / 'manage.py'} runserver {address}\n"
            f"worker: {python} -m celery -A ai4media_portal worker --loglevel INFO "
            f"--concurrency 2\n"
            f"beat: {python} -m celery -A ai4media_portal beat --loglevel INFO "
            f"--schedule {DATA_DIR / 'celerybeat-schedule'}\n"
        )
        honcho = shutil.which("honcho", path=str(Path(sys.executable).parent))
        os.execv(honcho, [honcho, "-f", str(procfile), "-d", str(BASE_DIR), "start"])
    log("REDIS_URL is unset: Celery tasks run eagerly inside the web process")
    os.execv(sys.executable, [sys.executable, str(BASE_DIR / "manage.py"), "runserver", address])


def exec_command(argv: list[str]) -> None:
    ensure_database_url()
    if not argv:
        raise SystemExit("usage: python -m ai4media_portal.localenv exec CMD [ARGS...]")
    executable = shutil.which(argv[0], path=str(Path(sys.executable).parent)) or argv[0]
    os.execvp(executable, [executable, *argv[1:]])


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"run", "exec", "database-url"}:
        raise SystemExit(__doc__)
    if argv[0] == "run":
        run()
    elif argv[0] == "exec":
        exec_command(argv[1:])
    else:
        print(ensure_database_url())


if __name__ == "__main__":
    main(sys.argv[1:])
