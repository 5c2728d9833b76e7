"""Every read of AIDA that spans relations, and what a given person may see.

``enrolment_eligibility`` is the one place that decides whether someone may request a place
in an offering: the offering page, the API and ``services.enrolment_request`` all ask it.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from ai4media_portal.core.permissions import can
from ai4media_portal.core.predicates import is_aida_coordinator

from .enums import (
    ACTIVE_ENROLMENT_STATUSES,
    ENROLLING_OFFERING_STATUSES,
    Audience,
    Eligibility,
    EnrolmentStatus,
    OfferingStatus,
    ResourceStatus,
    StudentStatus,
)
from .models import (
    Certificate,
    Course,
    Enrolment,
    Lecture,
    Lecturer,
    Member,
    Offering,
    Resource,
    Student,
)

# --- Members and people --------------------------------------------------------------------


def members(*, tier: str = "", country: str = "") -> QuerySet[Member]:
    """The member institutions, by name, with their organisation; ``tier`` (a ``MemberTier``
    value) and ``country`` (ISO 3166 alpha-2, upper case) narrow the list."""
    queryset = Member.objects.select_related("organisation").order_by("organisation__name", "pk")
    if tier:
        queryset = queryset.filter(tier=tier)
    if country:
        queryset = queryset.filter(organisation__country=country.upper())
    return queryset


def members_for_management() -> QuerySet[Member]:
    """Every member institution with its representatives and lecturers (three queries), by
    name, for the coordinators' management page."""
    return (
        Member.objects.select_related("organisation")
        .prefetch_related("representatives", "lecturers__user")
        .order_by("organisation__name", "pk")
    )


def member_country_codes() -> list[str]:
    """The countries of the member institutions (ISO codes, sorted), for the filter."""
    return sorted(set(Member.objects.values_list("organisation__country", flat=True).distinct()))


def member_for_organisation(organisation) -> Member | None:
    return Member.objects.filter(organisation=organisation).first()


def member_for_organisation_page(organisation) -> Member | None:
    """The organisation's AIDA membership with its courses (two queries), or ``None``."""
    return (
        Member.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("courses", queryset=Course.objects.order_by("title", "pk")))
        .first()
    )


def headline_counts() -> dict:
    """``{"members": n, "courses": n}`` in one query (every course has a member host)."""
    return Member.objects.aggregate(
        members=Count("pk", distinct=True), courses=Count("courses", distinct=True)
    )


def lecturers() -> QuerySet[Lecturer]:
    return Lecturer.objects.select_related("user", "member__organisation")


def student_of(user) -> Student | None:
    """The user's registration as an AIDA student, if any."""
    if not user or not user.is_authenticated:
        return None
    return Student.objects.select_related("member__organisation").filter(user=user).first()


def students_to_validate(user, *, status: str = StudentStatus.PENDING) -> QuerySet[Student]:
    """The registrations ``user`` may decide on, in ``status``, oldest first: every one for an
    AIDA coordinator, those of the institutions they represent for a representative, those
    naming them as supervisor for a lecturer. Never their own."""
    queryset = Student.objects.select_related(
        "user", "member__organisation", "supervisor__user"
    ).exclude(user=user)
    if status:
        queryset = queryset.filter(status=status)
    if not is_aida_coordinator(user):
        queryset = queryset.filter(
            Q(member__representatives=user) | Q(supervisor__user=user)
        ).distinct()
    return queryset.order_by("created_at", "pk")


def student_for_decision(user, pk: int) -> Student | None:
    """The registration ``pk`` if ``user`` may see it in their queue, else ``None`` (404)."""
    return students_to_validate(user, status="").filter(pk=pk).first()


# --- The catalogue -------------------------------------------------------------------------


def search_query(text: str) -> SearchQuery | None:
    """A prefix-matching full-text query of the words in ``text`` (``None`` for no words)."""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in text.split()]
    words = [word for word in words if word]
    if not words:
        return None
    raw = " & ".join(f"{word}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config="simple") | SearchQuery(
        raw, search_type="raw", config="english"
    )


