"""Every write of AIDA: members, lecturers, student registration and validation, courses and
offerings, enrolment with its waitlist, attendance and completion, certificates.

Each service checks the actor's permission (``PermissionDenied``), runs in one transaction,
locks the rows it changes, writes the audit log and queues its emails, which leave after the
transaction commits. Pages, the API and the admin all call these.

Seats: every service that takes or frees a seat locks the offering's row first
(``select_for_update``) and keeps ``Offering.seats_taken`` and ``waitlist_length`` in step, so
two requests for the last seat are served one after the other and a database constraint
refuses any oversold offering.
"""

import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ai4media_portal.accounts.selectors import holders_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes, apply_file_change
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.idempotency import create_once
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import can, require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.slugs import unique_slug
from ai4media_portal.core.validators import validate_teaching_material
from ai4media_portal.core.workflow import ensure_transition, set_state
from network.models import NetworkRole, Organisation, OrganisationRole
from network.services import organisation_refresh_joined_on

from . import selectors
from .enums import (
    ACTIVE_ENROLMENT_STATUSES,
    ENROLMENT_TRANSITIONS,
    LECTURE_TRANSITIONS,
    OFFERING_TRANSITIONS,
    RESOURCE_TRANSITIONS,
    STUDENT_TRANSITIONS,
    EnrolmentStatus,
    LectureStatus,
    MemberTier,
    OfferingStatus,
    ResourceStatus,
    ReviewCriterion,
    StudentStatus,
    SupervisorConfirmation,
)
from .models import (
    Certificate,
    Course,
    Enrolment,
    Lecture,
    Lecturer,
    Member,
    Offering,
    OfferingStatusChange,
    Resource,
    ResourceReview,
    Student,
    StudentStatusChange,
)


def _portal_error(exc: DjangoValidationError) -> PortalError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return PortalError(errors[0].messages[0], field=None if field == "__all__" else field)
    return PortalError(exc.messages[0])


