"""This pillar's pages in the web benchmark (``benchmarks/web_bench.py``); each list page it
adds joins here, public and signed in (the demo's coordinator and representative)."""

from django.db.models import Count

from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl

from .models import Offering

COORDINATOR = f"aida.coordinator@{DEMO_DOMAIN}"
REPRESENTATIVE = f"aida.representative@{DEMO_DOMAIN}"


def benchmark_urls() -> list[BenchmarkUrl]:
    signed_in = BenchmarkKind.SIGNED_IN
    urls = [
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
        BenchmarkUrl(
            "AIDA members (coordinator)", "/aida/manage/members/", signed_in, user=COORDINATOR
        ),
        BenchmarkUrl(
            "AIDA students to validate (representative)",
            "/aida/students/",
            signed_in,
            user=REPRESENTATIVE,
        ),
        BenchmarkUrl(
            "AIDA resources to review (coordinator)",
            "/aida/resources/review/",
            signed_in,
            user=COORDINATOR,
        ),
    ]
    # The roster with the most requests for a place.
    busiest = Offering.objects.annotate(asked=Count("enrolments")).order_by("-asked", "pk").first()
    if busiest is not None:
        urls.append(
            BenchmarkUrl(
                "AIDA offering roster (coordinator)",
                f"/aida/offerings/{busiest.pk}/roster/",
                signed_in,
                user=COORDINATOR,
            )
        )
    return urls
