"""This pillar's pages in the web benchmark (``benchmarks/web_bench.py``): every list page
and API list, public and signed in."""

from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl

COORDINATOR = f"fellows.coordinator@{DEMO_DOMAIN}"
FELLOW = f"fellow@{DEMO_DOMAIN}"


def benchmark_urls() -> list[BenchmarkUrl]:
    signed_in = BenchmarkKind.SIGNED_IN
    return [
        BenchmarkUrl("Fellows", "/fellows/"),
        BenchmarkUrl("Fellows: numbers", "/fellows/numbers/"),
        BenchmarkUrl("Fellows: host offers", "/fellows/offers/"),
        BenchmarkUrl("Fellows: fellows", "/fellows/fellows/"),
        BenchmarkUrl("Fellows: completed exchanges", "/fellows/completed/"),
        BenchmarkUrl("Fellows: testimonials", "/fellows/testimonials/"),
        BenchmarkUrl("API host offers", "/api/v1/fellows/host-offers/", BenchmarkKind.API),
        BenchmarkUrl("API exchanges", "/api/v1/fellows/exchanges/", BenchmarkKind.API),
        BenchmarkUrl("My exchanges (fellow)", "/fellows/exchanges/", signed_in, user=FELLOW),
        BenchmarkUrl("Conversations (fellow)", "/fellows/conversations/", signed_in, user=FELLOW),
        BenchmarkUrl(
            "Exchanges (coordinator)", "/fellows/manage/exchanges/", signed_in, user=COORDINATOR
        ),
        BenchmarkUrl(
            "Mobility budget (coordinator)", "/fellows/manage/budget/", signed_in, user=COORDINATOR
        ),
    ]