def _full_clean(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise _portal_error(exc) from exc


def _email(user, template: str, **context) -> None:
    email_queue(
        to=user.email,
        template=f"aida/{template}",
        context={"person": user, **context},
        language=getattr(user, "language", None) or None,
    )


# --- Members and lecturers -----------------------------------------------------------------


def member_add(
    *,
    organisation: Organisation,
    tier: MemberTier,
    joined_on: date,
    mou_signed_on: date,
    actor,
) -> Member:
    """Make a network organisation an AIDA member (AIDA coordinators only); the organisation
    also gets the network's AIDA-member role from ``joined_on``. Refused (``PortalError``
    naming the field): adding it twice (``organisation``; the organisation's row is locked,
    so two coordinators at once add it once), a memorandum signed after joining
    (``mou_signed_on``: members sign the MoU to join)."""
    require_perm(actor, "aida.manage_members")
    if mou_signed_on > joined_on:
        raise PortalError(
            _("Members sign the memorandum before they join, not after."), field="mou_signed_on"
        )
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if Member.objects.filter(organisation=locked).exists():
            raise PortalError(
                _("This organisation is already an AIDA member."), field="organisation"
            )
        member = Member(
            organisation=locked, tier=tier, joined_on=joined_on, mou_signed_on=mou_signed_on
        )
        _full_clean(member)
        member.save()
        OrganisationRole.objects.get_or_create(
            organisation=locked, role=NetworkRole.AIDA_MEMBER, defaults={"since": joined_on}
        )
        organisation_refresh_joined_on(locked)
        log_action(
            "aida.member.add",
            actor=actor,
            target=member,
            data={"tier": str(tier), "joined_on": joined_on.isoformat()},
        )
    return member


def member_add_representative(*, member: Member, user, actor) -> Member:
    """Name ``user`` an AIDA representative of ``member`` (coordinators only): they then
    validate the registrations of its students."""
    require_perm(actor, "aida.manage_members")
    with transaction.atomic():
        member.representatives.add(user)
        log_action(
            "aida.member.representative_add", actor=actor, target=member, data={"user": user.pk}
        )
    return member


def lecturer_add(*, user, member: Member, position: str = "", actor) -> Lecturer:
    """Record ``user`` as a lecturer of ``member`` (coordinators only); adding them again
    changes their institution and position."""
    require_perm(actor, "aida.manage_lecturers")
    with transaction.atomic():
        lecturer, created = Lecturer.objects.update_or_create(
            user=user, defaults={"member": member, "position": position}
        )
        log_action(
            "aida.lecturer.add" if created else "aida.lecturer.change",
            actor=actor,
            target=lecturer,
            data={"member": member.pk},
        )
    return lecturer


# --- Students ------------------------------------------------------------------------------


def _student_set_status(
    student: Student, target: StudentStatus, actor, message: str = ""
) -> Student:
    """The one writer of a registration's status: checks the move, saves, keeps the history,
    logs the action. The caller has checked the permission and locked the row."""
    current = StudentStatus(student.status)
    ensure_transition(current, target, STUDENT_TRANSITIONS)
    student.status = target
    student.decision_reason = message if target == StudentStatus.REFUSED else ""
    student.decided_at = None if target == StudentStatus.PENDING else timezone.now()
    student.save(update_fields=["status", "decision_reason", "decided_at", "updated_at"])
    StudentStatusChange.objects.create(
        student=student, from_status=current, to_status=target, actor=actor, message=message
    )
    log_action(
        f"aida.student.{target.value}",
        actor=actor,
        target=student,
        data={"from": current.value, "message": message},
    )
    return student


def _match_supervisor(student: Student) -> None:
    """A PhD student's supervisor who is a known AIDA lecturer (by email) is asked to
    confirm; anyone else's word is the representative's to weigh."""
    lecturer = None
    if student.is_phd and student.supervisor_email:
        lecturer = (
            Lecturer.objects.select_related("user")
            .filter(user__email__iexact=student.supervisor_email)
            .exclude(user_id=student.user_id)
            .first()
        )
    student.supervisor = lecturer
    student.supervisor_confirmation = (
        SupervisorConfirmation.REQUESTED if lecturer else SupervisorConfirmation.NOT_NEEDED
    )


def _check_registration(data: Mapping) -> None:
    if data.get("is_phd"):
        if not (data.get("supervisor_name") or "").strip():
            raise PortalError(
                _("PhD students name their supervisor."), field="supervisor_name", code="required"
            )
        if not (data.get("supervisor_email") or "").strip():
            raise PortalError(
                _("PhD students give their supervisor's email address."),
                field="supervisor_email",
                code="required",
            )


def student_register(*, user, data: Mapping, actor) -> Student:
    """Register ``user`` (the actor, signed in) as an AIDA student of ``data["member"]``, or
    update their registration while it waits or after a refusal (which puts it back in the
    queue). ``data`` holds ``Student.PROFILE_FIELDS``. A PhD student names a supervisor (name
    and email, ``PortalError`` on the field otherwise); a supervisor who is an AIDA lecturer
    is emailed to confirm. The institution's representatives and the coordinators are told.
    A validated registration cannot be changed here (``PortalError``)."""
    require_perm(actor, "aida.register_student")
    if actor.pk != user.pk:
        raise PortalError(_("Students register themselves."))
    _check_registration(data)
    with transaction.atomic():
        student = Student.objects.select_for_update().filter(user=user).first()
        created = student is None
        if created:
            student = Student(user=user)
        elif student.status == StudentStatus.VALIDATED:
            raise PortalError(_("Your registration has already been validated."))
        for field in Student.PROFILE_FIELDS:
            setattr(student, field, data.get(field, getattr(student, field, "")))
        if not student.is_phd:
            student.supervisor_name = student.supervisor_email = ""
        _match_supervisor(student)
        _full_clean(student, exclude=["user"])
        student.save()
        if student.status == StudentStatus.REFUSED:
            _student_set_status(student, StudentStatus.PENDING, actor, _("Registration updated."))
        elif created:
            StudentStatusChange.objects.create(
                student=student,
                from_status=StudentStatus.PENDING,
                to_status=StudentStatus.PENDING,
                actor=actor,
            )
            log_action("aida.student.register", actor=actor, target=student)
        else:
            log_action("aida.student.update", actor=actor, target=student)
        queue_url = absolute_url(reverse("aida:students"))
        recipients = {u.pk: u for u in student.member.representatives.all()}
        recipients.update({u.pk: u for u in holders_of(Role.AIDA_COORDINATOR)})
        recipients.pop(user.pk, None)
        for recipient in recipients.values():
            _email(recipient, "student_registered", student=student, queue_url=queue_url)
        if student.supervisor is not None:
            _email(
                student.supervisor.user,
                "supervision_requested",
                student=student,
                queue_url=queue_url,
            )
    return student


def _lock_student(student: Student) -> Student:
    return Student.objects.select_for_update().select_related("user", "member").get(pk=student.pk)


def student_validate(*, student: Student, actor, message: str = "") -> Student:
    """Validate a registration (a representative of the student's institution or an AIDA
    coordinator, never the student): from then on the student may enrol. Refused with
    ``PortalError`` while the named supervisor has not answered. Emails the student."""
    require_perm(actor, "aida.validate_student", student)
    with transaction.atomic():
        locked = _lock_student(student)
        if locked.supervisor_confirmation == SupervisorConfirmation.REQUESTED:
            raise PortalError(
                _("The supervisor has not confirmed yet; validate once they have."),
                code="awaiting_supervisor",
            )
        _student_set_status(locked, StudentStatus.VALIDATED, actor, message)
        _email(
            locked.user,
            "student_validated",
            student=locked,
            catalogue_url=absolute_url(reverse("aida:catalogue")),
        )
    return locked


def student_refuse(*, student: Student, actor, reason: str) -> Student:
    """Refuse a registration with a reason (``PortalError`` on ``reason`` without one); same
    deciders as ``student_validate``. Emails the student the reason."""
    require_perm(actor, "aida.validate_student", student)
    reason = (reason or "").strip()
    if not reason:
        raise PortalError(_("Say why the registration is refused."), field="reason")
    with transaction.atomic():
        locked = _lock_student(student)
        _student_set_status(locked, StudentStatus.REFUSED, actor, reason)
        _email(
            locked.user,
            "student_refused",
            student=locked,
            reason=reason,
            register_url=absolute_url(reverse("aida:register")),
        )
    return locked


def student_confirm_supervision(*, student: Student, actor, confirm: bool) -> Student:
    """The supervising lecturer confirms (or declines) that they supervise the student."""
    require_perm(actor, "aida.confirm_supervision", student)
    with transaction.atomic():
        locked = _lock_student(student)
        if locked.supervisor_confirmation != SupervisorConfirmation.REQUESTED:
            raise PortalError(_("You have already answered."))
        locked.supervisor_confirmation = (
            SupervisorConfirmation.CONFIRMED if confirm else SupervisorConfirmation.DECLINED
        )
        locked.save(update_fields=["supervisor_confirmation", "updated_at"])
        log_action(
            "aida.student.supervision",
            actor=actor,
            target=locked,
            data={"confirmed": confirm},
        )
    return locked


# --- Courses and offerings -----------------------------------------------------------------


def _check_course(course: Course) -> None:
    if course.ects is not None and not course.host.may_host_credited_courses:
        raise PortalError(
            _("Only full and associate members host courses worth ECTS credits."),
            field="ects",
            code="credited_host",
        )
    if Course.objects.filter(code__iexact=course.code).exclude(pk=course.pk).exists():
        raise PortalError(_("Another course has this code."), field="code", code="unique")


def course_create(*, data: Mapping, topics=(), lecturers=(), actor) -> Course:
    """A new course from ``data`` (``Course.EDITABLE_FIELDS``; ``ects`` a ``Decimal`` or
    ``None``) by an AIDA coordinator or a lecturer, who then teaches it. Only full and
    associate members host credited courses (``PortalError`` on ``ects``)."""
    require_perm(actor, "aida.add_course")
    with transaction.atomic():
        course = Course(**{name: data[name] for name in Course.EDITABLE_FIELDS if name in data})
        course.slug = unique_slug(Course, f"{course.code} {course.title}", fallback="course")
        _full_clean(course, exclude=["slug"])
        _check_course(course)
        course.save()
        course.topics.set(topics)
        chosen = list(lecturers)
        own = getattr(actor, "aida_lecturer", None)
        if own is not None and own not in chosen:
            chosen.append(own)
        course.lecturers.set(chosen)
        log_action("aida.course.create", actor=actor, target=course)
    return course


def course_update(*, course: Course, data: Mapping, topics=None, lecturers=None, actor) -> Course:
    """Change a course (coordinators and its lecturers). Same checks as ``course_create``."""
    require_perm(actor, "aida.change_course", course)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        changed = apply_changes(locked, data, Course.EDITABLE_FIELDS)
        _full_clean(locked, exclude=["slug"])
        _check_course(locked)
        locked.save()
        if topics is not None:
            locked.topics.set(topics)
        if lecturers is not None:
            locked.lecturers.set(lecturers)
        log_action("aida.course.update", actor=actor, target=locked, data={"changed": changed})
    return locked


def _offering_set_status(
    offering: Offering, target: OfferingStatus, actor, message: str = ""
) -> Offering:
    """The one writer of an offering's status: checks the move, saves, keeps the history,
    logs the action. The caller has locked the row."""
    current = OfferingStatus(offering.status)
    ensure_transition(current, target, OFFERING_TRANSITIONS)
    offering.status = target
    if target == OfferingStatus.CANCELLED:
        offering.sequence += 1  # calendars show it cancelled (RFC 5545 STATUS:CANCELLED)
    offering.save(update_fields=["status", "sequence", "updated_at"])
    OfferingStatusChange.objects.create(
        offering=offering, from_status=current, to_status=target, actor=actor, message=message
    )
    log_action(
        f"aida.offering.{target.value}",
        actor=actor,
        target=offering,
        data={"from": current.value, "message": message},
    )
    return offering


def _sync_seats_status(offering: Offering, actor) -> None:
    """Open ⇄ full as the seats fill and free."""
    if offering.status == OfferingStatus.OPEN and offering.seats_left == 0:
        _offering_set_status(offering, OfferingStatus.FULL, actor)
    elif offering.status == OfferingStatus.FULL and offering.seats_left != 0:
        _offering_set_status(offering, OfferingStatus.OPEN, actor)


def _lock_offering(offering: Offering) -> Offering:
    return (
        Offering.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=offering.pk)
    )