@dataclass(frozen=True)
class CatalogueFilters:
    """The catalogue's filters; empty values do not narrow. Dates are calendar days."""

    search: str = ""
    curriculum: str = ""
    format: str = ""
    topic: str = ""  # a topic's slug
    host: str = ""  # a host organisation's slug
    language: str = ""
    mode: str = ""
    open_for_enrolment: bool = False
    starts_after: date | None = None
    starts_before: date | None = None


def _offering_filter(filters: CatalogueFilters, today: date) -> Q | None:
    condition = Q()
    if filters.mode:
        condition &= Q(offerings__mode=filters.mode)
    if filters.open_for_enrolment:
        condition &= Q(
            offerings__status__in=ENROLLING_OFFERING_STATUSES,
            offerings__enrolment_opens_on__lte=today,
            offerings__enrolment_closes_on__gte=today,
        )
    if filters.starts_after:
        condition &= Q(offerings__starts_on__gte=filters.starts_after)
    if filters.starts_before:
        condition &= Q(offerings__starts_on__lte=filters.starts_before)
    return condition if condition.children else None


def catalogue(filters: CatalogueFilters = CatalogueFilters(), *, today: date | None = None):
    """The courses matching ``filters``, best match first when searching, else by title; each
    with its host and its next offering's start (``next_start``, ``None`` without one)."""
    today = today or timezone.localdate()
    queryset = Course.objects.select_related("host__organisation")
    if filters.curriculum:
        queryset = queryset.filter(curricula__contains=[filters.curriculum])
    for name in ("format", "language"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    if filters.topic:
        queryset = queryset.filter(topics__slug=filters.topic)
    if filters.host:
        queryset = queryset.filter(host__organisation__slug=filters.host)
    offering_condition = _offering_filter(filters, today)
    if offering_condition is not None:
        queryset = queryset.filter(pk__in=Course.objects.filter(offering_condition).values("pk"))
    if filters.topic:
        queryset = queryset.distinct()
    query = search_query(filters.search) if filters.search else None
    if query is not None:
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")
        )
    return queryset.order_by("title", "pk")


def course_for_page(slug: str) -> Course | None:
    """A course with its host, lecturers, topics and every offering (by first day)."""
    return (
        Course.objects.select_related("host__organisation")
        .prefetch_related(
            "topics",
            Prefetch("lecturers", queryset=lecturers()),
            Prefetch("offerings", queryset=Offering.objects.order_by("starts_on", "pk")),
        )
        .filter(slug=slug)
        .first()
    )


def offerings() -> QuerySet[Offering]:
    """Every offering with its course and host, by first day."""
    return Offering.objects.select_related("course__host__organisation").order_by("starts_on", "pk")


def offering_for_page(pk: int) -> Offering | None:
    return (
        offerings()
        .prefetch_related(Prefetch("course__lecturers", queryset=lecturers()))
        .filter(pk=pk)
        .first()
    )


# --- Enrolment -----------------------------------------------------------------------------


def enrolment_eligibility(
    user, offering: Offering, *, today: date | None = None
) -> tuple[bool, Eligibility]:
    """Whether ``user`` may request a place in ``offering`` now, and why (or why not).

    Returns ``(allowed, reason)``: ``(True, Eligibility.ALLOWED)`` while seats are free (or
    seats are unlimited), ``(True, Eligibility.ALLOWED_WAITLIST)`` when the request would join
    the waitlist, and ``(False, <reason>)`` otherwise: the offering is cancelled, not open
    (planned, running, finished), outside its enrolment window (``today``, the portal's local
    day, between ``enrolment_opens_on`` and ``enrolment_closes_on`` inclusive); the user is
    signed out, teaches the course, is not a validated AIDA student where the offering is for
    AIDA students only, or already holds a request. Source: the AIDA rule that only validated
    students may enrol, and first-come waitlisting once the seats are taken.

    The page, the API and ``services.enrolment_request`` (under the offering's row lock) all
    ask this, so they never disagree.
    """
    today = today or timezone.localdate()
    if offering.status == OfferingStatus.CANCELLED:
        return False, Eligibility.CANCELLED
    if offering.status not in ENROLLING_OFFERING_STATUSES:
        return False, Eligibility.NOT_OPEN
    if today < offering.enrolment_opens_on:
        return False, Eligibility.WINDOW_NOT_STARTED
    if today > offering.enrolment_closes_on:
        return False, Eligibility.WINDOW_CLOSED
    if not user or not user.is_authenticated:
        return False, Eligibility.SIGN_IN
    if offering.course.lecturers.filter(user_id=user.pk).exists():
        return False, Eligibility.TEACHING
    if offering.audience == Audience.AIDA_STUDENTS:
        status = Student.objects.filter(user=user).values_list("status", flat=True).first()
        if status is None:
            return False, Eligibility.NOT_A_STUDENT
        if status != StudentStatus.VALIDATED:
            return False, Eligibility.NOT_VALIDATED
    if Enrolment.objects.filter(
        offering=offering, user=user, status__in=ACTIVE_ENROLMENT_STATUSES
    ).exists():
        return False, Eligibility.ALREADY_REQUESTED
    if offering.seats_left == 0:
        return True, Eligibility.ALLOWED_WAITLIST
    return True, Eligibility.ALLOWED


