"""This pillar's pages in the web benchmark (``benchmarks/web_bench.py``); each list page it
adds joins here."""

from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl

EDITOR = f"editor@{DEMO_DOMAIN}"


def benchmark_urls() -> list[BenchmarkUrl]:
    signed_in = BenchmarkKind.SIGNED_IN
    return [
        BenchmarkUrl("Observatory", "/observatory/"),
        BenchmarkUrl("Observatory content", "/observatory/content/"),
        BenchmarkUrl("Observatory search", "/observatory/content/?q=media", BenchmarkKind.SEARCH),
        BenchmarkUrl("Policy tracker", "/observatory/policy/"),
        BenchmarkUrl("Expert directory", "/observatory/experts/"),
        BenchmarkUrl("API observatory content", "/api/v1/observatory/content/", BenchmarkKind.API),
        BenchmarkUrl("API experts", "/api/v1/experts/", BenchmarkKind.API),
        BenchmarkUrl("Editorial queue (editor)", "/observatory/manage/", signed_in, user=EDITOR),
        BenchmarkUrl(
            "Proposals inbox (editor)", "/observatory/manage/proposals/", signed_in, user=EDITOR
        ),
        BenchmarkUrl(
            "Expert profiles queue (editor)",
            "/observatory/manage/experts/",
            signed_in,
            user=EDITOR,
        ),
    ]
