"""The Django side of the web benchmark, run by ``web_bench`` in its own process with the
production settings and the benchmark's database:

    python -m benchmarks.web_setup SCALE

Migrates; seeds ``seed_demo --scale SCALE`` unless that data is already there; collects the
static files unless they are unchanged; gives the signed-in accounts a second factor and a
session; resolves the URLs the pillars contribute (``<app>/benchmark.py``); measures each
page's own cost in this process with the cache off (median time, SQL time, queries); and
prints one JSON object on its last line of output.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

OWN_COST_RUNS = 9


def main(argv: list[str]) -> int:
    scale = int(argv[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ai4media_portal.settings.production")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    _seed(scale)
    _collect_static()
    urls = _resolve_urls()
    cookies = _sign_in({url["user"] for url in urls if url["user"]})
    _own_costs(urls)

    from ai4media_portal.core.public_cache import SCOPES, public_data_changed

    public_data_changed(*SCOPES)  # start from an empty cache
    print(json.dumps({"urls": urls, "cookies": cookies, "data": _data_size()}))
    return 0


def _log(message: str) -> None:
    print(f"[bench-web] {message}", file=sys.stderr, flush=True)


def _expected_bulk_organisations(scale: int) -> int:
    from network.demo import BULK_PER_SCALE

    return (scale - 1) * BULK_PER_SCALE


def _seed(scale: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from ai4media_portal.core.demo import demo_modules
    from ai4media_portal.core.models import DemoDataset
    from network.models import Organisation

    loaded = dict(DemoDataset.objects.values_list("app_label", "version"))
    current = all(
        loaded.get(label, 0) >= getattr(module, "DEMO_VERSION", 1)
        for label, module in demo_modules()
    )
    bulk = Organisation.objects.filter(slug__startswith="bulk-").count()
    if current and bulk >= _expected_bulk_organisations(scale):
        _log(f"reusing the data of seed_demo --scale {scale} ({bulk:,} bulk organisations)")
        return
    _log(f"seed_demo --scale {scale} …")
    started = time.perf_counter()
    call_command("seed_demo", scale=scale, quiet_accounts=True, stdout=sys.stderr)
    # The planner's statistics, as autovacuum would have them some minutes after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _log(f"seeded in {time.perf_counter() - started:.0f} s")


def _static_fingerprint() -> str:
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _collect_static() -> None:
    from django.conf import settings
    from django.core.management import call_command

    marker = Path(settings.STATIC_ROOT) / ".fingerprint"
    fingerprint = _static_fingerprint()
    if marker.exists() and marker.read_text() == fingerprint:
        return
    _log("collectstatic (compressing and hashing) …")
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(fingerprint)


def _resolve_urls() -> list[dict]:
    """The contributed URLs as dicts, deep API pages resolved to the cursor they reach."""
    from django.test import Client

    from ai4media_portal.core.pillars import collect_benchmark_urls

    client = Client(HTTP_HOST="127.0.0.1")
    urls = []
    for url in collect_benchmark_urls():
        item = asdict(url)
        path = url.path
        for _ in range(url.follow_next):
            link = client.get(path).json()["next"]
            parts = urlsplit(link)
            path = f"{parts.path}?{parts.query}"
        item["url"] = path
        urls.append(item)
    return urls


def _sign_in(emails: set[str]) -> dict[str, str]:
    """The cookies of each account's browser (session and CSRF); privileged ones get an
    authenticator first, as production requires before they reach their tools."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt
    from django.conf import settings
    from django.test import Client

    from ai4media_portal.accounts.models import User

    cookies = {}
    for email in sorted(emails):
        user = User.objects.get(email=email)
        if user.needs_second_factor:
            Authenticator.objects.get_or_create(
                user=user,
                type=Authenticator.Type.TOTP,
                defaults={"data": {"secret": encrypt("BENCHMARKBENCHMARKBENCHMARK2345")}},
            )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        # A browser holds the CSRF cookie from its first page on; so does the benchmark.
        client.get("/privacy/")
        cookies[email] = "; ".join(
            f"{name}={client.cookies[name].value}"
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        )
    return cookies


def _own_costs(urls: list[dict]) -> None:
    """Each page rendered in this process with the cache off (the cost of a miss): median
    wall-clock time, this process's CPU time (less disturbed by a busy machine) and SQL time."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from ai4media_portal.accounts.models import User

    clients = {}
    with override_settings(PUBLIC_CACHE_ALIAS=None, PRIVATE_CACHE_ALIAS=None):
        for url in urls:
            client = clients.get(url["user"])
            if client is None:
                client = clients[url["user"]] = Client(HTTP_HOST="127.0.0.1")
                if url["user"]:
                    client.force_login(User.objects.get(email=url["user"]))
            client.get(url["url"])
            totals, cpu_times, sql_times, queries = [], [], [], 0
            for _ in range(OWN_COST_RUNS):
                sql = [0.0, 0]

                def timed(execute, statement, params, many, context, sql=sql):
                    started = time.perf_counter()
                    try:
                        return execute(statement, params, many, context)
                    finally:
                        sql[0] += time.perf_counter() - started
                        sql[1] += 1

                with connection.execute_wrapper(timed):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(url["url"])
                    totals.append(time.perf_counter() - started)
                    cpu_times.append(time.process_time() - cpu_started)
                sql_times.append(sql[0])
                queries = sql[1]
            url["own_cost"] = {
                "status": response.status_code,
                "ms": round(statistics.median(totals) * 1000, 1),
                "cpu_ms": round(statistics.median(cpu_times) * 1000, 1),
                "sql_ms": round(statistics.median(sql_times) * 1000, 1),
                "queries": queries,
                "bytes": len(response.content),
            }


def _data_size() -> dict:
    from network.models import Organisation
    from opencalls.models import FundedProject, Proposal

    return {
        "organisations": Organisation.objects.count(),
        "proposals": Proposal.objects.count(),
        "funded_projects": FundedProject.objects.count(),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