def validated_student_of(user) -> Student | None:
    """The user's AIDA student registration if it is validated (with its institution)."""
    student = student_of(user)
    return student if student is not None and student.is_validated else None


def external_participant(user, offering: Offering) -> bool:
    """Whether ``user`` would take part in ``offering`` as an external participant (not a
    validated AIDA student) and so must say where they come from: their affiliation and
    country. Whether they may ask at all is ``enrolment_eligibility``'s answer (only offerings
    open to external participants admit them)."""
    return offering.audience == Audience.OPEN and validated_student_of(user) is None


def enrolment_of(user, offering: Offering) -> Enrolment | None:
    if not user or not user.is_authenticated:
        return None
    return Enrolment.objects.filter(offering=offering, user=user).first()


def waitlist(offering: Offering) -> QuerySet[Enrolment]:
    """The offering's waitlist, first come first: by request time, then key."""
    return Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.WAITLISTED).order_by(
        "requested_at", "pk"
    )


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 for the first waitlisted, …; ``None`` when not waitlisted."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    return (
        waitlist(enrolment.offering)
        .filter(
            Q(requested_at__lt=enrolment.requested_at)
            | Q(requested_at=enrolment.requested_at, pk__lt=enrolment.pk)
        )
        .count()
        + 1
    )


def roster(offering: Offering) -> QuerySet[Enrolment]:
    """Everyone who asked for a place in the offering, by request time (which is also the
    waitlist order); each row carries the affiliation and country recorded when they asked
    and whether they were an AIDA student."""
    return (
        Enrolment.objects.filter(offering=offering)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def my_enrolments(user) -> QuerySet[Enrolment]:
    """The user's own enrolments, newest offering first; nobody else's."""
    if not user or not user.is_authenticated:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(user=user)
        .select_related("offering__course__host__organisation")
        .order_by("-offering__starts_on", "-pk")
    )


def taught_offerings(user) -> QuerySet[Offering]:
    """Offerings of the courses the user teaches (every offering for a coordinator)."""
    queryset = offerings()
    if is_aida_coordinator(user):
        return queryset
    return queryset.filter(course__lecturers__user=user).distinct()


def completed_enrolments(user) -> QuerySet[Enrolment]:
    """The user's completed courses, by first day: what a certificate lists."""
    return (
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.COMPLETED)
        .select_related("offering__course__host__organisation")
        .order_by("offering__starts_on", "pk")
    )


# --- Lectures ------------------------------------------------------------------------------


def lectures(*, upcoming: bool | None = None, now=None) -> QuerySet[Lecture]:
    """AI Excellence Lectures with their course: upcoming ones (not yet ended) soonest first,
    past ones latest first, or all by start when ``upcoming`` is ``None``."""
    now = now or timezone.now()
    queryset = Lecture.objects.select_related("course")
    if upcoming is True:
        return queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if upcoming is False:
        return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return queryset.order_by("starts_at", "pk")


def lecture_by_slug(slug: str) -> Lecture | None:
    return Lecture.objects.select_related("course").filter(slug=slug).first()


