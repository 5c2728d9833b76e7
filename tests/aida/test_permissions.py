"""Who may do what in AIDA: every named permission for every kind of person, including staff
and superusers, who hold no AIDA power by their account alone."""

import pytest

from ai4media_portal.core.permissions import can
from aida.enums import StudentStatus
from tests.factories import UserFactory

from .factories import (
    CourseFactory,
    EnrolmentFactory,
    LecturerFactory,
    MemberFactory,
    OfferingFactory,
    ResourceFactory,
    StudentFactory,
)

PEOPLE = [
    "anonymous",
    "member",
    "staff",
    "superuser",
    "aida-coordinator",
    "representative",
    "lecturer",
    "supervisor",
    "student",
]

# (permission, object, who may)
MATRIX = [
    ("aida.manage_members", None, {"aida-coordinator"}),
    ("aida.register_student", None, set(PEOPLE) - {"anonymous"}),
    (
        "aida.view_student_queue",
        None,
        {"aida-coordinator", "representative", "lecturer", "supervisor"},
    ),
    ("aida.validate_student", "student", {"aida-coordinator", "representative"}),
    ("aida.confirm_supervision", "student", {"supervisor"}),
    ("aida.add_course", None, {"aida-coordinator", "lecturer", "supervisor"}),
    ("aida.change_course", "course", {"aida-coordinator", "lecturer"}),
    ("aida.change_offering", "offering", {"aida-coordinator", "lecturer"}),
    ("aida.view_roster", "offering", {"aida-coordinator", "lecturer"}),
    ("aida.mark_enrolment", "offering", {"aida-coordinator", "lecturer"}),
    ("aida.request_enrolment", None, set(PEOPLE) - {"anonymous"}),
    ("aida.cancel_enrolment", "enrolment", {"aida-coordinator", "student"}),
    ("aida.revoke_certificate", None, {"aida-coordinator"}),
    ("aida.manage_lectures", None, {"aida-coordinator"}),
    ("aida.submit_resource", None, {"aida-coordinator", "lecturer", "supervisor"}),
    ("aida.resubmit_resource", "resource", {"lecturer"}),
    ("aida.review_resource", "resource", {"aida-coordinator"}),
    ("aida.view_resource_queue", None, {"aida-coordinator"}),
    # A submitted resource's file: its submitter and the committee (accepted: see the view).
    ("aida.view_resource_file", "resource", {"aida-coordinator", "lecturer"}),
]


@pytest.fixture
def world(people):
    member = MemberFactory()
    representative = UserFactory()
    member.representatives.add(representative)
    lecturer = LecturerFactory(member=member)
    supervisor = LecturerFactory(member=member)
    student_user = UserFactory()
    student = StudentFactory(
        user=student_user,
        member=member,
        status=StudentStatus.PENDING,
        supervisor=supervisor,
    )
    course = CourseFactory(host=member, lecturers=[lecturer])
    offering = OfferingFactory(course=course)
    enrolment = EnrolmentFactory(offering=offering, user=student_user)
    resource = ResourceFactory(submitted_by=lecturer.user, status="submitted")
    who = {
        **{
            key: people[key]
            for key in ("anonymous", "member", "staff", "superuser", "aida-coordinator")
        },
        "representative": representative,
        "lecturer": lecturer.user,
        "supervisor": supervisor.user,
        "student": student_user,
    }
    objects = {
        "student": student,
        "course": course,
        "offering": offering,
        "enrolment": enrolment,
        "resource": resource,
        None: None,
    }
    return who, objects


@pytest.mark.parametrize(("perm", "obj", "allowed"), MATRIX)
def test_permission_matrix(world, perm, obj, allowed):
    who, objects = world
    granted = {name for name in PEOPLE if can(who[name], perm, objects[obj])}
    assert granted == allowed


def test_nobody_validates_their_own_registration(people):
    coordinator = people["aida-coordinator"]
    own = StudentFactory(user=coordinator, status=StudentStatus.PENDING)
    assert not can(coordinator, "aida.validate_student", own)


def test_superuser_cannot_act_for_a_student(people, db):
    enrolment = EnrolmentFactory()
    assert not can(people["superuser"], "aida.cancel_enrolment", enrolment)


def test_nobody_reviews_their_own_resource(people):
    coordinator = people["aida-coordinator"]
    own = ResourceFactory(submitted_by=coordinator, status="submitted")
    assert not can(coordinator, "aida.review_resource", own)
