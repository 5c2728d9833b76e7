"""The open calls' pages in the web benchmark: the calls, a call, the funded projects and
their API lists, and the signed-in tools of applicants, call managers and evaluators."""

from django.db.models import Count, Q

from ai4media_portal.core.demo import DEMO_DOMAIN
from ai4media_portal.core.pillars import BenchmarkKind, BenchmarkUrl

from .models import Call, FundedProject

MANAGER_PAGE_SIZE = 50  # opencalls.views.calls.manage_proposals


def benchmark_urls() -> list[BenchmarkUrl]:
    calls = Call.objects.published().annotate(
        submitted=Count("proposals", filter=Q(proposals__current_version__isnull=False))
    )
    largest = calls.order_by("-submitted", "number").first()
    newest = calls.order_by("-number").first()
    project = FundedProject.objects.order_by("-start_date", "acronym", "pk").first()
    urls = [
        BenchmarkUrl("Open calls", "/calls/"),
        BenchmarkUrl("Funded projects", "/calls/projects/"),
        BenchmarkUrl("API calls", "/api/v1/calls/", BenchmarkKind.API),
        BenchmarkUrl("API funded projects", "/api/v1/funded-projects/", BenchmarkKind.API),
        BenchmarkUrl(
            "My proposals (applicant)",
            "/calls/my/",
            BenchmarkKind.SIGNED_IN,
            user=f"applicant@{DEMO_DOMAIN}",
        ),
        BenchmarkUrl(
            "Evaluator's queue",
            "/calls/evaluation/",
            BenchmarkKind.SIGNED_IN,
            user=f"evaluator@{DEMO_DOMAIN}",
        ),
    ]
    if newest is not None:
        urls.insert(1, BenchmarkUrl("A call", f"/calls/{newest.number}/"))
    if project is not None:
        urls.insert(3, BenchmarkUrl("A funded project", f"/calls/projects/{project.pk}/"))
    if largest is not None:
        first = f"/calls/manage/{largest.number}/proposals/"
        last_page = max(1, -(-largest.submitted // MANAGER_PAGE_SIZE))
        manager = f"call.manager@{DEMO_DOMAIN}"
        urls += [
            BenchmarkUrl("Proposals (call manager)", first, BenchmarkKind.SIGNED_IN, user=manager),
            BenchmarkUrl(
                "Proposals (call manager), last page",
                f"{first}?page={last_page}",
                BenchmarkKind.SIGNED_IN,
                user=manager,
                deep_of=first,
            ),
        ]
    return urls