def offering_create(*, course: Course, data: Mapping, actor) -> Offering:
    """A new offering of ``course`` (planned) from ``data`` (``Offering.EDITABLE_FIELDS``).
    Dates in the wrong order or 0 seats are refused beside the field (``PortalError``)."""
    require_perm(actor, "aida.change_course", course)
    with transaction.atomic():
        offering = Offering(
            course=course, **{k: data[k] for k in Offering.EDITABLE_FIELDS if k in data}
        )
        _check_offering(offering)
        offering.save()
        OfferingStatusChange.objects.create(
            offering=offering,
            from_status=OfferingStatus.PLANNED,
            to_status=OfferingStatus.PLANNED,
            actor=actor,
        )
        log_action("aida.offering.create", actor=actor, target=offering)
    return offering


def _check_offering(offering: Offering) -> None:
    if offering.capacity == 0:
        raise PortalError(
            _("Leave the seats blank for unlimited; an offering never has 0 seats."),
            field="capacity",
        )
    if offering.starts_on and offering.ends_on and offering.ends_on < offering.starts_on:
        raise PortalError(_("The last day cannot come before the first."), field="ends_on")
    if (
        offering.enrolment_opens_on
        and offering.enrolment_closes_on
        and offering.enrolment_closes_on < offering.enrolment_opens_on
    ):
        raise PortalError(_("Enrolment cannot close before it opens."), field="enrolment_closes_on")
    if offering.capacity is not None and offering.capacity < offering.seats_taken:
        raise PortalError(
            _("%(n)s students are already confirmed: the seats cannot be fewer.")
            % {"n": offering.seats_taken},
            field="capacity",
            code="below_confirmed",
        )
    _full_clean(offering, exclude=["course"])


