"""This pillar's pages in the web benchmark (``benchmarks/web_bench.py``); each list page it
adds joins here."""

from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl


def benchmark_urls() -> list[BenchmarkUrl]:
    return [
        BenchmarkUrl("AIDA", "/aida/"),
        BenchmarkUrl("AIDA members", "/aida/members/"),
        BenchmarkUrl("AIDA catalogue", "/aida/courses/"),
        BenchmarkUrl("AIDA catalogue search", "/aida/courses/?q=learning", BenchmarkKind.SEARCH),
        BenchmarkUrl("AIDA lectures", "/aida/lectures/"),
        BenchmarkUrl("AIDA in numbers", "/aida/numbers/"),
        BenchmarkUrl("AIDA resources", "/aida/resources/"),
        BenchmarkUrl("AIDA API resources", "/api/v1/aida/resources/", BenchmarkKind.API),
        BenchmarkUrl("AIDA API lectures", "/api/v1/aida/lectures/", BenchmarkKind.API),
        BenchmarkUrl("AIDA calendar", "/aida/calendar.ics"),
        BenchmarkUrl("AIDA API members", "/api/v1/aida/members/", BenchmarkKind.API),
        BenchmarkUrl("AIDA API courses", "/api/v1/aida/courses/", BenchmarkKind.API),
        BenchmarkUrl("AIDA API offerings", "/api/v1/aida/offerings/", BenchmarkKind.API),
        BenchmarkUrl(
            "AIDA API course search", "/api/v1/aida/courses/?search=learning", BenchmarkKind.SEARCH
        ),
    ]
