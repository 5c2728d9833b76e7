"""Courses, offerings and lectures are managed through pages that call the services; refusals
appear beside their field with nothing typed lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aida.models import Course, Lecture, Offering
from tests.factories import UserFactory

from .factories import CourseFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_lecturer_adds_a_course_and_plans_an_offering(client, lecturer):
    client.force_login(lecturer.user)
    data = {
        "title": "Trustworthy Media AI",
        "code": "AIDA-TMA",
        "description": "Robustness and explainability.",
        "curricula": ["ai-media"],
        "format": "summer-school",
        "ects": "2.25",
        "level": "advanced",
        "language": "en",
        "host": lecturer.member.pk,
    }
    response = client.post("/aida/courses/new/", data)
    assert response.status_code == 422
    assert "halves" in response.content.decode()
    assert "Robustness and explainability." in response.content.decode()
    response = client.post("/aida/courses/new/", {**data, "ects": "2.5"})
    course = Course.objects.get(code="AIDA-TMA")
    assert response.status_code == 302
    assert list(course.lecturers.all()) == [lecturer]
    today = timezone.localdate()
    offering = {
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=20),
        "timezone": "Europe/Athens",
        "mode": "on-site",
        "location": "Thessaloniki",
        "enrolment_opens_on": today,
        "enrolment_closes_on": today + timedelta(days=10),
        "capacity": "0",
        "audience": "aida",
    }
    response = client.post(f"/aida/courses/{course.slug}/offerings/new/", offering)
    assert response.status_code == 422
    html = response.content.decode()
    assert "The last day cannot come before the first." in html
    assert "never has 0 seats" in html
    offering.update(ends_on=today + timedelta(days=34), capacity="")
    assert client.post(f"/aida/courses/{course.slug}/offerings/new/", offering).status_code == 302
    assert Offering.objects.get(course=course).capacity is None


def test_only_coordinators_and_lecturers_add_courses(client):
    client.force_login(UserFactory())
    assert client.get("/aida/courses/new/").status_code == 403
    course = CourseFactory()
    assert client.get(f"/aida/courses/{course.slug}/edit/").status_code == 403


def test_coordinator_schedules_and_cancels_a_lecture(client, coordinator):
    client.force_login(coordinator)
    data = {
        "title": "Media and democracy",
        "speaker": "Prof. Example",
        "starts_at": "2030-05-06T18:00",
        "ends_at": "2030-05-06T17:00",
        "timezone": "Europe/Athens",
    }
    response = client.post("/aida/lectures/new/", data)
    assert response.status_code == 422
    assert "A lecture ends after it starts." in response.content.decode()
    client.post("/aida/lectures/new/", {**data, "ends_at": "2030-05-06T19:30"})
    lecture = Lecture.objects.get()
    assert lecture.starts_at.isoformat() == "2030-05-06T15:00:00+00:00"  # 18:00 in Athens
    client.post(lecture.get_absolute_url(), {"status": "cancelled"})
    lecture.refresh_from_db()
    assert (lecture.status, lecture.sequence) == ("cancelled", 1)
    client.force_login(UserFactory())
    assert client.post(lecture.get_absolute_url(), {"status": "scheduled"}).status_code == 403


def test_member_list_is_public(client):
    MemberFactory()
    assert client.get("/aida/members/").status_code == 200
