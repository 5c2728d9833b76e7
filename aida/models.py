"""AIDA's records: member institutions, lecturers, students, courses and their offerings,
enrolments and certificates."""

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.files import (
    DOCX,
    NOTEBOOK,
    ODP,
    ODS,
    ODT,
    PDF,
    PPTX,
    XLSX,
    ZIP,
    Accept,
    UploadField,
    get_private_storage,
)
from ai4media_portal.core.files import kind_of as stored_kind_of
from ai4media_portal.core.models import StateChange, TimeStampedModel, Topic
from network.models import Organisation

from .enums import (
    CREDITED_HOST_TIERS,
    SEATED_STATUSES,
    Audience,
    CourseFormat,
    CourseLevel,
    Curriculum,
    EnrolmentStatus,
    Language,
    LectureStatus,
    MemberTier,
    OfferingMode,
    OfferingStatus,
    ResourceStatus,
    ResourceType,
    StudentStatus,
    SupervisorConfirmation,
)
from .validators import validate_licence


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class Member(TimeStampedModel):
    """An AIDA member institution: a network organisation that signed AIDA's memorandum of
    understanding. Its representatives validate the registrations of its students."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="aida_member",
        verbose_name=_("organisation"),
    )
    tier = models.CharField(_("tier"), max_length=20, choices=MemberTier.choices)
    joined_on = models.DateField(_("member since"))
    mou_signed_on = models.DateField(_("memorandum of understanding signed on"))
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="aida_represented_members",
        verbose_name=_("AIDA representatives"),
    )

    class Meta:
        verbose_name = _("AIDA member")
        verbose_name_plural = _("AIDA members")
        ordering = ["organisation__name", "pk"]
        indexes = [models.Index(fields=["tier"], name="aida_member_tier_idx")]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def may_host_credited_courses(self) -> bool:
        return self.tier in CREDITED_HOST_TIERS


class Lecturer(TimeStampedModel):
    """A member institution's staff member who teaches AIDA courses or supervises students."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="aida_lecturer",
        verbose_name=_("account"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="lecturers", verbose_name=_("institution")
    )
    position = models.CharField(_("position"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["user__full_name", "pk"]

    def __str__(self) -> str:
        return self.user.display_name


class Student(TimeStampedModel):
    """A person's registration as an AIDA student with their institution, which one of its
    representatives (or an AIDA coordinator) validates or refuses."""

    PROFILE_FIELDS = (
        "member",
        "is_phd",
        "supervisor_name",
        "supervisor_email",
        "country",
        "research_interests",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="aida_student",
        verbose_name=_("account"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="students", verbose_name=_("institution")
    )
    is_phd = models.BooleanField(_("PhD student"), default=True)
    supervisor_name = models.CharField(_("supervisor's name"), max_length=150, blank=True)
    supervisor_email = models.EmailField(_("supervisor's email"), blank=True)
    supervisor = models.ForeignKey(
        Lecturer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_students",
        verbose_name=_("supervisor (AIDA lecturer)"),
        editable=False,
    )
    supervisor_confirmation = models.CharField(
        _("supervisor's confirmation"),
        max_length=20,
        choices=SupervisorConfirmation.choices,
        default=SupervisorConfirmation.NOT_NEEDED,
        editable=False,
    )
    country = CountryField(_("country"))
    research_interests = models.TextField(_("research interests"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StudentStatus.choices,
        default=StudentStatus.PENDING,
        editable=False,
    )
    decision_reason = models.TextField(_("reason"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["user__full_name", "pk"]
        indexes = [models.Index(fields=["member", "status"], name="aida_student_member_idx")]

    def __str__(self) -> str:
        return self.user.display_name

    def is_party(self, user) -> bool:
        """The student is a party to their own registration: nobody validates their own."""
        return bool(user and user.is_authenticated and user.pk == self.user_id)

    @property
    def is_validated(self) -> bool:
        return self.status == StudentStatus.VALIDATED


class StudentStatusChange(StateChange):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=StudentStatus.choices)
    to_status = models.CharField(max_length=20, choices=StudentStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("student status change")
        verbose_name_plural = _("student status changes")


# The catalogue's full-text search: titles and codes first, then the teaching.
_COURSE_SEARCH_VECTOR = (
    SearchVector("title", "code", weight="A", config="simple")
    + SearchVector("title", weight="A", config="english")
    + SearchVector("description", "learning_outcomes", weight="B", config="english")
    + SearchVector("syllabus", "prerequisites", weight="C", config="english")
)


class Course(TimeStampedModel):
    """A course of the academy; each run of it is an ``Offering``."""

    EDITABLE_FIELDS = (
        "title",
        "code",
        "description",
        "syllabus",
        "learning_outcomes",
        "prerequisites",
        "curricula",
        "format",
        "ects",
        "level",
        "language",
        "host",
    )

    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(_("code"), max_length=30, unique=True, help_text=_("e.g. AIDA-DL-101."))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"))
    syllabus = models.TextField(_("syllabus"), blank=True)
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    curricula = ArrayField(
        models.CharField(max_length=20, choices=Curriculum.choices),
        verbose_name=_("curricula"),
        default=list,
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="aida_courses", verbose_name=_("topics")
    )
    format = models.CharField(_("format"), max_length=20, choices=CourseFormat.choices)
    ects = models.DecimalField(
        _("ECTS credits"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(30)],
        help_text=_("Between 0.5 and 30, in halves; blank for a course without credits."),
    )
    level = models.CharField(_("level"), max_length=20, choices=CourseLevel.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    host = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="courses", verbose_name=_("host")
    )
    lecturers = models.ManyToManyField(
        Lecturer, blank=True, related_name="courses", verbose_name=_("lecturers")
    )
    search_vector = models.GeneratedField(
        expression=_COURSE_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ects__isnull=True) | models.Q(ects__gte=0.5, ects__lte=30),
                name="aida_course_ects_range",
                violation_error_message=_("ECTS credits are between 0.5 and 30."),
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="aida_course_search_idx"),
            GinIndex(fields=["curricula"], name="aida_course_curricula_idx"),
            models.Index(fields=["format", "title"], name="aida_course_format_idx"),
            models.Index(fields=["host", "title"], name="aida_course_host_idx"),
            models.Index(fields=["language", "title"], name="aida_course_language_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("aida:course", kwargs={"slug": self.slug})


class Offering(TimeStampedModel):
    """One run of a course: its dates (in ``timezone``), mode, enrolment window and seats.

    ``capacity`` is the number of seats; empty means unlimited, never 0.
    """

    EDITABLE_FIELDS = (
        "starts_on",
        "ends_on",
        "schedule",
        "timezone",
        "mode",
        "location",
        "enrolment_opens_on",
        "enrolment_closes_on",
        "capacity",
        "audience",
        "confirm_by_hand",
        "materials_url",
    )

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("course")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    schedule = models.TextField(
        _("schedule"), blank=True, help_text=_("Days and hours, in the offering's timezone.")
    )
    timezone = models.CharField(
        _("timezone"), max_length=64, choices=timezone_choices, default="Europe/Brussels"
    )
    mode = models.CharField(_("mode"), max_length=10, choices=OfferingMode.choices)
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("For on-site and hybrid runs.")
    )
    enrolment_opens_on = models.DateField(_("enrolment opens on"))
    enrolment_closes_on = models.DateField(_("enrolment closes on"))
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave blank for unlimited seats."),
    )
    audience = models.CharField(
        _("who may enrol"), max_length=10, choices=Audience.choices, default=Audience.AIDA_STUDENTS
    )
    confirm_by_hand = models.BooleanField(
        _("the lecturer confirms each request"),
        default=False,
        help_text=_("Otherwise a request is confirmed at once while seats are free."),
    )
    materials_url = models.URLField(_("materials link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OfferingStatus.choices,
        default=OfferingStatus.PLANNED,
        editable=False,
    )
    # How many seats are taken (confirmed, completed or not completed), kept by the enrolment
    # services under the offering's row lock, so that lists show it without counting.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    waitlist_length = models.PositiveIntegerField(_("waitlisted"), default=0, editable=False)
    # The iCalendar SEQUENCE of the offering's event, raised whenever its dates, place or
    # status change, so calendars replace their copy (RFC 5545, 3.8.7.4).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="aida_offering_dates_order",
                violation_error_message=_("The last day cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=models.Q(enrolment_closes_on__gte=models.F("enrolment_opens_on")),
                name="aida_offering_window_order",
                violation_error_message=_("Enrolment cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="aida_offering_capacity_positive",
                violation_error_message=_("Leave the seats blank for unlimited; never 0."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True)
                | models.Q(capacity__gte=models.F("seats_taken")),
                name="aida_offering_not_oversold",
                violation_error_message=_("Fewer seats than confirmed students."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_on"], name="aida_offering_status_idx"),
            models.Index(fields=["course", "starts_on"], name="aida_offering_course_idx"),
            models.Index(fields=["mode", "starts_on"], name="aida_offering_mode_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} ({self.starts_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("aida:offering", kwargs={"pk": self.pk})

    @property
    def seats_left(self) -> int | None:
        """Free seats; ``None`` when unlimited."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    def is_party(self, user) -> bool:
        """A lecturer of the course is a party to its offering."""
        return bool(
            user
            and user.is_authenticated
            and self.course.lecturers.filter(user_id=user.pk).exists()
        )


class OfferingStatusChange(StateChange):
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=OfferingStatus.choices)
    to_status = models.CharField(max_length=12, choices=OfferingStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("offering status change")
        verbose_name_plural = _("offering status changes")


class Enrolment(TimeStampedModel):
    """A person's request for a place in an offering, and what became of it.

    The waitlist is first come, first served: ``requested_at`` (set under the offering's row
    lock, so in the order the requests were served) then the key.
    """

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("offering")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="aida_enrolments",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, editable=False
    )
    requested_at = models.DateTimeField(_("requested"), editable=False)
    attended = models.BooleanField(_("attended"), default=False)
    # Who the participant is, as recorded when they asked: from their AIDA student
    # registration, or what an external participant gave for an offering open to them.
    participant_affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, editable=False
    )
    participant_country = CountryField(_("country"), blank=True, editable=False)
    is_aida_student = models.BooleanField(_("AIDA student"), default=False, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "user"],
                name="aida_enrolment_once",
                violation_error_message=_("You have already requested a place."),
            )
        ]
        indexes = [
            models.Index(
                fields=["offering", "status", "requested_at"], name="aida_enrolment_queue_idx"
            ),
            models.Index(fields=["user", "status"], name="aida_enrolment_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.offering}"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEATED_STATUSES

    @property
    def participant_kind(self) -> str:
        """ "AIDA student" or "External participant", as recorded when they asked."""
        return _("AIDA student") if self.is_aida_student else _("External participant")


class Certificate(TimeStampedModel):
    """A person's Certificate of Course Attendance. ``content`` is what the PDF and the public
    verification page both show (one snapshot, taken when it is issued or regenerated);
    ``code`` is unguessable and never changes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="aida_certificate",
        verbose_name=_("holder"),
    )
    code = models.CharField(_("verification code"), max_length=43, unique=True, editable=False)
    issued_on = models.DateField(_("issued on"), editable=False)
    content = models.JSONField(_("content"), default=dict, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.content.get('name', '')} ({self.code[:6]}…)"

    def get_absolute_url(self) -> str:
        return reverse("aida:certificate_verify", kwargs={"code": self.code})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Lecture(TimeStampedModel):
    """An AI Excellence Lecture. Times are stored in UTC and shown in ``timezone``; ``uid`` is
    the event's stable identifier in every calendar feed, ``sequence`` its revision."""

    EDITABLE_FIELDS = (
        "title",
        "speaker",
        "affiliation",
        "abstract",
        "starts_at",
        "ends_at",
        "timezone",
        "online_url",
        "recording_url",
        "course",
    )
    # A change to any of these is a new revision of the event for calendars.
    SCHEDULING_FIELDS = frozenset({"title", "starts_at", "ends_at", "timezone", "online_url"})

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    speaker = models.CharField(_("speaker"), max_length=150)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("timezone"), max_length=64, choices=timezone_choices, default="Europe/Brussels"
    )
    online_url = models.URLField(_("online link"), max_length=300, blank=True)
    recording_url = models.URLField(
        _("recording"), max_length=300, blank=True, help_text=_("After the event.")
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lectures",
        verbose_name=_("related course"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=LectureStatus.choices,
        default=LectureStatus.SCHEDULED,
        editable=False,
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("AI Excellence Lecture")
        verbose_name_plural = _("AI Excellence Lectures")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="aida_lecture_times_order",
                violation_error_message=_("A lecture ends after it starts."),
            )
        ]
        indexes = [models.Index(fields=["starts_at"], name="aida_lecture_start_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("aida:lecture", kwargs={"slug": self.slug})


# The words a page shows for a stored resource file's kind.
RESOURCE_FILE_FORMATS = {
    PDF: "PDF",
    PPTX: "PowerPoint",
    DOCX: "Word",
    XLSX: "Excel",
    ODP: "OpenDocument presentation",
    ODT: "OpenDocument text",
    ODS: "OpenDocument spreadsheet",
    ZIP: "ZIP",
    NOTEBOOK: "Jupyter notebook",
}

_RESOURCE_SEARCH_VECTOR = SearchVector("title", weight="A", config="simple") + SearchVector(
    "description", "authors", weight="B", config="english"
)


class Resource(TimeStampedModel):
    """An educational resource a lecturer submits to AIDA's repository; the resource committee
    (AIDA coordinators) admits it on the five criteria. Only accepted ones are public."""

    EDITABLE_FIELDS = (
        "title",
        "description",
        "type",
        "curricula",
        "level",
        "language",
        "licence",
        "authors",
        "url",
        "course",
    )

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"))
    type = models.CharField(_("type"), max_length=20, choices=ResourceType.choices)
    curricula = ArrayField(
        models.CharField(max_length=20, choices=Curriculum.choices),
        verbose_name=_("curricula"),
        default=list,
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="aida_resources", verbose_name=_("topics")
    )
    level = models.CharField(_("level"), max_length=20, choices=CourseLevel.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    licence = models.CharField(
        _("licence"),
        max_length=100,
        validators=[validate_licence],
        help_text=_("An SPDX identifier, e.g. CC-BY-4.0 or MIT."),
    )
    authors = models.CharField(_("authors"), max_length=500)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = UploadField(
        _("file"),
        accept=Accept.TEACHING,
        upload_to="aida/resources/%Y/",
        storage=get_private_storage,
        blank=True,
        max_length=200,
        help_text=_(
            "A PDF, slides or a document (PowerPoint, Word, Excel or OpenDocument), a ZIP "
            "archive or a Jupyter notebook (.ipynb), at most 50 MB."
        ),
    )
    # The name the file was uploaded under, offered as the download's name; and its size.
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0, editable=False)
    # The submit form's hidden token (core.idempotency): a form sent twice makes one resource.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    course = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("related course"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aida_resources",
        verbose_name=_("submitted by"),
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResourceStatus.choices,
        default=ResourceStatus.SUBMITTED,
        editable=False,
    )
    search_vector = models.GeneratedField(
        expression=_RESOURCE_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name = _("educational resource")
        verbose_name_plural = _("educational resources")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file=""),
                name="aida_resource_link_or_file",
                violation_error_message=_("Give a link or upload a file."),
            )
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="aida_resource_search_idx"),
            models.Index(fields=["status", "title"], name="aida_resource_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("aida:resource", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # The constraint's rule, said beside the link so that forms show it there.
        if not self.url and not self.file:
            raise ValidationError({"url": _("Give a link or upload a file.")}, code="no_link")

    @property
    def file_url(self) -> str:
        """The address of the file's download view; empty without a file."""
        return reverse("aida:resource_file", kwargs={"slug": self.slug}) if self.file else ""

    @property
    def file_format(self) -> str:
        """What the stored file is, in words ("PDF", "PowerPoint", "ZIP", "Jupyter notebook")."""
        return RESOURCE_FILE_FORMATS.get(stored_kind_of(self.file.name), "") if self.file else ""

    def is_party(self, user) -> bool:
        """The submitter is a party to their resource's review."""
        return bool(user and user.is_authenticated and user.pk == self.submitted_by_id)


class ResourceReview(models.Model):
    """The committee's decision on one submission of a resource: each of the five criteria
    met or not with a comment (``criteria``: ``{criterion: {"met": bool, "comment": str}}``),
    the decision and its reasons."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ResourceStatus.choices)
    criteria = models.JSONField(_("criteria"), default=dict)
    reasons = models.TextField(_("reasons"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource review")
        verbose_name_plural = _("resource reviews")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.resource} — {self.get_decision_display()}"
