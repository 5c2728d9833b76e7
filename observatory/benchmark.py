"""This pillar's pages in the web benchmark (``benchmarks/web_bench.py``); each list page it
adds joins here."""

from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl


def benchmark_urls() -> list[BenchmarkUrl]:
    return [
        BenchmarkUrl("Observatory", "/observatory/"),
        BenchmarkUrl("Observatory content", "/observatory/content/"),
        BenchmarkUrl("Observatory search", "/observatory/content/?q=media", BenchmarkKind.SEARCH),
        BenchmarkUrl("Policy tracker", "/observatory/policy/"),
        BenchmarkUrl("Expert directory", "/observatory/experts/"),
        BenchmarkUrl("API observatory content", "/api/v1/observatory/content/", BenchmarkKind.API),
        BenchmarkUrl("API experts", "/api/v1/experts/", BenchmarkKind.API),
    ]
