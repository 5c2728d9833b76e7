"""AIDA's public pages and API lists come from the shared cache for visitors; a change shows
at once, and so does a lecture passing or a new day, without any write."""

import datetime

import pytest
import time_machine

from .factories import CourseFactory, LectureFactory, OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def public_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "public-cache"),
        },
    }
    settings.PUBLIC_CACHE_ALIAS = "public"


def test_a_changed_course_shows_at_once_in_the_catalogue_its_page_and_the_api(client):
    course = CourseFactory(title="Multimodal learning")
    OfferingFactory(course=course)
    urls = ["/aida/courses/", f"/aida/courses/{course.slug}/", "/api/v1/aida/courses/"]
    for url in urls:
        assert client.get(url)["X-Cache"] == "MISS", url
        assert client.get(url)["X-Cache"] == "HIT", url

    course.title = "Multimodal deep learning"
    course.save()

    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Multimodal deep learning" in response.content.decode(), url


def test_a_lecture_that_ended_leaves_the_upcoming_list_without_any_write(client):
    start = datetime.datetime(2031, 5, 6, 14, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start - datetime.timedelta(hours=2), tick=False):
        LectureFactory(title="Trustworthy generative models", starts_at=start)
        assert client.get("/aida/lectures/")["X-Cache"] == "MISS"
        assert client.get("/aida/lectures/")["X-Cache"] == "HIT"

    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        after = client.get("/aida/lectures/")

    assert after["X-Cache"] == "MISS"
    assert [lecture.title for lecture in after.context["past"]] == ["Trustworthy generative models"]
    assert after.context["upcoming"] == []
