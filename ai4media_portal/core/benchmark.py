"""The core's pages in the web benchmark (``benchmarks/web_bench.py``); ``/healthz``, the
cheapest view, is measured by the benchmark itself as its reference."""

from .pillars import BenchmarkUrl


def benchmark_urls() -> list[BenchmarkUrl]:
    return [
        BenchmarkUrl("Home", "/"),
        BenchmarkUrl("Privacy notice", "/privacy/"),
    ]
