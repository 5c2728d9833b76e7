"""Research outputs at scale: 100,000 records (``BENCH_OUTPUTS_COUNT``), in a database
``<DATABASE_URL's name>_bench_outputs`` seeded once by bulk inserts and then reused.

- **OAI-PMH harvest**: a harvester (plain HTTP against gunicorn with the production settings)
  walks ``ListRecords`` in ``oai_dc`` by resumption tokens to the empty last token. Every
  record ever published must come exactly once (tombstones as deleted headers); each page
  under 300 ms.
- **BibTeX import**: the preview of a 5,000-entry file (parse, check, find duplicates by DOI
  and by title and year against the 100,000), under 10 s (worst of three).
- **Catalogue search**: the catalogue page with a full-text search, facets and a page of
  results, under 150 ms (95th percentile over the queries' first five pages, each worked out
  afresh rather than taken from the cache).

The server is warmed up first (``WARM_UP`` requests), as a running portal is.

Writes ``benchmarks/results/outputs.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from . import web_bench
from .report import Row

NAME = "outputs"
ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "outputs.json"
COUNT = int(os.environ.get("BENCH_OUTPUTS_COUNT", "100000"))
PAGE_TARGET = 0.300
BIBTEX_TARGET = 10.0
SEARCH_TARGET = 0.150
SEARCH_REPEATS = 5
WARM_UP = 200
SEARCHES = [
    "deepfake",
    "deepfake detection",
    "federated learning edge",
    "trustworthy archives",
    "Papadopoulou",
    "müller verification",
    "study 4242",
    "moderation recommender fairness",
]
OAI = "{http://www.openarchives.org/OAI/2.0/}"


def _database(url: str) -> str:
    """``web_bench``'s helper names its database ``_bench_web``; this one is ``_bench_outputs``."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_bench_outputs"
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


def run() -> list[Row]:
    env = web_bench._server_env(_database(os.environ["DATABASE_URL"]))
    print(f"  preparing {COUNT} outputs …", flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.outputs_setup", str(COUNT)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        check=True,
        text=True,
    )
    setup = json.loads(result.stdout.strip().splitlines()[-1])
    port = web_bench._free_port()
    base = f"http://127.0.0.1:{port}"
    with web_bench._gunicorn(env, port):
        print("  warming the server up …", flush=True)
        _warm_up(base)
        print("  harvesting ListRecords …", flush=True)
        harvest = _harvest(base)
        print("  searching the catalogue …", flush=True)
        search = _search(base)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
        "setup": setup,
        "harvest": harvest,
        "search": search,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return _rows(report)


