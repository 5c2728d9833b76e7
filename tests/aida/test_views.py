import io
from datetime import UTC, datetime

import pytest
from django.core import mail  # noqa: F401 - the outbox is the portal's, checked through rows
from openpyxl import load_workbook

from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.roles import Role
from aida.models import Enrolment, Student
from tests.factories import UserFactory

from .factories import (
    CourseFactory,
    EnrolmentFactory,
    MemberFactory,
    OfferingFactory,
    ResourceFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/aida/members/", lambda: MemberFactory()),
        ("/aida/courses/", lambda: CourseFactory()),
        ("/aida/courses/?q=deep&format=short-course", lambda: CourseFactory()),
    ],
)
def test_list_pages_use_constant_queries(client, url, make):
    make()
    one = _count(client, url)
    make()
    make()
    assert _count(client, url) == one


def test_roster_and_my_enrolments_use_constant_queries(client, coordinator):
    offering = OfferingFactory(capacity=10)
    student = StudentFactory()
    EnrolmentFactory(offering=offering, user=student.user)
    client.force_login(coordinator)
    roster = f"/aida/offerings/{offering.pk}/roster/"
    one = _count(client, roster)
    for _ in range(2):
        EnrolmentFactory(offering=offering, user=StudentFactory().user)
    assert _count(client, roster) == one
    client.force_login(student.user)
    one = _count(client, "/aida/mine/")
    for _ in range(2):
        EnrolmentFactory(user=student.user)
    assert _count(client, "/aida/mine/") == one


def test_my_aida_lists_my_resources_in_every_state_with_constant_queries(client, lecturer):
    user = lecturer.user
    changes = ResourceFactory(submitted_by=user, status="changes-requested", title="Needs work")
    ResourceFactory(status="submitted", title="Someone else's")
    client.force_login(user)
    one = _count(client, "/aida/mine/")
    ResourceFactory(submitted_by=user, status="submitted", title="Pending one")
    ResourceFactory(submitted_by=user, status="rejected", title="Turned down")
    assert _count(client, "/aida/mine/") == one
    html = client.get("/aida/mine/").content.decode()
    assert "My educational resources" in html
    for title in ("Needs work", "Pending one", "Turned down"):
        assert title in html
    assert "Someone else&#x27;s" not in html
    assert f'href="/aida/resources/{changes.slug}/resubmit/"' in html
    assert html.count("Revise and send back") == 1
    assert "Changes requested" in html
    assert "Rejected" in html


def test_my_aida_without_resources_offers_submitting_one_to_lecturers_only(client, lecturer):
    client.force_login(lecturer.user)
    html = client.get("/aida/mine/").content.decode()
    assert "You have not submitted a resource yet." in html
    assert 'href="/aida/resources/submit/"' in html
    client.force_login(UserFactory())
    assert "My educational resources" not in client.get("/aida/mine/").content.decode()


def test_member_filters(client):
    MemberFactory(
        tier="full", organisation__name="Aristotle University", organisation__country="GR"
    )
    MemberFactory(tier="associate", organisation__name="Sorbonne", organisation__country="FR")
    html = client.get("/aida/members/?tier=associate").content.decode()
    assert "Sorbonne" in html
    assert "Aristotle" not in html


def test_catalogue_full_text_search_and_open_filter(client):
    CourseFactory(title="Explainable machine learning")
    closed = CourseFactory(title="Explainable vision")
    OfferingFactory(course=closed, status="finished")
    open_course = CourseFactory(title="Media verification")
    OfferingFactory(course=open_course)
    html = client.get("/aida/courses/?q=explain").content.decode()
    assert "Explainable machine learning" in html
    assert "Media verification" not in html
    html = client.get("/aida/courses/?open=on").content.decode()
    assert "Media verification" in html
    assert "Explainable vision" not in html


