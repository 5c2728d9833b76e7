"""This pillar's pages in the web benchmark (``benchmarks/web_bench.py``); each list page it
adds joins here."""

from ai4media_portal.core.pillars import BenchmarkUrl


def benchmark_urls() -> list[BenchmarkUrl]:
    return [BenchmarkUrl("Fellows", "/fellows/")]