def _get(url: str) -> tuple[bytes, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return body, time.perf_counter() - started


def _warm_up(base: str) -> None:
    """Serve what a running portal has served before the harvester comes: ``WARM_UP``
    requests of the OAI-PMH verbs (every worker then has loaded its code and frozen it for
    the garbage collector, gunicorn.conf.py) and of the catalogue."""
    queries = [
        {"verb": "Identify"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_openaire"},
    ]
    for n in range(WARM_UP):
        _get(f"{base}/oai/?{urllib.parse.urlencode(queries[n % len(queries)])}")
        if n % 10 == 0:
            _get(f"{base}/outputs/")


def _harvest(base: str) -> dict:
    """Walk ListRecords to the end; count each identifier and time each page."""
    seen: dict[str, int] = {}
    deleted = 0
    times = []
    query = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    started = time.perf_counter()
    while True:
        body, seconds = _get(f"{base}/oai/?{urllib.parse.urlencode(query)}")
        times.append(seconds)
        root = ET.fromstring(body)
        error = root.find(f"{OAI}error")
        if error is not None:
            raise SystemExit(f"OAI error {error.get('code')}: {error.text}")
        for header in root.iter(f"{OAI}header"):
            identifier = header.findtext(f"{OAI}identifier")
            seen[identifier] = seen.get(identifier, 0) + 1
            deleted += header.get("status") == "deleted"
        token = root.find(f".//{OAI}resumptionToken")
        if token is None or not (token.text or "").strip():
            break
        query = {"verb": "ListRecords", "resumptionToken": token.text.strip()}
    total = time.perf_counter() - started
    times_ms = sorted(t * 1000 for t in times)
    return {
        "pages": len(times),
        "records": sum(seen.values()),
        "distinct": len(seen),
        "repeated": sum(1 for n in seen.values() if n > 1),
        "deleted_headers": deleted,
        "seconds": total,
        "page_ms_median": statistics.median(times_ms),
        "page_ms_p95": times_ms[int(len(times_ms) * 0.95) - 1],
        "page_ms_max": times_ms[-1],
    }


def _search(base: str) -> dict:
    """Each query's first ``SEARCH_REPEATS`` pages, each asked once: every answer is worked
    out afresh (``X-Cache: MISS``, the setup having invalidated the outputs' cached pages),
    as for a visitor whose search nobody made before. Then the first page once more, as the
    shared cache answers it."""
    timings = []
    per_query = {}
    cached = []
    for text in SEARCHES:
        runs = []
        for page in range(1, SEARCH_REPEATS + 1):
            query = urllib.parse.urlencode({"q": text, **({"page": page} if page > 1 else {})})
            seconds, state = _timed_page(f"{base}/outputs/?{query}")
            if state != "MISS":
                raise SystemExit(f"The search {text!r} (page {page}) came from the cache.")
            runs.append(seconds * 1000)
        per_query[text] = round(statistics.median(runs), 1)
        timings.extend(runs)
        seconds, state = _timed_page(f"{base}/outputs/?{urllib.parse.urlencode({'q': text})}")
        if state == "HIT":
            cached.append(seconds * 1000)
    timings.sort()
    return {
        "queries": per_query,
        "ms_median": statistics.median(timings),
        "ms_p95": timings[int(len(timings) * 0.95) - 1],
        "ms_max": timings[-1],
        "cached_ms_median": statistics.median(cached) if cached else None,
    }


def _timed_page(url: str) -> tuple[float, str]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        state = response.headers.get("X-Cache", "")
    return time.perf_counter() - started, state


def _rows(report: dict) -> list[Row]:
    setup, harvest, search = report["setup"], report["harvest"], report["search"]
    complete = (
        harvest["records"] == harvest["distinct"] == setup["harvestable"]
        and harvest["repeated"] == 0
    )
    bibtex = setup["bibtex_seconds"]
    per_query = ", ".join(f"{text} {ms:.0f}" for text, ms in search["queries"].items())
    actions = ", ".join(f"{n} {action}" for action, n in sorted(setup["bibtex_actions"].items()))
    return [
        Row(NAME, "instance", f"{setup['outputs']} outputs, {setup['harvestable']} harvestable"),
        Row(
            NAME,
            "OAI ListRecords harvest",
            f"{harvest['records']} records ({harvest['deleted_headers']} deleted) in "
            f"{harvest['pages']} pages, {harvest['seconds']:.0f} s",
            "each record exactly once",
            complete,
        ),
        Row(
            NAME,
            "OAI page (median; p95; max)",
            f"{harvest['page_ms_median']:.0f} ms; {harvest['page_ms_p95']:.0f} ms; "
            f"{harvest['page_ms_max']:.0f} ms",
            f"< {PAGE_TARGET * 1000:.0f} ms each",
            harvest["page_ms_max"] < PAGE_TARGET * 1000,
        ),
        Row(
            NAME,
            "BibTeX preview, 5,000 entries (worst of 3)",
            f"{max(bibtex):.1f} s ({actions})",
            f"< {BIBTEX_TARGET:.0f} s",
            max(bibtex) < BIBTEX_TARGET,
        ),
        Row(
            NAME,
            "catalogue search (median; p95; max)",
            f"{search['ms_median']:.0f} ms; {search['ms_p95']:.0f} ms; {search['ms_max']:.0f} ms "
            f"(per query: {per_query})",
            f"p95 < {SEARCH_TARGET * 1000:.0f} ms",
            search["ms_p95"] < SEARCH_TARGET * 1000,
        ),
        Row(
            NAME,
            "… the same first pages again, from the shared cache (median)",
            f"{search['cached_ms_median']:.1f} ms" if search["cached_ms_median"] else "no hit",
        ),
    ]
