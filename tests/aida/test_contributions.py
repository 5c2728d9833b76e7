"""AIDA's contributions to shared pages: home figures, My portal, an organisation's page and
the site-wide search, each with a fixed number of queries."""

import pytest
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from aida import dashboard, home, organisation_sections, search
from aida.enums import StudentStatus
from tests.factories import UserFactory

from .factories import CourseFactory, EnrolmentFactory, MemberFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _queries(fn) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_home_figures_count_members_and_courses():
    member = MemberFactory()
    CourseFactory(host=member)
    CourseFactory(host=member)
    assert [(f.value, f.url) for f in home.figures()] == [
        (1, "/aida/members/"),
        (2, "/aida/courses/"),
    ]
    assert _queries(home.figures) == 1


def test_organisation_section_shows_membership_and_courses():
    member = MemberFactory(tier="associate")
    CourseFactory(host=member, title="Causal ML")
    (section,) = organisation_sections.sections(member.organisation)
    assert [c.title for c in section.context["courses"]] == ["Causal ML"]
    assert organisation_sections.sections(MemberFactory().organisation)[0].context["courses"] == []
    for _ in range(2):
        CourseFactory(host=member)
    assert _queries(lambda: organisation_sections.sections(member.organisation)) == 2


def test_dashboard_panels_for_a_student_and_a_representative():
    representative = UserFactory()
    member = MemberFactory(representatives=[representative])
    StudentFactory(member=member, status=StudentStatus.PENDING)
    request = RequestFactory().get("/me/")
    request.user = representative
    (queue,) = dashboard.panels(request)
    assert queue.context["waiting"] == 1
    student = StudentFactory()
    EnrolmentFactory(user=student.user)
    request.user = student.user
    (panel,) = dashboard.panels(request)
    assert len(panel.context["enrolments"]) == 1


def test_search_finds_courses_with_one_query():
    CourseFactory(title="Reinforcement learning for games")
    CourseFactory(title="Speech synthesis")
    group = search.search("reinforce", user=None, limit=5)
    assert [hit.title for hit in group.hits] == ["Reinforcement learning for games"]
    assert _queries(lambda: search.search("learning", user=None, limit=5)) == 1
