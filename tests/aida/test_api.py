import pytest
from rest_framework.test import APIClient

from aida.enums import Eligibility
from tests.factories import UserFactory

from .factories import CourseFactory, MemberFactory, OfferingFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_student_enrols_through_the_api_and_sees_only_their_own():
    offering = OfferingFactory(capacity=1)
    first, second = StudentFactory().user, StudentFactory().user
    assert (
        _client(first)
        .post("/api/v1/aida/enrolments/", {"offering": offering.pk}, format="json")
        .json()["status"]
        == "confirmed"
    )
    body = (
        _client(second)
        .post("/api/v1/aida/enrolments/", {"offering": offering.pk}, format="json")
        .json()
    )
    assert (body["status"], body["waitlist_position"]) == ("waitlisted", 1)
    mine = _client(second).get("/api/v1/aida/enrolments/").json()["results"]
    assert [row["id"] for row in mine] == [body["id"]]
    first_id = _client(first).get("/api/v1/aida/enrolments/").json()["results"][0]["id"]
    assert _client(second).post(f"/api/v1/aida/enrolments/{first_id}/cancel/").status_code == 404
    cancelled = _client(first).post(f"/api/v1/aida/enrolments/{first_id}/cancel/").json()
    assert cancelled["status"] == "cancelled"
    promoted = _client(second).get(f"/api/v1/aida/enrolments/{body['id']}/").json()
    assert (promoted["status"], promoted["waitlist_position"]) == ("confirmed", None)


def test_api_refusal_and_eligibility_say_the_same_as_the_page():
    offering = OfferingFactory()
    user = UserFactory()
    StudentFactory(user=user, status="pending")
    refused = _client(user).post(
        "/api/v1/aida/enrolments/", {"offering": offering.pk}, format="json"
    )
    assert refused.status_code == 400
    assert _client(user).get(f"/api/v1/aida/offerings/{offering.pk}/eligibility/").json() == {
        "allowed": False,
        "reason": Eligibility.NOT_VALIDATED.value,
        "message": str(Eligibility.NOT_VALIDATED.label),
    }
    assert _client().post("/api/v1/aida/enrolments/", {"offering": offering.pk}).status_code in (
        401,
        403,
    )


def test_course_search_and_member_filters():
    CourseFactory(title="Graph neural networks")
    CourseFactory(title="Speech recognition")
    rows = _client().get("/api/v1/aida/courses/", {"search": "graph"}).json()["results"]
    assert [row["title"] for row in rows] == ["Graph neural networks"]
    MemberFactory(tier="associate", organisation__country="FR")
    rows = _client().get("/api/v1/aida/members/", {"country": "fr"}).json()["results"]
    assert [row["tier"] for row in rows] == ["associate"]


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/aida/members/", lambda: MemberFactory()),
        ("/api/v1/aida/courses/", lambda: CourseFactory()),
        ("/api/v1/aida/offerings/", lambda: OfferingFactory()),
    ],
)
def test_api_lists_use_constant_queries(django_assert_num_queries, url, make):
    make()
    client = _client()
    with django_assert_num_queries(_count(client, url)):
        client.get(url)
    make()
    make()
    with django_assert_num_queries(_count(client, url)):
        assert len(client.get(url).json()["results"]) == 3


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_resources_api_lists_only_accepted_and_lectures_are_public():
    from .factories import LectureFactory, ResourceFactory

    accepted = ResourceFactory(title="Open notebook")
    ResourceFactory(status="submitted")
    ResourceFactory(status="rejected")
    rows = _client().get("/api/v1/aida/resources/").json()["results"]
    assert [row["slug"] for row in rows] == [accepted.slug]
    LectureFactory()
    assert len(_client().get("/api/v1/aida/lectures/").json()["results"]) == 1


@pytest.mark.parametrize("kind", ["resources", "lectures"])
def test_resource_and_lecture_lists_use_constant_queries(django_assert_num_queries, kind):
    from .factories import LectureFactory, ResourceFactory

    make = ResourceFactory if kind == "resources" else LectureFactory
    url = f"/api/v1/aida/{kind}/"
    make()
    client = _client()
    one = _count(client, url)
    make()
    make()
    assert _count(client, url) == one