def offering_update(*, offering: Offering, data: Mapping, actor) -> Offering:
    """Change an offering (coordinators and the course's lecturers). The seats can never fall
    below the confirmed students (``PortalError`` on ``capacity``); more seats promote the
    first waitlisted students at once, in the same transaction, and email them."""
    require_perm(actor, "aida.change_offering", offering)
    with transaction.atomic():
        locked = _lock_offering(offering)
        changed = apply_changes(locked, data, Offering.EDITABLE_FIELDS)
        _check_offering(locked)
        if set(changed) & {"starts_on", "ends_on", "location", "mode", "schedule", "timezone"}:
            locked.sequence += 1  # calendars replace their copy of the event
        locked.save()
        if "capacity" in changed:
            _fill_seats(locked, actor)
        log_action("aida.offering.update", actor=actor, target=locked, data={"changed": changed})
    return locked


# Moves people make by hand; open ⇄ full follow the seats.
MANUAL_OFFERING_MOVES = frozenset(
    {
        OfferingStatus.OPEN,
        OfferingStatus.PLANNED,
        OfferingStatus.RUNNING,
        OfferingStatus.FINISHED,
        OfferingStatus.CANCELLED,
    }
)


def offering_move(
    *, offering: Offering, target: OfferingStatus, actor, reason: str = ""
) -> Offering:
    """Open, start, finish or cancel an offering (coordinators and the course's lecturers).
    Opening an offering whose seats are all taken makes it full. Cancelling needs a reason
    and cancels every request for a place, emailing each person."""
    require_perm(actor, "aida.change_offering", offering)
    target = OfferingStatus(target)
    if target not in MANUAL_OFFERING_MOVES:
        raise PortalError(_("An offering becomes full by itself when its seats are taken."))
    if target == OfferingStatus.CANCELLED and not (reason or "").strip():
        raise PortalError(_("Say why the offering is cancelled."), field="reason")
    with transaction.atomic():
        locked = _lock_offering(offering)
        _offering_set_status(locked, target, actor, reason)
        if target == OfferingStatus.OPEN:
            _sync_seats_status(locked, actor)
        if target == OfferingStatus.CANCELLED:
            for enrolment in (
                Enrolment.objects.select_for_update()
                .select_related("user")
                .filter(offering=locked, status__in=ACTIVE_ENROLMENT_STATUSES)
            ):
                _enrolment_move(enrolment, EnrolmentStatus.CANCELLED, actor)
                _email(enrolment.user, "offering_cancelled", offering=locked, reason=reason)
            locked.seats_taken = locked.waitlist_length = 0
            locked.save(update_fields=["seats_taken", "waitlist_length"])
    return locked


# --- Enrolment -----------------------------------------------------------------------------


def _enrolment_move(enrolment: Enrolment, target: EnrolmentStatus, actor) -> EnrolmentStatus:
    """The one writer of an enrolment's status (``core.workflow.set_state``), logging the
    action. The caller has locked the offering and keeps its seat counts."""
    previous = set_state(enrolment, target, ENROLMENT_TRANSITIONS, also=["updated_at"])
    log_action(
        f"aida.enrolment.{target.value}",
        actor=actor,
        target=enrolment,
        data={"from": previous.value, "offering": enrolment.offering_id},
    )
    return previous


def _offering_url(offering: Offering) -> str:
    return absolute_url(offering.get_absolute_url())


def _fill_seats(offering: Offering, actor) -> list[Enrolment]:
    """Promote the first waitlisted requests into the free seats (first come, first served),
    emailing each; then open ⇄ full follows. Called under the offering's lock."""
    promoted = []
    while offering.seats_left != 0 and offering.waitlist_length > 0:
        first = (
            Enrolment.objects.select_for_update()
            .select_related("user")
            .filter(offering=offering, status=EnrolmentStatus.WAITLISTED)
            .order_by("requested_at", "pk")
            .first()
        )
        if first is None:
            break
        _enrolment_move(first, EnrolmentStatus.CONFIRMED, actor)
        offering.seats_taken += 1
        offering.waitlist_length -= 1
        promoted.append(first)
        _email(first.user, "enrolment_promoted", offering=offering, url=_offering_url(offering))
    offering.save(update_fields=["seats_taken", "waitlist_length"])
    _sync_seats_status(offering, actor)
    return promoted


