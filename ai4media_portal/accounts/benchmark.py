"""My portal in the web benchmark, as the demo applicant sees it."""

from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl


def benchmark_urls() -> list[BenchmarkUrl]:
    return [
        BenchmarkUrl(
            "My portal (applicant)",
            "/me/",
            BenchmarkKind.SIGNED_IN,
            user=f"applicant@{DEMO_DOMAIN}",
        ),
    ]
