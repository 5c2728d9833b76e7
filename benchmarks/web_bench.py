"""Every page under load, measured against the cheapest view in the same run.

Seeds (once, then reused) a database ``<DATABASE_URL's name>_bench_web`` with
``seed_demo --scale 21`` (10,086 organisations, 4,080 proposals), starts gunicorn with the
production settings and ``gunicorn.conf.py`` on a free port, and loads with wrk (8
connections) ``/healthz`` — one ``SELECT 1`` and a broker ping, the cheapest view — then every
URL the pillars contribute in ``<app>/benchmark.py``, then ``/healthz`` again; twice. Each
URL's best pass counts, against the cheapest view's best: on a shared machine other work only
ever slows a pass down. Signed-in pages carry the session cookie of a demo account. Requests
come from many client addresses (``X-Forwarded-For``), so that the API's per-client throttle
runs as it does for real visitors.

Targets, as ratios of the cheapest view's requests per second: anonymous pages ≥ 50 %, API
lists ≥ 30 %, searches ≥ 20 %, signed-in pages ≥ 15 %; a deep page within 1.5× of its first
page; p99 ≤ 10× the cheapest view's p99; no error; each worker's memory within 10 % of what
it was after the warm-up. Writes ``benchmarks/results/web.json`` and prints a Markdown table.

Environment: ``BENCH_WEB_SCALE`` (21), ``BENCH_WEB_SECONDS`` (5 a pass), ``BENCH_WEB_PASSES``
(2), ``BENCH_WEB_CONNECTIONS`` (8), ``WEB_CONCURRENCY`` and ``WEB_THREADS`` (gunicorn's
workers and threads, see ``gunicorn.conf.py``); ``BENCH_WEB_KINDS`` (e.g. ``signed-in`` or
``page,api``) measures only those kinds of URL, for a quick look while working on them, and
writes ``web-<kinds>.json`` beside the reference.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from .report import Row

NAME = "web"
ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "web.json"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"

SCALE = int(os.environ.get("BENCH_WEB_SCALE", "21"))
SECONDS = int(os.environ.get("BENCH_WEB_SECONDS", "5"))
PASSES = int(os.environ.get("BENCH_WEB_PASSES", "2"))
CONNECTIONS = int(os.environ.get("BENCH_WEB_CONNECTIONS", "8"))
KINDS = tuple(kind for kind in os.environ.get("BENCH_WEB_KINDS", "").split(",") if kind)
if KINDS:
    RESULTS = RESULTS.with_name(f"web-{'-'.join(KINDS)}.json")
WARM_UP_SECONDS = 1
CHEAPEST = "/healthz"

# Share of the cheapest view's requests per second each kind of URL must reach.
TARGETS = {"page": 0.50, "api": 0.30, "search": 0.20, "signed-in": 0.15}
DEEP_LIMIT = 1.5
P99_LIMIT = 10.0
MEMORY_GROWTH_LIMIT = 0.10


def run() -> list[Row]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("The web benchmark needs wrk: `make bench-web` installs it.")
    env = _server_env(_bench_database(os.environ["DATABASE_URL"]))
    print(f"  preparing {env['DATABASE_URL'].rpartition('/')[2]} (scale {SCALE}) …", flush=True)
    setup = _setup(env)
    urls = [url for url in setup["urls"] if not KINDS or url["kind"] in KINDS]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    with _gunicorn(env, port) as master:
        for url in urls:
            url["check"] = _check(base + url["url"], setup["cookies"].get(url["user"], ""))
        for url in [{"url": CHEAPEST, "user": ""}, *urls]:
            _wrk(wrk, base + url["url"], setup["cookies"].get(url["user"], ""), WARM_UP_SECONDS)
        workers = _worker_pids(master)
        memory_before = {pid: _rss_mb(pid) for pid in workers}
        print(f"  measuring {len(urls) + 1} URLs, {PASSES} × {SECONDS} s each …", flush=True)
        cheapest = [_wrk(wrk, base + CHEAPEST, "", SECONDS)]
        for _pass in range(PASSES):
            for url in urls:
                cookie = setup["cookies"].get(url["user"], "")
                url.setdefault("passes", []).append(_wrk(wrk, base + url["url"], cookie, SECONDS))
            cheapest.append(_wrk(wrk, base + CHEAPEST, "", SECONDS))
        memory_after = {pid: _rss_mb(pid) for pid in workers}
    load_after = os.getloadavg()
    report = _report(setup, urls, cheapest, memory_before, memory_after, load_before, load_after)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown_table(report))
    print(f"\n  written to {RESULTS.relative_to(ROOT)}")
    return _rows(report)


# --- Preparing ---------------------------------------------------------------------------------


def _bench_database(url: str) -> str:
    """The URL of the benchmark's own database beside ``url``'s, created when missing."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_bench_web"
    params = {
        key: value
        for key, value in {
            "host": config["HOST"],
            "port": config["PORT"],
            "user": config["USER"],
            "password": config["PASSWORD"],
        }.items()
        if value
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base = url.partition("?")[0].rpartition("/")[0]
    return f"{base}/{name}"


def _server_env(database_url: str) -> dict[str, str]:
    data_dir = Path(os.environ.get("PORTAL_DATA_DIR", ROOT / ".data"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ai4media_portal.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(data_dir / "bench-static"),
        # wrk's requests carry addresses from a large pool (wrk_report.lua), as if through one
        # proxy, so the API's per-client throttle sees many clients; should that header be
        # ignored, one client at wrk's rate must still not be refused.
        "API_THROTTLE_ANON": "100000/s",
        "API_THROTTLE_USER": "100000/s",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DEBUG", None)
    return env


def _setup(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.web_setup", str(SCALE)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        check=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _gunicorn(env: dict[str, str], port: int):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "ai4media_portal.wsgi:application",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{CHEAPEST}", timeout=30):
                    break
            except (urllib.error.URLError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        yield server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check(url: str, cookie: str) -> int:
    """The status of one request: a redirect (to the sign-in page, say) is not the page."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wrk(wrk: str, url: str, cookie: str, seconds: int) -> dict:
    command = [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["--latency", "-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    measured = json.loads(line)
    measured["rps"] = measured["requests"] / (measured["duration_us"] / 1_000_000)
    return measured


def _worker_pids(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(entry.name))
    return sorted(children)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- Reporting ---------------------------------------------------------------------------------


def _gunicorn_settings() -> dict:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def _git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def _summary(measured: dict) -> dict:
    return {
        "rps": round(measured["rps"], 1),
        "p50_ms": round(measured["latency_us"]["p50"] / 1000, 2),
        "p99_ms": round(measured["latency_us"]["p99"] / 1000, 2),
        "requests": measured["requests"],
        "errors": sum(measured["errors"].values()),
    }


def _best(passes: list[dict]) -> dict:
    """The pass with the most requests per second, with the errors of every pass."""
    summaries = [_summary(measured) for measured in passes]
    best = dict(max(summaries, key=lambda summary: summary["rps"]))
    best["errors"] = sum(summary["errors"] for summary in summaries)
    best["passes_rps"] = [summary["rps"] for summary in summaries]
    best["passes_p99_ms"] = [summary["p99_ms"] for summary in summaries]
    return best


def _report(setup, urls, cheapest, memory_before, memory_after, load_before, load_after):
    reference = _best(cheapest)
    reference_rps, reference_p99 = reference["rps"], reference["p99_ms"]
    rows = []
    for url in urls:
        result = _best(url["passes"])
        if url["check"] != 200:
            result["errors"] = max(result["errors"], 1)
        target = TARGETS[url["kind"]]
        result.update(
            label=url["label"],
            url=url["url"],
            kind=url["kind"],
            user=url["user"],
            status=url["check"],
            ratio=round(result["rps"] / reference_rps, 3),
            target=target,
            p99_ratio=round(result["p99_ms"] / reference_p99, 1),
            own_cost=url["own_cost"],
            deep_of=url["deep_of"],
        )
        result["met"] = {
            "ratio": result["ratio"] >= target,
            "p99": result["p99_ratio"] <= P99_LIMIT,
            "errors": result["errors"] == 0,
        }
        rows.append(result)
    for row in rows:
        first_page = next(
            (r for r in rows if r["url"] == row["deep_of"] and not r["deep_of"]), None
        )
        if row["deep_of"] and first_page is not None:  # None: the first page was left out
            row["deep_slowdown"] = round(first_page["rps"] / row["rps"], 2)
            row["met"]["deep"] = row["deep_slowdown"] <= DEEP_LIMIT
    memory = [
        {
            "pid": pid,
            "before_mb": round(memory_before[pid], 1),
            "after_mb": round(memory_after.get(pid, 0.0), 1),
        }
        for pid in memory_before
    ]
    for worker in memory:
        worker["met"] = worker["after_mb"] <= worker["before_mb"] * (1 + MEMORY_GROWTH_LIMIT)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(value, 2) for value in load_before],
            "load_average_after": [round(value, 2) for value in load_after],
        },
        "commit": _git_commit(),
        "config": {
            "scale": SCALE,
            "seconds": SECONDS,
            "passes": PASSES,
            "connections": CONNECTIONS,
            "workers": len(memory),
            "threads": _gunicorn_settings()["threads"],
            "server": "gunicorn, gunicorn.conf.py, production settings",
            "cache": "redis" if os.environ.get("REDIS_URL") else "file",
        },
        "data": setup["data"],
        "cheapest": {"url": CHEAPEST, **reference},
        "urls": rows,
        "memory": memory,
        "errors": sum(row["errors"] for row in rows) + reference["errors"],
    }


def _verdict(row: dict) -> str:
    missed = [name for name, met in row["met"].items() if not met]
    return "ok" if not missed else "MISSED " + ", ".join(missed)


def markdown_table(report: dict) -> str:
    cheapest = report["cheapest"]
    runs = " · ".join(f"{rps:,.0f}" for rps in cheapest["passes_rps"])
    machine = report["machine"]
    lines = [
        f"{report['data']['organisations']:,} organisations, "
        f"{report['data']['proposals']:,} proposals; {machine['cpus']} cores, "
        f"gunicorn {report['config']['workers']} workers × {report['config']['threads']} threads, "
        f"wrk {report['config']['connections']} "
        f"connections, best of {report['config']['passes']} passes of "
        f"{report['config']['seconds']} s; load average "
        f"{machine['load_average_before'][0]:.1f} before, "
        f"{machine['load_average_after'][0]:.1f} after; {report['when']}, {report['commit']}",
        "",
        f"Cheapest view `{cheapest['url']}`: {cheapest['rps']:,.0f} req/s at best (p50 "
        f"{cheapest['p50_ms']} ms, p99 {cheapest['p99_ms']} ms); at the start, between the "
        f"passes and at the end: {runs} req/s.",
        "",
        "| page | kind | req/s | vs cheapest | target | p50 ms | p99 ms | p99 vs cheapest "
        "| errors | miss: CPU ms, SQL ms, queries | result |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in report["urls"]:
        own = row["own_cost"]
        deep = f", {row['deep_slowdown']}× its first page" if "deep_slowdown" in row else ""
        lines.append(
            f"| {row['label']} `{row['url'][:48]}` | {row['kind']} | {row['rps']:,.0f} "
            f"| {row['ratio'] * 100:.0f} %{deep} | ≥ {row['target'] * 100:.0f} % "
            f"| {row['p50_ms']} | {row['p99_ms']} | {row['p99_ratio']}× | {row['errors']} "
            f"| {own['cpu_ms']}, {own['sql_ms']}, {own['queries']} | {_verdict(row)} |"
        )
    memory = ", ".join(f"{w['before_mb']:.0f} → {w['after_mb']:.0f} MB" for w in report["memory"])
    lines += ["", f"Workers' memory (after warm-up → end): {memory}. Errors: {report['errors']}."]
    return "\n".join(lines)


KIND_NAMES = {
    "page": "anonymous pages",
    "api": "API lists",
    "search": "searches",
    "signed-in": "signed-in pages",
}


def _rows(report: dict) -> list[Row]:
    """The summary for ``python -m benchmarks``: one row per target."""
    cheapest = report["cheapest"]
    rows = [Row(NAME, f"cheapest view {cheapest['url']}", f"{cheapest['rps']:,.0f} req/s")]
    for kind, name in KIND_NAMES.items():
        of_kind = [row for row in report["urls"] if row["kind"] == kind]
        if not of_kind:  # left out by BENCH_WEB_KINDS
            continue
        met = [row for row in of_kind if row["met"]["ratio"]]
        lowest = min(of_kind, key=lambda row: row["ratio"])
        rows.append(
            Row(
                NAME,
                f"{name}: share of the cheapest view's req/s",
                f"{len(met)} of {len(of_kind)} met; lowest {lowest['ratio']:.0%} "
                f"({lowest['label']})",
                f"≥ {TARGETS[kind]:.0%}",
                len(met) == len(of_kind),
            )
        )
    deep = [row for row in report["urls"] if "deep" in row["met"]]
    rows.append(
        Row(
            NAME,
            "deep pages against their first page",
            ", ".join(f"{row['deep_slowdown']}×" for row in deep),
            f"≤ {DEEP_LIMIT}×",
            all(row["met"]["deep"] for row in deep),
        )
    )
    worst = max(report["urls"], key=lambda row: row["p99_ratio"])
    rows += [
        Row(
            NAME,
            "p99 against the cheapest view's p99",
            f"worst {worst['p99_ratio']}× ({worst['label']})",
            f"≤ {P99_LIMIT:.0f}×",
            all(row["met"]["p99"] for row in report["urls"]),
        ),
        Row(NAME, "errors", str(report["errors"]), "0", report["errors"] == 0),
        Row(
            NAME,
            "workers' memory (MB, warm → end)",
            ", ".join(f"{w['before_mb']:.0f} → {w['after_mb']:.0f}" for w in report["memory"]),
            f"≤ +{MEMORY_GROWTH_LIMIT:.0%}",
            all(w["met"] for w in report["memory"]),
        ),
    ]
    return rows