def _seat_or_queue(offering: Offering) -> EnrolmentStatus:
    """Where a request served now goes: a free seat, else the back of the waitlist."""
    return EnrolmentStatus.WAITLISTED if offering.seats_left == 0 else EnrolmentStatus.CONFIRMED


def _count_in(offering: Offering, status: EnrolmentStatus, actor) -> None:
    """Count an enrolment that just became ``status`` in the offering's seats or waitlist."""
    if status == EnrolmentStatus.CONFIRMED:
        offering.seats_taken += 1
    elif status == EnrolmentStatus.WAITLISTED:
        offering.waitlist_length += 1
    offering.save(update_fields=["seats_taken", "waitlist_length"])
    _sync_seats_status(offering, actor)


ENROLMENT_EMAILS = {
    EnrolmentStatus.PENDING: "enrolment_pending",
    EnrolmentStatus.CONFIRMED: "enrolment_confirmed",
    EnrolmentStatus.WAITLISTED: "enrolment_waitlisted",
}


PARTICIPANT_AFFILIATION_MAX = 200


def _participant_details(actor, affiliation: str, country: str) -> dict:
    """What the enrolment records about who asked: an AIDA student's institution and country
    from their validated registration; an external participant's own ``affiliation``
    (required, at most 200 characters) and ``country`` (ISO 3166 alpha-2, required), refused
    with ``PortalError`` beside the missing or wrong one."""
    student = selectors.validated_student_of(actor)
    if student is not None:
        return {
            "participant_affiliation": student.member.organisation.name[
                :PARTICIPANT_AFFILIATION_MAX
            ],
            "participant_country": student.country.code,
            "is_aida_student": True,
        }
    affiliation = (affiliation or "").strip()
    if not affiliation:
        raise PortalError(
            _("Give the organisation you belong to."), field="participant_affiliation"
        )
    if len(affiliation) > PARTICIPANT_AFFILIATION_MAX:
        raise PortalError(
            _("At most %(max)s characters, please.") % {"max": PARTICIPANT_AFFILIATION_MAX},
            field="participant_affiliation",
        )
    country = (country or "").strip().upper()
    if not country:
        raise PortalError(_("Choose your country."), field="participant_country")
    if country not in dict(countries):
        raise PortalError(_("Choose a country from the list."), field="participant_country")
    return {
        "participant_affiliation": affiliation,
        "participant_country": country,
        "is_aida_student": False,
    }


def enrolment_request(
    *, offering: Offering, actor, affiliation: str = "", country: str = ""
) -> Enrolment:
    """Request a place in ``offering`` for the actor.

    Under the offering's row lock it asks ``selectors.enrolment_eligibility`` (``PortalError``
    with the reason's code and words when refused), then: where the lecturer confirms by
    hand, the request waits (pending); otherwise it takes a free seat (confirmed) or joins
    the back of the waitlist (waitlisted), first come first served. A cancelled request made
    again goes to the back. Emails the person what happened.

    The enrolment records who asked: a validated AIDA student's institution and country are
    copied from their registration; anyone else (admitted only where the offering is open to
    external participants) gives their ``affiliation`` (organisation, at most 200 characters)
    and ``country`` (ISO 3166 alpha-2), both required (``PortalError`` on
    ``participant_affiliation`` or ``participant_country``).
    """
    require_perm(actor, "aida.request_enrolment")
    with transaction.atomic():
        locked = _lock_offering(offering)
        allowed, reason = selectors.enrolment_eligibility(actor, locked)
        if not allowed:
            raise PortalError(reason.label, code=reason.value)
        participant = _participant_details(actor, affiliation, country)
        target = EnrolmentStatus.PENDING if locked.confirm_by_hand else _seat_or_queue(locked)
        enrolment = (
            Enrolment.objects.select_for_update().filter(offering=locked, user=actor).first()
        )
        if enrolment is None:
            enrolment = Enrolment.objects.create(
                offering=locked,
                user=actor,
                status=target,
                requested_at=timezone.now(),
                **participant,
            )
            log_action(
                f"aida.enrolment.{target.value}",
                actor=actor,
                target=enrolment,
                data={"from": "", "offering": locked.pk},
            )
        else:
            enrolment.requested_at = timezone.now()
            enrolment.attended = False
            for name, value in participant.items():
                setattr(enrolment, name, value)
            _enrolment_move(enrolment, target, actor)
            enrolment.save(update_fields=["requested_at", "attended", *participant])
        _count_in(locked, target, actor)
        _email(actor, ENROLMENT_EMAILS[target], offering=locked, url=_offering_url(locked))
    return enrolment


def _lock_enrolment(enrolment: Enrolment) -> tuple[Offering, Enrolment]:
    offering = _lock_offering(enrolment.offering)
    locked = Enrolment.objects.select_for_update().select_related("user").get(pk=enrolment.pk)
    locked.offering = offering
    return offering, locked


