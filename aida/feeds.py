"""The iCalendar feeds (RFC 5545) of AIDA, built with the ``icalendar`` library: every AI
Excellence Lecture and offering in ``/aida/calendar.ics``, a course's own in
``/aida/courses/<slug>/calendar.ics``.

Each event has a stable UID (a lecture's ``uid``; ``aida-offering-<pk>@<host>``), a DTSTAMP,
a SEQUENCE raised on every change, and STATUS:CANCELLED once cancelled rather than vanishing.
Lectures carry their TZID and the feed a VTIMEZONE for every TZID used; offerings are all-day
events (DATE values, no timezone needed).
"""

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from ai4media_portal.core.links import absolute_url

from .enums import LectureStatus, OfferingStatus
from .models import Lecture, Offering

PRODID = "-//AI4Media//AIDA calendar//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "ai4media.eu"


def _lecture_event(lecture: Lecture) -> Event:
    zone = ZoneInfo(lecture.timezone)
    event = Event()
    event.add("uid", f"{lecture.uid}@{_host()}")
    event.add("dtstamp", lecture.updated_at)
    event.add("sequence", lecture.sequence)
    event.add("summary", f"AI Excellence Lecture: {lecture.title} ({lecture.speaker})")
    event.add("dtstart", lecture.starts_at.astimezone(zone))
    event.add("dtend", lecture.ends_at.astimezone(zone))
    description = "\n\n".join(
        part
        for part in (
            f"{lecture.speaker}, {lecture.affiliation}" if lecture.affiliation else lecture.speaker,
            lecture.abstract,
            lecture.online_url,
            lecture.recording_url,
        )
        if part
    )
    event.add("description", description)
    if lecture.online_url:
        event.add("location", lecture.online_url)
    event.add("url", absolute_url(lecture.get_absolute_url()))
    cancelled = lecture.status == LectureStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _offering_event(offering: Offering) -> Event:
    course = offering.course
    event = Event()
    event.add("uid", f"aida-offering-{offering.pk}@{_host()}")
    event.add("dtstamp", offering.updated_at)
    event.add("sequence", offering.sequence)
    event.add("summary", f"{course.title} ({course.code})")
    event.add("dtstart", offering.starts_on)
    event.add("dtend", offering.ends_on + timedelta(days=1))  # DTEND of a DATE is exclusive
    event.add("description", "\n\n".join(p for p in (course.description, offering.schedule) if p))
    if offering.location:
        event.add("location", offering.location)
    event.add("url", absolute_url(offering.get_absolute_url()))
    cancelled = offering.status == OfferingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_ics(*, lectures, offerings, name: str) -> bytes:
    """A VCALENDAR of ``lectures`` and ``offerings`` (with their courses), named ``name``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for lecture in lectures:
        calendar.add_component(_lecture_event(lecture))
    for offering in offerings:
        calendar.add_component(_offering_event(offering))
    calendar.add_missing_timezones()
    return calendar.to_ical()
