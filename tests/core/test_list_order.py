"""Every ordered list has a total order: walking it page by page, with small pages, under any
of its orderings, shows each row exactly once, in the API (keyset cursors, forwards and back)
and on the HTML list pages (page numbers, every sort option). The data has many ties and
NULLs, which is where an ordering without a unique last key repeats or skips rows."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.core.paginator import Paginator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from network.enums import ApplicationStatus
from network.forms import DirectoryFilterForm, QueueFilterForm
from network.models import Organisation
from opencalls import services
from opencalls.forms import ProposalFilterForm
from tests.core.api_catalogue import list_routes, query_parameters
from tests.core.world import build_world
from tests.factories import UserFactory
from tests.network.factories import ApplicationFactory, OrganisationFactory
from tests.opencalls.evaluation.factories import review
from tests.opencalls.factories import submitted

PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build_crowd():
    """The shared world plus rows that tie on every sort key, some with NULLs."""
    world = build_world()
    review(world.objects["free_assignment"], submit=False)
    call = world.calls[0]
    for index in range(6):
        user = UserFactory()
        if index % 3 == 0:
            services.proposal_start(call=call, actor=user)  # a draft without track or challenge
        else:
            submitted(call=call, user=user, registration=f"T{index}", country="BE")
    for _ in range(6):
        OrganisationFactory(name="Same Name", country="BE", role__since=date(2023, 1, 1))
        ApplicationFactory(org_name="Same Applicant", status=ApplicationStatus.SUBMITTED)
    Organisation.objects.filter(name="Same Name").update(joined_on=date(2023, 1, 1))
    Organisation.objects.filter(pk__in=Organisation.objects.order_by("pk")[:2]).update(
        joined_on=date(2023, 1, 1) - timedelta(days=1)
    )
    return world


def _key(row: dict):
    for name in ("id", "slug", "number"):
        if name in row:
            return row[name]
    raise AssertionError(row)


def _orderings(url: str) -> list[str | None]:
    for parameter in query_parameters(url):
        if parameter["name"] == "ordering":
            return [None, *parameter["schema"]["enum"]]
    return [None]


VIEWER_OF = {
    "audit-log": "staff",
    "call": "call_manager",
    "proposal": "call_manager",
    "funded-project": "call_manager",
    "organisation": "anonymous",
    "membership-application": "network_manager",
    "evaluation-assignment": "evaluator",
    "evaluation-review": "evaluator",
    "output": "anonymous",
    "observatory-content": "anonymous",
    "observatory-policy": "anonymous",
    "expert": "anonymous",
    "fellows-host-offer": "anonymous",
    "fellows-exchange": "applicant",
    "aida-member": "anonymous",
    "aida-course": "anonymous",
    "aida-offering": "anonymous",
    "aida-enrolment": "applicant",
    "aida-lecture": "anonymous",
    "aida-resource": "anonymous",
}


def _walk(client, url, params) -> tuple[list, list]:
    """Keys of every row going forward, then going back from the last page."""
    forward, pages = [], []
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.json())
    body = response.json()
    while True:
        pages.append(body)
        forward += [_key(row) for row in body["results"]]
        if not body["next"]:
            break
        body = client.get(body["next"]).json()
    backward = [_key(row) for row in body["results"]][::-1]
    while body["previous"]:
        body = client.get(body["previous"]).json()
        backward += [_key(row) for row in body["results"]][::-1]
    return forward, backward[::-1]


@pytest.mark.parametrize(("url", "basename"), list_routes())
def test_api_lists_show_each_row_once_under_every_ordering(db, url, basename):
    world = build_crowd()
    client = APIClient()
    viewer = world.people[VIEWER_OF[basename]]
    if viewer is not None:
        client.force_authenticate(viewer)
    everything = {_key(row) for row in client.get(url, {"page_size": 500}).json()["results"]}
    assert len(everything) >= 2, basename

    @PROPERTY
    @given(ordering=st.sampled_from(_orderings(url)), size=st.integers(min_value=1, max_value=4))
    def walk(ordering, size):
        params = {"page_size": size, **({"ordering": ordering} if ordering else {})}
        forward, backward = _walk(client, url, params)
        assert len(forward) == len(set(forward)), (ordering, size, forward)
        assert set(forward) == everything
        assert backward == forward

    walk()


def test_proposals_by_status_in_pages_of_three_are_each_seen_once(db):
    world = build_crowd()
    client = APIClient()
    client.force_authenticate(world.people["call_manager"])
    total = len(client.get("/api/v1/proposals/", {"page_size": 500}).json()["results"])
    assert total == 12
    for ordering in ("status", "-status", "track", "call", "challenge", "-track"):
        forward, _ = _walk(client, "/api/v1/proposals/", {"ordering": ordering, "page_size": 3})
        assert len(forward) == len(set(forward)) == total, ordering


def test_unknown_ordering_and_bad_page_size_are_400s(db, api_client):
    assert api_client.get("/api/v1/calls/", {"ordering": "title"}).status_code == 400
    for size in ("0", "501", "null", "-3", "2.5"):
        response = api_client.get("/api/v1/calls/", {"page_size": size})
        assert response.status_code == 400
        assert [e["attr"] for e in response.json()["errors"]] == ["page_size"]
    response = api_client.get("/api/v1/calls/", {"cursor": "garbage"})
    assert response.status_code == 404
    assert [e["code"] for e in response.json()["errors"]] == ["not_found"]


def test_a_cursor_only_serves_the_ordering_it_was_made_for(db):
    world = build_crowd()
    client = APIClient()
    client.force_authenticate(world.people["call_manager"])
    first = client.get("/api/v1/proposals/", {"ordering": "status", "page_size": 2}).json()
    response = client.get(first["next"].replace("ordering=status", "ordering=call"))
    assert response.status_code == 404


# --- HTML list pages ----------------------------------------------------------------------------


@contextmanager
def pages_of(size: int):
    """Every Paginator the views build holds ``size`` rows a page."""
    original = Paginator.__init__

    def small(self, object_list, per_page, *args, **kwargs):
        original(self, object_list, size, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Paginator, "__init__", small)
        yield


def _walk_pages(client, url, params) -> list[int]:
    seen = []
    number = 1
    while True:
        response = client.get(url, {**params, "page": number})
        assert response.status_code == 200, (url, params, response.status_code)
        page = response.context["page"]
        seen += [row.pk for row in page.object_list]
        if not page.has_next():
            return seen
        number += 1


def _sorts(form_class) -> list[str]:
    return [value for value, _label in form_class.base_fields["sort"].choices]


def _page_lists(world):
    call = world.calls[0]
    return [
        ("anonymous", "/network/", "sort", _sorts(DirectoryFilterForm), {}),
        ("anonymous", "/network/", "sort", _sorts(DirectoryFilterForm), {"q": "same"}),
        (
            "network_manager",
            "/network/manage/applications/",
            "sort",
            _sorts(QueueFilterForm),
            {},
        ),
        (
            "call_manager",
            f"/calls/manage/{call.number}/proposals/",
            "sort",
            _sorts(ProposalFilterForm),
            {},
        ),
        ("anonymous", "/calls/projects/", None, [""], {}),
        ("call_manager", "/calls/manage/projects/", None, [""], {}),
    ]


def test_html_lists_show_each_row_once_under_every_sort(client, db):
    world = build_crowd()
    lists = _page_lists(world)
    totals = {}
    for who, url, *_, extra in lists:
        client.logout()
        if world.people[who] is not None:
            client.force_login(world.people[who])
        totals[url, tuple(extra)] = set(_walk_pages(client, url, extra))
        assert len(totals[url, tuple(extra)]) >= 2, url

    @PROPERTY
    @given(index=st.integers(0, len(lists) - 1), choice=st.data(), size=st.integers(1, 4))
    def walk(index, choice, size):
        who, url, param, sorts, extra = lists[index]
        sort = choice.draw(st.sampled_from(sorts))
        client.logout()
        if world.people[who] is not None:
            client.force_login(world.people[who])
        params = {**extra, **({param: sort} if param and sort else {})}
        with pages_of(size):
            seen = _walk_pages(client, url, params)
        assert len(seen) == len(set(seen)), (url, sort, size, seen)
        assert set(seen) == totals[url, tuple(extra)]

    walk()
