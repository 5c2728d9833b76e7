"""AIDA's panels on "My portal"."""

from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.dashboard import Panel
from ai4media_portal.core.permissions import can

from . import selectors


def panels(request) -> list[Panel]:
    """The person's AIDA registration and enrolments; the registrations waiting for a
    validator. A fixed number of queries."""
    user = request.user
    result = []
    if can(user, "aida.view_student_queue"):
        waiting = selectors.students_to_validate(user).count()
        result.append(
            Panel(
                _("AIDA registrations"),
                "aida/dashboard/queue.html",
                {"waiting": waiting, "manages_members": can(user, "aida.manage_members")},
                40,
            )
        )
    student = selectors.student_of(user)
    enrolments = list(selectors.my_enrolments(user)[:10])
    if student or enrolments:
        result.append(
            Panel(
                _("Your AIDA courses"),
                "aida/dashboard/student.html",
                {"student": student, "enrolments": enrolments},
                41,
            )
        )
    return result
