"""django-rules predicates of AIDA: who represents, teaches, supervises or holds what."""

import rules

from .enums import ResourceStatus
from .models import Course, Enrolment, Offering, Student


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_representative(user) -> bool:
    """The user represents at least one AIDA member institution."""
    return _signed_in(user) and user.aida_represented_members.exists()


@rules.predicate
def represents_students_institution(user, student: Student) -> bool:
    """The user is an AIDA representative of the student's institution."""
    if not _signed_in(user) or student is None:
        return False
    return student.member.representatives.filter(pk=user.pk).exists()


@rules.predicate
def is_lecturer(user) -> bool:
    return _signed_in(user) and hasattr(user, "aida_lecturer")


@rules.predicate
def supervises(user, student: Student) -> bool:
    """The user is the AIDA lecturer the student named as their supervisor."""
    if not _signed_in(user) or student is None or student.supervisor_id is None:
        return False
    lecturer = getattr(user, "aida_lecturer", None)
    return lecturer is not None and lecturer.pk == student.supervisor_id


def _course_of(obj) -> Course | None:
    if isinstance(obj, Course):
        return obj
    if isinstance(obj, Offering):
        return obj.course
    if isinstance(obj, Enrolment):
        return obj.offering.course
    return None


@rules.predicate
def teaches(user, obj) -> bool:
    """The user is a lecturer of the course (of the offering, of the enrolment)."""
    course = _course_of(obj)
    if not _signed_in(user) or course is None or course.pk is None:
        return False
    return course.lecturers.filter(user_id=user.pk).exists()


@rules.predicate
def holds_enrolment(user, enrolment: Enrolment) -> bool:
    return _signed_in(user) and enrolment is not None and enrolment.user_id == user.pk


@rules.predicate
def is_submitter(user, resource) -> bool:
    return _signed_in(user) and resource is not None and resource.submitted_by_id == user.pk


@rules.predicate
def is_accepted_resource(user, resource) -> bool:
    """The resource is in the public repository (the committee accepted it)."""
    return resource is not None and resource.status == ResourceStatus.ACCEPTED