def test_register_shows_errors_beside_fields_and_keeps_input(client, member):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/aida/register/",
        {
            "member": member.pk,
            "is_phd": "on",
            "supervisor_name": "Ada",
            "country": "IT",
            "research_interests": "Causal inference",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "supervisor" in html
    assert "Causal inference" in html
    assert Student.objects.count() == 0


def test_enrol_button_only_where_allowed(client):
    full = OfferingFactory(capacity=1)
    EnrolmentFactory(offering=full)
    full.seats_taken = 1
    full.status = "full"
    full.save()
    student = StudentFactory()
    client.force_login(student.user)
    html = client.get(f"/aida/offerings/{full.pk}/").content.decode()
    assert "Join the waitlist" in html
    cancelled = OfferingFactory(status="cancelled")
    html = client.get(f"/aida/offerings/{cancelled.pk}/").content.decode()
    assert 'id="enrol-button"' not in html
    assert "This offering has been cancelled." in html


def test_journey_through_the_pages(client, member, representative):
    """Register → validated → waitlisted on a full offering → another cancels → promoted."""
    offering = OfferingFactory(capacity=1)
    seated = StudentFactory().user
    client.force_login(seated)
    client.post(f"/aida/offerings/{offering.pk}/enrol/")
    user = UserFactory()
    client.force_login(user)
    client.post(
        "/aida/register/",
        {"member": member.pk, "country": "IT", "research_interests": "NLP"},
    )
    student = Student.objects.get(user=user)
    client.force_login(representative)
    assert "NLP" in client.get("/aida/students/").content.decode()
    client.post(f"/aida/students/{student.pk}/decide/", {"decision": "validate"})
    client.force_login(user)
    client.post(f"/aida/offerings/{offering.pk}/enrol/")
    assert (
        "number 1 on the waitlist" in client.get(f"/aida/offerings/{offering.pk}/").content.decode()
    )
    client.force_login(seated)
    mine = Enrolment.objects.get(user=seated)
    client.post(f"/aida/enrolments/{mine.pk}/cancel/")
    assert Enrolment.objects.get(user=user).status == "confirmed"
    assert OutboundEmail.objects.filter(
        to=[user.email], template="aida/enrolment_promoted"
    ).exists()


def test_roster_export_and_404_for_others(client, coordinator):
    offering = OfferingFactory()
    EnrolmentFactory(offering=offering, user=UserFactory(full_name="Zoë Zed"))
    client.force_login(UserFactory())
    assert client.get(f"/aida/offerings/{offering.pk}/roster/").status_code == 403
    client.force_login(coordinator)
    response = client.get(f"/aida/offerings/{offering.pk}/roster/?format=csv")
    assert response.status_code == 200
    assert "Zoë Zed" in b"".join(response.streaming_content).decode()


def test_roster_exports_show_when_each_place_was_asked_for_in_local_time(client):
    offering = OfferingFactory()
    enrolment = EnrolmentFactory(offering=offering)
    moment = datetime(2026, 11, 30, 16, 57, 20, 63572, tzinfo=UTC)
    Enrolment.objects.filter(pk=enrolment.pk).update(requested_at=moment)
    url = f"/aida/offerings/{offering.pk}/roster/"
    for zone, shown in (("Europe/Brussels", (17, 57)), ("America/New_York", (11, 57))):
        client.force_login(UserFactory(roles=[Role.AIDA_COORDINATOR], timezone=zone))
        hour, minute = shown
        page = client.get(url).content.decode()
        assert f"30 Nov 2026 {hour}:{minute}:20" in page
        response = client.get(url + "?format=csv")
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        assert lines[0].split(",")[6] == "Requested"
        assert lines[1].split(",")[6] == f"2026-11-30 {hour}:{minute}"
        response = client.get(url + "?format=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert rows[0][6] == "Requested"
        assert rows[1][6] == datetime(2026, 11, 30, hour, minute, 20)


def test_roster_intro_sits_outside_the_horizontal_scroller(client, coordinator):
    offering = OfferingFactory()
    EnrolmentFactory(offering=offering)
    client.force_login(coordinator)
    html = client.get(f"/aida/offerings/{offering.pk}/roster/").content.decode()
    intro = html.index('<p id="roster-intro">Everyone who asked for a place')
    scroller = html.index('<div class="table-responsive"><table class="table" id="roster"')
    assert intro < scroller
    assert 'aria-labelledby="roster-intro"' in html
    assert "<caption>" not in html


def test_capacity_below_confirmed_is_shown_beside_the_field(client, coordinator):
    offering = OfferingFactory(capacity=3)
    for _ in range(2):
        EnrolmentFactory(offering=offering)
    offering.seats_taken = 2
    offering.save()
    client.force_login(coordinator)
    data = {
        "starts_on": offering.starts_on,
        "ends_on": offering.ends_on,
        "schedule": "",
        "timezone": "Europe/Athens",
        "mode": "online",
        "location": "",
        "enrolment_opens_on": offering.enrolment_opens_on,
        "enrolment_closes_on": offering.enrolment_closes_on,
        "capacity": 1,
        "audience": "aida",
        "materials_url": "",
    }
    response = client.post(f"/aida/offerings/{offering.pk}/edit/", data)
    assert response.status_code == 422
    assert "2 students are already confirmed" in response.content.decode()


def test_numbers_page_has_charts_with_tables(client):
    MemberFactory(tier="full", organisation__country="GR")
    MemberFactory(tier="associate", organisation__country="GR")
    EnrolmentFactory()
    html = client.get("/aida/numbers/").content.decode()
    assert html.count("<svg") == 5
    assert '<th scope="row">Greece</th><td class="text-end">2</td>' in html


def test_numbers_and_resources_pages_use_constant_queries(client):
    from .factories import ResourceFactory

    MemberFactory()
    ResourceFactory()
    numbers, resources = _count(client, "/aida/numbers/"), _count(client, "/aida/resources/")
    for _ in range(2):
        MemberFactory()
        OfferingFactory()
        ResourceFactory()
    assert (_count(client, "/aida/numbers/"), _count(client, "/aida/resources/")) == (
        numbers,
        resources,
    )
