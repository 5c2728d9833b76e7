"""This pillar's pages in the web benchmark (``benchmarks/web_bench.py``); each list page it
adds joins here."""

from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl

CURATOR = f"outputs-curator@{DEMO_DOMAIN}"


def benchmark_urls() -> list[BenchmarkUrl]:
    return [
        BenchmarkUrl("Outputs catalogue", "/outputs/"),
        BenchmarkUrl("Outputs search", "/outputs/?q=media", BenchmarkKind.SEARCH),
        BenchmarkUrl("Outputs of a kind and year", "/outputs/?kind=dataset"),
        BenchmarkUrl("API outputs", "/api/v1/outputs/", BenchmarkKind.API),
        BenchmarkUrl("OAI-PMH ListRecords", "/oai/?verb=ListRecords&metadataPrefix=oai_dc"),
        BenchmarkUrl(
            "Outputs I curate (curator)", "/outputs/curate/", BenchmarkKind.SIGNED_IN, user=CURATOR
        ),
    ]