# --- Educational resources -----------------------------------------------------------------


def public_resources(
    *, search: str = "", type: str = "", curriculum: str = "", language: str = "", level: str = ""
) -> QuerySet[Resource]:
    """The accepted resources (the public repository), best match first when searching, else
    by title; filters narrow by type, curriculum, language (ISO 639-1) and level."""
    queryset = Resource.objects.filter(status=ResourceStatus.ACCEPTED).select_related("course")
    for name, value in (("type", type), ("language", language), ("level", level)):
        if value:
            queryset = queryset.filter(**{name: value})
    if curriculum:
        queryset = queryset.filter(curricula__contains=[curriculum])
    query = search_query(search) if search else None
    if query is not None:
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")
        )
    return queryset.order_by("title", "pk")


def resource_for_page(user, slug: str) -> Resource | None:
    """The resource if ``user`` may see it: accepted ones to everyone, others to their
    submitter and the committee; ``None`` (404) otherwise."""
    resource = (
        Resource.objects.select_related("course", "submitted_by")
        .prefetch_related("topics", "reviews__reviewer")
        .filter(slug=slug)
        .first()
    )
    if resource is None:
        return None
    if resource.status == ResourceStatus.ACCEPTED or can(user, "aida.view_resource_queue"):
        return resource
    if user and user.is_authenticated and resource.submitted_by_id == user.pk:
        return resource
    return None


def resource_with_file(user, slug: str) -> Resource | None:
    """The resource if it has a file ``user`` may download (``aida.view_resource_file``):
    an accepted resource's to everyone, signed in or not (``can()`` grants nothing to
    visitors, so the public case is said here), others' to their submitter and the committee
    only; ``None`` (404, as the page) otherwise."""
    resource = Resource.objects.filter(slug=slug).exclude(file="").first()
    if resource is None:
        return None
    if resource.status == ResourceStatus.ACCEPTED or can(user, "aida.view_resource_file", resource):
        return resource
    return None


def resources_to_review(user) -> QuerySet[Resource]:
    """Submitted resources waiting for the committee, oldest first, without the reader's own."""
    return (
        Resource.objects.filter(status=ResourceStatus.SUBMITTED)
        .exclude(submitted_by=user)
        .select_related("submitted_by")
        .order_by("updated_at", "pk")
    )


def resources_of(user) -> QuerySet[Resource]:
    """The resources ``user`` submitted, in every state, the last changed first (none for a
    visitor); nothing related is read, so a page listing them costs one query."""
    if not user or not user.is_authenticated:
        return Resource.objects.none()
    return Resource.objects.filter(submitted_by=user).order_by("-updated_at", "-pk")


# --- Certificates --------------------------------------------------------------------------


def certificate_of(user) -> Certificate | None:
    if not user or not user.is_authenticated:
        return None
    return Certificate.objects.filter(user=user).first()


def certificate_by_code(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code).first()


# --- Numbers -------------------------------------------------------------------------------


def numbers() -> dict:
    """AIDA in numbers: members by country and by tier, courses by format and by year of their
    offerings, enrolments by status, certificates issued (not revoked)."""
    by_country = list(
        Member.objects.values(country=F("organisation__country"))
        .annotate(count=Count("pk"))
        .order_by("-count", "country")
    )
    by_tier = list(Member.objects.values("tier").annotate(count=Count("pk")).order_by("tier"))
    by_format = list(Course.objects.values("format").annotate(count=Count("pk")).order_by("format"))
    by_year = list(
        Offering.objects.exclude(status=OfferingStatus.CANCELLED)
        .annotate(year=ExtractYear("starts_on"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    )
    enrolments = list(
        Enrolment.objects.values("status").annotate(count=Count("pk")).order_by("status")
    )
    certificates = Certificate.objects.filter(revoked_at__isnull=True).count()
    return {
        "by_country": by_country,
        "by_tier": by_tier,
        "by_format": by_format,
        "by_year": by_year,
        "enrolments": enrolments,
        "certificates": certificates,
    }


def may_manage_offering(user, offering: Offering) -> bool:
    return can(user, "aida.change_offering", offering)