def enrolment_cancel(*, enrolment: Enrolment, actor) -> Enrolment:
    """Cancel a request or a place (the participant, or an AIDA coordinator). A freed seat goes
    to the first waitlisted student in the same transaction, who is emailed."""
    require_perm(actor, "aida.cancel_enrolment", enrolment)
    with transaction.atomic():
        offering, locked = _lock_enrolment(enrolment)
        previous = _enrolment_move(locked, EnrolmentStatus.CANCELLED, actor)
        if previous == EnrolmentStatus.CONFIRMED:
            offering.seats_taken -= 1
        elif previous == EnrolmentStatus.WAITLISTED:
            offering.waitlist_length -= 1
        offering.save(update_fields=["seats_taken", "waitlist_length"])
        if offering.status in (OfferingStatus.OPEN, OfferingStatus.FULL, OfferingStatus.RUNNING):
            _fill_seats(offering, actor)
        if actor.pk != locked.user_id:
            _email(
                locked.user, "enrolment_cancelled", offering=offering, url=_offering_url(offering)
            )
    return locked


def enrolment_confirm(*, enrolment: Enrolment, actor) -> Enrolment:
    """Confirm a pending request by hand (the course's lecturers, coordinators): it takes a
    free seat, or joins the waitlist in the order it was requested. Emails the person."""
    require_perm(actor, "aida.change_offering", enrolment.offering)
    with transaction.atomic():
        offering, locked = _lock_enrolment(enrolment)
        if locked.status != EnrolmentStatus.PENDING:
            raise PortalError(_("Only requests awaiting confirmation can be confirmed."))
        target = _seat_or_queue(offering)
        _enrolment_move(locked, target, actor)
        _count_in(offering, target, actor)
        _email(
            locked.user, ENROLMENT_EMAILS[target], offering=offering, url=_offering_url(offering)
        )
    return locked


def enrolment_mark(
    *, enrolment: Enrolment, actor, attended: bool | None = None, outcome: str | None = None
) -> Enrolment:
    """Mark attendance (``attended``) and the outcome (``outcome``: "completed" or
    "not-completed") of a confirmed participant; the course's lecturers and coordinators,
    once the offering runs or has finished."""
    require_perm(actor, "aida.mark_enrolment", enrolment.offering)
    with transaction.atomic():
        offering, locked = _lock_enrolment(enrolment)
        if not locked.holds_seat:
            raise PortalError(_("Only confirmed participants are marked."))
        if offering.status not in (OfferingStatus.RUNNING, OfferingStatus.FINISHED):
            raise PortalError(_("Attendance is marked once the offering runs."))
        if attended is not None and attended != locked.attended:
            locked.attended = attended
            locked.save(update_fields=["attended", "updated_at"])
            log_action(
                "aida.enrolment.attended", actor=actor, target=locked, data={"attended": attended}
            )
        if outcome and outcome != locked.status:
            _enrolment_move(locked, EnrolmentStatus(outcome), actor)
    return locked


# --- Certificates --------------------------------------------------------------------------


def certificate_content(user, *, issued_on: date) -> dict:
    """What a certificate shows (the PDF and the verification page alike): the holder's name,
    the issue date (ISO) and every completed course with its dates (ISO, the offering's
    calendar days), format, ECTS (a string such as "2.5", or "" without credits) and host."""
    courses = []
    for enrolment in selectors.completed_enrolments(user):
        offering = enrolment.offering
        course = offering.course
        courses.append(
            {
                "title": course.title,
                "code": course.code,
                "starts_on": offering.starts_on.isoformat(),
                "ends_on": offering.ends_on.isoformat(),
                "format": str(course.get_format_display()),
                "ects": "" if course.ects is None else f"{course.ects.normalize():f}",
                "host": course.host.organisation.name,
            }
        )
    return {"name": user.display_name, "issued_on": issued_on.isoformat(), "courses": courses}


def certificate_issue(*, user, actor) -> Certificate:
    """Issue (or regenerate) ``user``'s Certificate of Course Attendance: the holder or an AIDA
    coordinator. It lists every completed course as of now; regenerating keeps the
    verification code (``secrets.token_urlsafe``, 32 bytes of randomness). Refused without a
    completed course or when revoked."""
    if not (actor.pk == user.pk or can(actor, "aida.revoke_certificate")):
        require_perm(actor, "aida.revoke_certificate")
    with transaction.atomic():
        existing = Certificate.objects.select_for_update().filter(user=user).first()
        if existing is not None and existing.is_revoked:
            raise PortalError(_("This certificate has been revoked."), code="revoked")
        today = timezone.localdate()
        content = certificate_content(user, issued_on=today)
        if not content["courses"]:
            raise PortalError(
                _("A certificate lists completed courses: none is completed yet."),
                code="no_courses",
            )
        if existing is None:
            certificate = Certificate(user=user, code=secrets.token_urlsafe(32))
        else:
            certificate = existing
        certificate.issued_on = today
        certificate.content = content
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:  # two first issues at once: the other one won
            certificate = Certificate.objects.get(user=user)
        log_action(
            "aida.certificate.issue",
            actor=actor,
            target=certificate,
            data={"courses": len(content["courses"]), "regenerated": existing is not None},
        )
    return certificate


