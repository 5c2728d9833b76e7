"""The core's pages in the web benchmark (``benchmarks/web_bench.py``); ``/healthz``, the
cheapest view, is measured by the benchmark itself as its reference."""

from .demo import DEMO_DOMAIN
from .pillars import BenchmarkKind, BenchmarkUrl


def benchmark_urls() -> list[BenchmarkUrl]:
    return [
        BenchmarkUrl("Home", "/"),
        BenchmarkUrl("Privacy notice", "/privacy/"),
        # The least any signed-in page costs: session, user, the base template, no data.
        BenchmarkUrl(
            "Privacy notice (signed in)",
            "/privacy/",
            BenchmarkKind.SIGNED_IN,
            user=f"applicant@{DEMO_DOMAIN}",
        ),
    ]
