"""Two courses, lectures or resources of the same name made at the same moment get different
addresses (``core.slugs.unique_slug``) rather than one failing on the unique slug."""

from datetime import UTC, datetime, timedelta

import pytest

from ai4media_portal.core.roles import Role
from aida import services
from aida.models import Course, Lecture, Resource
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

from .factories import LecturerFactory, MemberFactory, resource_fields

pytestmark = pytest.mark.django_db(transaction=True)


def _made(results: list, model) -> list[str]:
    assert not [r for r in results if isinstance(r, BaseException)], results
    return sorted(model.objects.values_list("slug", flat=True))


def test_two_courses_of_one_address_made_at_once():
    coordinator = UserFactory(roles=[Role.AIDA_COORDINATOR])
    data = {
        "title": "Media forensics",
        "description": "Detecting manipulated media.",
        "format": "tutorial",
        "level": "advanced",
        "language": "en",
        "curricula": ["ai-media"],
        "host": MemberFactory(),
    }
    # Codes are unique, but "AIDA-MF" and "AIDA MF" make the same address.
    codes = ["AIDA-MF", "AIDA MF"]
    results = run_in_parallel(
        2, lambda i: services.course_create(data={**data, "code": codes[i]}, actor=coordinator)
    )
    assert _made(results, Course) == ["aida-mf-media-forensics", "aida-mf-media-forensics-2"]


def test_two_lectures_of_one_name_made_at_once():
    coordinator = UserFactory(roles=[Role.AIDA_COORDINATOR])
    start = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
    data = {
        "title": "Foundation models for media",
        "speaker": "Yann Example",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "timezone": "Europe/Athens",
    }
    results = run_in_parallel(2, lambda i: services.lecture_create(data=data, actor=coordinator))
    assert _made(results, Lecture) == [
        "foundation-models-for-media",
        "foundation-models-for-media-2",
    ]


def test_two_resources_of_one_title_submitted_at_once():
    lecturers = [LecturerFactory(), LecturerFactory()]
    results = run_in_parallel(
        2,
        lambda i: services.resource_submit(data=resource_fields(), actor=lecturers[i].user),
    )
    assert _made(results, Resource) == [
        "transformers-from-scratch",
        "transformers-from-scratch-2",
    ]
