from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from ai4media_portal.core.exceptions import PortalError
from aida import services

from .factories import CourseFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def _lecture_data(**changes):
    start = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    return {
        "title": "Foundation models for media",
        "speaker": "Yann Example",
        "affiliation": "Université Example",
        "abstract": "What large models change.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1, minutes=30),
        "timezone": "Europe/Athens",
        "online_url": "https://meet.example.org/aida",
        **changes,
    }


def _feed(client, url="/aida/calendar.ics") -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _events(calendar) -> dict:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_feed_is_valid_with_timezones_and_stable_uids(client, coordinator):
    lecture = services.lecture_create(data=_lecture_data(), actor=coordinator)
    offering = OfferingFactory(timezone="Europe/Rome")
    calendar = _feed(client)
    assert str(calendar["PRODID"]) == "-//AI4Media//AIDA calendar//EN"
    assert str(calendar["VERSION"]) == "2.0"
    events = _events(calendar)
    uid = next(u for u in events if str(lecture.uid) in u)
    event = events[uid]
    assert event["DTSTART"].params["TZID"] == "Europe/Athens"
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert "DTSTAMP" in event
    assert int(event["SEQUENCE"]) == 0
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Athens"]
    assert f"aida-offering-{offering.pk}@" in " ".join(events)
    assert set(_events(_feed(client))) == set(events)  # the same UIDs on every read


def test_rescheduling_raises_the_sequence_and_cancelling_keeps_the_event(client, coordinator):
    lecture = services.lecture_create(data=_lecture_data(), actor=coordinator)
    later = _lecture_data()["starts_at"] + timedelta(days=1)
    services.lecture_update(
        lecture=lecture,
        data={"starts_at": later, "ends_at": later + timedelta(hours=1)},
        actor=coordinator,
    )
    services.lecture_update(
        lecture=lecture, data={"recording_url": "https://video.example.org/1"}, actor=coordinator
    )
    services.lecture_set_status(lecture=lecture, target="cancelled", actor=coordinator)
    (event,) = [e for e in _feed(client).walk("VEVENT") if str(lecture.uid) in str(e["UID"])]
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"


def test_cancelled_offering_is_marked_cancelled_in_the_course_feed(client, coordinator):
    course = CourseFactory()
    offering = OfferingFactory(course=course)
    other = OfferingFactory()
    services.offering_move(offering=offering, target="cancelled", actor=coordinator, reason="x")
    events = _events(_feed(client, f"/aida/courses/{course.slug}/calendar.ics"))
    (event,) = events.values()
    assert str(event["UID"]).startswith(f"aida-offering-{offering.pk}@")
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)
    assert event.decoded("DTEND") == offering.ends_on + timedelta(days=1)
    assert f"aida-offering-{other.pk}@" not in " ".join(events)


def test_lecture_times_in_order(coordinator):
    data = _lecture_data()
    with pytest.raises(PortalError) as error:
        services.lecture_create(data={**data, "ends_at": data["starts_at"]}, actor=coordinator)
    assert error.value.field == "ends_at"


def test_lectures_page_lists_upcoming_and_past(client, coordinator):
    services.lecture_create(
        data=_lecture_data(
            title="Past talk",
            starts_at=datetime(2020, 1, 1, 10, tzinfo=UTC),
            ends_at=datetime(2020, 1, 1, 11, tzinfo=UTC),
        ),
        actor=coordinator,
    )
    services.lecture_create(
        data=_lecture_data(
            title="Future talk",
            starts_at=datetime(2100, 1, 1, 10, tzinfo=UTC),
            ends_at=datetime(2100, 1, 1, 11, tzinfo=UTC),
        ),
        actor=coordinator,
    )
    html = client.get("/aida/lectures/").content.decode()
    assert html.index("Future talk") < html.index("Past talk")