def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate with a reason (coordinators): its verification page says so."""
    require_perm(actor, "aida.revoke_certificate")
    reason = (reason or "").strip()
    if not reason:
        raise PortalError(_("Say why the certificate is revoked."), field="reason")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            raise PortalError(_("This certificate is already revoked."))
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revocation_reason", "updated_at"])
        log_action("aida.certificate.revoke", actor=actor, target=locked, data={"reason": reason})
    return locked


# --- AI Excellence Lectures ----------------------------------------------------------------


def lecture_create(*, data: Mapping, actor) -> Lecture:
    """A new AI Excellence Lecture (AIDA coordinators). ``starts_at``/``ends_at`` are aware
    datetimes; a lecture ends after it starts (``PortalError`` on ``ends_at``)."""
    require_perm(actor, "aida.manage_lectures")
    with transaction.atomic():
        lecture = Lecture(**{k: data[k] for k in Lecture.EDITABLE_FIELDS if k in data})
        lecture.slug = unique_slug(Lecture, lecture.title, fallback="lecture")
        _check_lecture(lecture)
        lecture.save()
        log_action("aida.lecture.create", actor=actor, target=lecture)
    return lecture


def _check_lecture(lecture: Lecture) -> None:
    if lecture.starts_at and lecture.ends_at and lecture.ends_at <= lecture.starts_at:
        raise PortalError(_("A lecture ends after it starts."), field="ends_at")
    _full_clean(lecture, exclude=["slug"])


def lecture_update(*, lecture: Lecture, data: Mapping, actor) -> Lecture:
    """Change a lecture (coordinators). A new time, title or link raises the event's SEQUENCE
    so that subscribed calendars replace their copy; adding the recording does not."""
    require_perm(actor, "aida.manage_lectures")
    with transaction.atomic():
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        changed = apply_changes(locked, data, Lecture.EDITABLE_FIELDS)
        _check_lecture(locked)
        if set(changed) & Lecture.SCHEDULING_FIELDS:
            locked.sequence += 1
        locked.save()
        log_action("aida.lecture.update", actor=actor, target=locked, data={"changed": changed})
    return locked


def lecture_set_status(*, lecture: Lecture, target: LectureStatus, actor) -> Lecture:
    """Cancel (or reinstate) a lecture (coordinators). It stays in the feeds, marked
    STATUS:CANCELLED with a raised SEQUENCE, rather than vanishing from calendars."""
    require_perm(actor, "aida.manage_lectures")
    with transaction.atomic():
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        locked.sequence += 1
        previous = set_state(
            locked, LectureStatus(target), LECTURE_TRANSITIONS, also=["sequence", "updated_at"]
        )
        log_action(
            f"aida.lecture.{LectureStatus(target).value}",
            actor=actor,
            target=locked,
            data={"from": previous.value},
        )
    return locked


# --- Educational resources -----------------------------------------------------------------


def _check_resource(resource: Resource) -> None:
    from .validators import normalise_licence

    try:
        resource.licence = normalise_licence(resource.licence)
    except DjangoValidationError as exc:
        raise PortalError(exc.messages[0], field="licence") from exc
    # A stored file was checked when it came; only a new one is read again.
    # A token already used is settled by create_once (the unique constraint), not refused.
    exclude = [
        "slug",
        "submitted_by",
        "form_token",
        *(["file"] if resource.file._committed else []),
    ]
    _full_clean(resource, exclude=exclude)


def _check_resource_file(upload) -> None:
    """``PortalError`` on ``file`` unless ``upload`` is teaching material of at most 50 MB,
    judged by its content (``core.files.teaching_material_kind``)."""
    try:
        validate_teaching_material(upload)
    except DjangoValidationError as exc:
        raise PortalError(exc.messages[0], field="file", code=exc.error_list[0].code) from exc


def _put_resource_file(resource: Resource, upload=None, *, clear: bool = False) -> bool:
    """Put a new (already checked) file in the resource, with the name it was uploaded under
    and its size, or take the file away (``clear``). Returns whether the file changed."""
    if not apply_file_change(resource, "file", upload, clear=clear and upload is None):
        return False
    if upload is not None:
        resource.file_name = str(getattr(upload, "name", "") or "")[:255]
        resource.file_size = upload.size
    else:
        resource.file_name, resource.file_size = "", 0
    return True


def resource_submit(
    *, data: Mapping, topics=(), file=None, actor, form_token: uuid.UUID | None = None
) -> Resource:
    """A lecturer (or coordinator) submits a resource for review. ``licence`` must be an SPDX
    identifier (normalised, ``PortalError`` on ``licence`` otherwise); ``url`` a web link;
    ``file`` an upload of teaching material (a PDF, Office or OpenDocument slides, text or
    spreadsheet, a ZIP archive or a Jupyter notebook) of at most 50 MB, judged
    by its content (``PortalError`` on ``file`` otherwise), kept in private storage under a
    generated name, its uploaded name kept as the download's name. A link, a file or both;
    neither is refused (``PortalError`` on ``url``). The committee (AIDA coordinators) is
    emailed.

    Once per ``form_token`` (the submit form's hidden token, ``core.idempotency``): the same
    token again, even at the same moment, returns the resource it made, marked
    ``already_submitted``, and nothing more is stored or emailed; another person's token is
    ``PermissionDenied``."""
    require_perm(actor, "aida.submit_resource")
    if file is not None:
        _check_resource_file(file)

    def create() -> Resource:
        resource = Resource(
            **{k: data[k] for k in Resource.EDITABLE_FIELDS if k in data},
            submitted_by=actor,
            form_token=form_token,
        )
        _put_resource_file(resource, file)
        resource.slug = unique_slug(Resource, resource.title, fallback="resource")
        _check_resource(resource)
        try:
            resource.save()
        except IntegrityError:
            # Refused by a unique constraint (a token sent twice at once): the file stored
            # on the way in belongs to nothing.
            if resource.file:
                resource.file.storage.delete(resource.file.name)
            raise
        resource.topics.set(topics)
        log_action("aida.resource.submit", actor=actor, target=resource, data={"file": bool(file)})
        _tell_committee(resource, actor)
        return resource

    with transaction.atomic():
        resource, created = create_once(
            Resource,
            form_token=form_token,
            owner_field="submitted_by",
            owner=actor,
            create=create,
        )
    resource.already_submitted = not created
    return resource


def _tell_committee(resource: Resource, actor, *, resubmitted: bool = False) -> None:
    """Email every AIDA coordinator but ``actor`` that ``resource`` awaits their review (after
    commit, through the outbox)."""
    for member in holders_of(Role.AIDA_COORDINATOR).exclude(pk=actor.pk):
        _email(
            member,
            "resource_submitted",
            resource=resource,
            resubmitted=resubmitted,
            url=absolute_url(reverse("aida:resource_queue")),
        )


def _resource_set_status(resource: Resource, target: ResourceStatus, actor) -> None:
    """The one writer of a resource's review state (``core.workflow.set_state``)."""
    previous = set_state(resource, target, RESOURCE_TRANSITIONS, also=["updated_at"])
    log_action(
        f"aida.resource.{target.value}",
        actor=actor,
        target=resource,
        data={"from": previous.value},
    )


def resource_resubmit(
    *, resource: Resource, data: Mapping, file=None, clear_file: bool = False, actor
) -> Resource:
    """The submitter sends a resource back after the committee asked for changes: ``data``
    holds the changed ``Resource.EDITABLE_FIELDS``; ``file`` replaces the file (checked as in
    ``resource_submit``), ``clear_file`` takes it away (refused when no link is left,
    ``PortalError`` on ``url``). A replaced or removed file is deleted from storage once the
    change is committed: nothing else refers to it, and a rolled-back change keeps it. The
    committee (AIDA coordinators) is emailed, as for a first submission. ``PortalError`` when
    the resource is not waiting for changes."""
    require_perm(actor, "aida.resubmit_resource", resource)
    if file is not None:
        _check_resource_file(file)
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        previous_file = locked.file.name
        apply_changes(locked, data, Resource.EDITABLE_FIELDS)
        file_changed = _put_resource_file(locked, file, clear=clear_file)
        _check_resource(locked)
        locked.save()
        _resource_set_status(locked, ResourceStatus.SUBMITTED, actor)
        _tell_committee(locked, actor, resubmitted=True)
        if file_changed and previous_file:
            storage = Resource._meta.get_field("file").storage
            transaction.on_commit(lambda: storage.delete(previous_file))
    return locked


def resource_review(
    *, resource: Resource, decision: ResourceStatus, criteria: Mapping, reasons: str, actor
) -> ResourceReview:
    """The committee's decision on a submitted resource: ``decision`` is accepted, changes
    requested or rejected; ``criteria`` judges each of the five admission criteria
    (``{criterion value: {"met": bool, "comment": str}}``, all five required); ``reasons``
    are required and emailed to the submitter. Accepting requires every criterion met. Nobody
    reviews their own submission.

    One submission gets one decision: the resource's row is locked and its state read again
    under the lock, so when two coordinators decide at once the second is refused
    (``PortalError`` "already decided") and no second ``ResourceReview`` is written."""
    require_perm(actor, "aida.review_resource", resource)
    decision = ResourceStatus(decision)
    reasons = (reasons or "").strip()
    if not reasons:
        raise PortalError(_("Give the reasons for the decision."), field="reasons")
    missing = [c for c in ReviewCriterion.values if c not in criteria]
    if missing:
        raise PortalError(_("Judge every criterion."), field="criteria")
    judged = {
        c: {"met": bool(criteria[c].get("met")), "comment": str(criteria[c].get("comment", ""))}
        for c in ReviewCriterion.values
    }
    if decision == ResourceStatus.ACCEPTED and not all(v["met"] for v in judged.values()):
        raise PortalError(
            _("A resource is accepted only when it meets all five criteria."), field="decision"
        )
    with transaction.atomic():
        locked = (
            Resource.objects.select_for_update().select_related("submitted_by").get(pk=resource.pk)
        )
        if locked.status != ResourceStatus.SUBMITTED:
            raise PortalError(
                _("This submission has already been decided: reload the page to see the review."),
                code="already_decided",
            )
        _resource_set_status(locked, decision, actor)
        review = ResourceReview.objects.create(
            resource=locked, reviewer=actor, decision=decision, criteria=judged, reasons=reasons
        )
        _email(
            locked.submitted_by,
            "resource_reviewed",
            resource=locked,
            review=review,
            url=absolute_url(locked.get_absolute_url()),
        )
    return review
