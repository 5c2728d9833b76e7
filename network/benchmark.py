"""The network's pages in the web benchmark: the directory (first and last page, filtered,
searched), numbers, an organisation page, the API lists and the managers' queue."""

from django.db.models import Count

from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl

from .selectors import member_organisations
from .views import DIRECTORY_PAGE_SIZE


def benchmark_urls() -> list[BenchmarkUrl]:
    members = member_organisations()
    last_page = max(1, -(-members.count() // DIRECTORY_PAGE_SIZE))
    busiest = members.annotate(role_count=Count("roles")).order_by("-role_count", "name").first()
    urls = [
        BenchmarkUrl("Member directory", "/network/"),
        BenchmarkUrl(
            "Member directory, last page", f"/network/?page={last_page}", deep_of="/network/"
        ),
        BenchmarkUrl("Member directory, filtered and sorted", "/network/?country=DE&sort=newest"),
        BenchmarkUrl("Member directory, search", "/network/?q=media", BenchmarkKind.SEARCH),
        BenchmarkUrl("Network in numbers", "/network/numbers/"),
        BenchmarkUrl("API organisations", "/api/v1/organisations/", BenchmarkKind.API),
        BenchmarkUrl(
            "API organisations, page 201",
            "/api/v1/organisations/",
            BenchmarkKind.API,
            deep_of="/api/v1/organisations/",
            follow_next=200,
        ),
        BenchmarkUrl(
            "API organisations, search",
            "/api/v1/organisations/?search=media",
            BenchmarkKind.SEARCH,
        ),
        BenchmarkUrl(
            "Membership applications (manager)",
            "/network/manage/applications/",
            BenchmarkKind.SIGNED_IN,
            user=f"network.manager@{DEMO_DOMAIN}",
        ),
    ]
    if busiest is not None:
        urls.insert(4, BenchmarkUrl("Organisation page", busiest.get_absolute_url()))
    return urls
