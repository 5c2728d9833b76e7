"""Open calls: calls for proposals, proposals and their immutable versions, eligibility
screening, and the projects funded from selected proposals."""

import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.files import Accept, UploadField, get_private_storage
from ai4media_portal.core.models import TimeStampedModel, Topic

from .enums import (
    OUTSTANDING_DELIVERABLE_STATES,
    BudgetCategory,
    CallStage,
    CallStatus,
    DeliverableKind,
    DeliverableStatus,
    OrganisationType,
    OutputKind,
    ProjectStatus,
    ProposalStatus,
    ReminderKind,
    ScreeningOutcome,
    SupportKind,
    TrackKind,
    TrancheStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


def validate_timezone_name(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a timezone name such as Europe/Brussels."),
            params={"value": value},
            code="invalid_timezone",
        ) from exc


def guide_path(instance, filename: str) -> str:
    return f"opencalls/guides/call-{instance.number}-{uuid.uuid4().hex[:8]}.pdf"


def proposal_document_path(instance, filename: str) -> str:
    return f"opencalls/proposals/{instance.call_id}/{uuid.uuid4().hex}.pdf"


def version_document_path(instance, filename: str) -> str:
    return f"opencalls/versions/{instance.reference}-{uuid.uuid4().hex[:8]}.pdf"


def deliverable_file_path(instance, filename: str) -> str:
    return f"opencalls/deliverables/{instance.deliverable_id}/{uuid.uuid4().hex}.pdf"


# --- Calls ------------------------------------------------------------------------------------


class CallQuerySet(models.QuerySet):
    def with_status(self, now=None):
        """Annotate ``status_value``: the stage, with "published" resolved against ``now``."""
        now = now or timezone.now()
        return self.annotate(
            status_value=Case(
                When(stage=CallStage.PUBLISHED, opens_at__gt=now, then=Value(CallStatus.ANNOUNCED)),
                When(stage=CallStage.PUBLISHED, closes_at__gt=now, then=Value(CallStatus.OPEN)),
                When(stage=CallStage.PUBLISHED, then=Value(CallStatus.CLOSED)),
                default=F("stage"),
                output_field=CharField(),
            )
        )

    def published(self):
        return self.exclude(stage=CallStage.DRAFT)

    def open_at(self, now=None):
        now = now or timezone.now()
        return self.filter(stage=CallStage.PUBLISHED, opens_at__lte=now, closes_at__gt=now)


class Call(TimeStampedModel):
    """A call for proposals with its tracks, challenges, checklist, criteria and FAQ."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, help_text=_("Open Call #1, #2, … Used in reference numbers.")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("closes at"), help_text=_("Submissions are accepted strictly before this moment.")
    )
    timezone = models.CharField(
        _("timezone"),
        max_length=64,
        default=settings.PORTAL_DEFAULT_TIMEZONE,
        validators=[validate_timezone_name],
        help_text=_("The deadline is stated in this timezone, e.g. Europe/Brussels."),
    )
    total_budget = models.DecimalField(_("total budget (€)"), **MONEY)
    max_funding = models.DecimalField(
        _("maximum funding per project (€)"), default=Decimal("50000.00"), **MONEY
    )
    guide = UploadField(
        _("guide for applicants (PDF)"), accept=Accept.PDF, upload_to=guide_path, blank=True
    )
    evaluators_per_proposal = models.PositiveSmallIntegerField(
        _("evaluators per proposal"), default=3, validators=[MinValueValidator(1)]
    )
    overall_threshold = models.DecimalField(
        _("overall threshold"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        help_text=_("The weighted total a proposal must reach, e.g. 10 of 15."),
    )
    interview_enabled = models.BooleanField(_("interview stage"), default=True)
    interviews_per_track = models.PositiveSmallIntegerField(
        _("interviews per track"), default=0, help_text=_("How many top proposals per track.")
    )
    one_proposal_per_organisation = models.BooleanField(
        _("one proposal per organisation"),
        default=True,
        help_text=_("An organisation may have only one submitted proposal in this call."),
    )
    max_document_mb = models.PositiveSmallIntegerField(
        _("document size limit (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    stage = models.CharField(
        _("stage"), max_length=32, choices=CallStage.choices, default=CallStage.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="call_closes_after_opening",
                violation_error_message=_("The call must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(max_funding__gt=0) & Q(max_funding__lte=F("total_budget")),
                name="call_cap_within_budget",
                violation_error_message=_(
                    "The maximum funding per project must be positive and within the budget."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "opens_at"], name="call_stage_opens_idx"),
            models.Index(fields=["stage", "closes_at"], name="call_stage_closes_idx"),
        ]

    def __str__(self) -> str:
        return f"Open Call #{self.number}: {self.title}"

    @property
    def status(self) -> CallStatus:
        value = getattr(self, "status_value", None)
        if value is not None:
            return CallStatus(value)
        return self.status_at(timezone.now())

    def status_at(self, now) -> CallStatus:
        if self.stage != CallStage.PUBLISHED:
            return CallStatus(self.stage)
        if now < self.opens_at:
            return CallStatus.ANNOUNCED
        if now < self.closes_at:
            return CallStatus.OPEN
        return CallStatus.CLOSED

    def accepts_submissions_at(self, now) -> bool:
        return self.stage == CallStage.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.status == CallStatus.OPEN

    @property
    def is_closed(self) -> bool:
        """Past its deadline (whatever the stage): screening and decisions may start."""
        return self.stage != CallStage.DRAFT and timezone.now() >= self.closes_at

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def reference_prefix(self) -> str:
        return f"AI4M-OC{self.number}"

    @property
    def max_document_bytes(self) -> int:
        return self.max_document_mb * 1024 * 1024

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The call must close after it opens.")})
        if self.max_funding and self.total_budget and self.max_funding > self.total_budget:
            raise ValidationError(
                {"max_funding": _("The maximum per project cannot exceed the total budget.")}
            )


class Track(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tracks")
    kind = models.CharField(_("kind"), max_length=16, choices=TrackKind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("project duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(48)]
    )
    projects_to_fund = models.PositiveSmallIntegerField(_("projects to fund"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="track_name_unique_per_call",
                violation_error_message=_("This call already has a track with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Challenge(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="challenges")
    code = models.CharField(_("code"), max_length=12, blank=True, help_text=_("e.g. R1, A3"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "title"],
                name="challenge_title_unique_per_track",
                violation_error_message=_("This track already has a challenge with this title."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class EvaluationCriterion(models.Model):
    """A scored criterion. ``order`` is also the tie-break order of the ranking."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=Decimal(1))
    threshold = models.DecimalField(
        _("threshold"), max_digits=4, decimal_places=1, default=Decimal(3)
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=4, decimal_places=1, default=Decimal(5)
    )

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="criterion_name_unique_per_call",
                violation_error_message=_("This call already has a criterion with this name."),
            ),
            models.CheckConstraint(
                condition=Q(threshold__lte=F("max_score")) & Q(weight__gt=0),
                name="criterion_threshold_within_max",
                violation_error_message=_(
                    "The threshold cannot exceed the maximum score; the weight must be positive."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EligibilityItem(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("criterion"), max_length=300)
    help_text = models.TextField(_("guidance for the screener"), blank=True)

    class Meta:
        verbose_name = _("eligibility criterion")
        verbose_name_plural = _("eligibility checklist")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class CallFaq(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="faqs")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question


# --- Proposals --------------------------------------------------------------------------------


class Proposal(TimeStampedModel):
    """The applicant's working copy. What counts is ``current_version``, the latest submitted
    snapshot; the working copy can be edited until the deadline."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    status = models.CharField(
        _("status"), max_length=32, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("Given at the first submission.")
    )
    # The applicant organisation
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=16, choices=OrganisationType.choices, blank=True
    )
    organisation_country = CountryField(_("country"), blank=True)
    organisation_registration_number = models.CharField(
        _("registration number"),
        max_length=64,
        blank=True,
        help_text=_("VAT or company registration number, as in the national register."),
    )
    organisation_is_sme = models.BooleanField(_("SME"), null=True, blank=True)
    registration_key = models.CharField(max_length=80, blank=True, editable=False)
    # The project
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    abstract = models.TextField(_("abstract"), max_length=3000, blank=True)
    requested_funding = models.DecimalField(
        _("requested funding (€)"), null=True, blank=True, **MONEY
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    document = UploadField(
        _("proposal document (PDF)"),
        accept=Accept.PDF,
        storage=get_private_storage,
        upload_to=proposal_document_path,
        blank=True,
    )
    document_name = models.CharField(max_length=255, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    declare_honour = models.BooleanField(_("declaration of honour"), default=False)
    declare_no_double_funding = models.BooleanField(_("no double funding"), default=False)
    declare_privacy = models.BooleanField(_("privacy notice"), default=False)
    current_version = models.ForeignKey(
        "ProposalVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(_("decision message"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="proposal_number_per_call")
        ]
        indexes = [
            models.Index(fields=["call", "status"], name="proposal_call_status_idx"),
            models.Index(fields=["applicant", "-updated_at"], name="proposal_applicant_idx"),
            models.Index(fields=["call", "registration_key"], name="proposal_registration_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or self.acronym or f"Draft {self.pk}"

    @property
    def reference(self) -> str:
        if self.number is None:
            return ""
        return f"{self.call.reference_prefix}-{self.number:04d}"

    @property
    def display_title(self) -> str:
        return self.acronym or self.title or str(_("Untitled proposal"))


class ProposalTeamMember(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="team")
    order = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role in the project"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.full_name


class ProposalBudgetLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=16, choices=BudgetCategory.choices)
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(0)], **MONEY)
    justification = models.CharField(_("justification"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "category"], name="budget_category_once_per_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class ProposalMilestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("milestone"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1)], help_text=_("Project month, from 1.")
    )

    class Meta:
        ordering = ["month", "order", "pk"]

    def __str__(self) -> str:
        return f"M{self.month} {self.title}"


class ProposalVersion(models.Model):
    """An immutable snapshot made at submission: all fields as JSON, a copy of the document
    and its SHA-256. The latest one counts; evaluators read it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("data"), encoder=DjangoJSONEncoder)
    document = UploadField(
        accept=Accept.PDF, storage=get_private_storage, upload_to=version_document_path
    )
    document_name = models.CharField(max_length=255)
    document_size = models.PositiveIntegerField()
    document_sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Copied from ``data`` so that managers' lists filter and sort in SQL.
    acronym = models.CharField(_("acronym"), max_length=30)
    title = models.CharField(_("title"), max_length=255)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation_country = CountryField(_("country"))
    requested_funding = models.DecimalField(_("requested funding (€)"), **MONEY)

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="version_number_unique")
        ]
        indexes = [
            models.Index(fields=["track", "challenge"], name="version_track_idx"),
            models.Index(fields=["organisation_country"], name="version_country_idx"),
            models.Index(fields=["requested_funding"], name="version_funding_idx"),
            models.Index(fields=["acronym"], name="version_acronym_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def budget(self) -> list[dict]:
        return self.data.get("budget", [])

    def team(self) -> list[dict]:
        return self.data.get("team", [])

    def milestones(self) -> list[dict]:
        return self.data.get("milestones", [])


# --- Eligibility ------------------------------------------------------------------------------


class EligibilityScreening(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="screening")
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=ScreeningOutcome.choices,
        default=ScreeningOutcome.PENDING,
    )
    message = models.TextField(
        _("message to the applicant"),
        blank=True,
        help_text=_("Why the proposal is ineligible, or the question to answer."),
    )
    clarification_question = models.TextField(_("clarification question"), blank=True)
    clarification_requested_at = models.DateTimeField(null=True, blank=True)
    clarification_answer = models.TextField(_("applicant's answer"), blank=True)
    clarification_answered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("eligibility screening")
        verbose_name_plural = _("eligibility screenings")
        indexes = [models.Index(fields=["outcome"], name="screening_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_outcome_display()}"


class EligibilityCheck(models.Model):
    screening = models.ForeignKey(
        EligibilityScreening, on_delete=models.CASCADE, related_name="checks"
    )
    item = models.ForeignKey(EligibilityItem, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("passed"), null=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "item"], name="check_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.passed}"


# --- Funded projects --------------------------------------------------------------------------


class FundedProject(TimeStampedModel):
    """A project funded from a selected proposal. Its public fields are copied from the
    submitted version at creation, so the catalogue never reads confidential proposal data."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="funded_project"
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="funded_projects")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="funded_projects")
    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="funded_projects"
    )
    acronym = models.CharField(_("acronym"), max_length=30)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("public summary"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation_country = CountryField(_("country"))
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation in the directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funded_projects",
    )
    agreement_reference = models.CharField(_("agreement reference"), max_length=60, unique=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    funding_amount = models.DecimalField(_("funding (€)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING
    )
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funded_projects"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="funded_projects_as_member",
        verbose_name=_("other team members with access"),
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")
        ordering = ["-start_date", "acronym", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("The project must end after it starts."),
            )
        ]
        indexes = [
            models.Index(fields=["call", "track"], name="project_call_track_idx"),
            models.Index(fields=["organisation_country"], name="project_country_idx"),
            models.Index(fields=["-start_date", "acronym"], name="project_order_idx"),
            models.Index(fields=["beneficiary"], name="project_beneficiary_idx"),
        ]

    def __str__(self) -> str:
        return self.acronym

    def is_team_member(self, user) -> bool:
        if not (user and user.is_authenticated):
            return False
        if self.beneficiary_id == user.pk:
            return True
        return any(member.pk == user.pk for member in self.members.all())

    @cached_property
    def team_emails(self) -> list[str]:
        return [self.beneficiary.email, *(m.email for m in self.members.all())]


class Tranche(models.Model):
    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="tranches")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120)
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(0)], **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=TrancheStatus.choices, default=TrancheStatus.PENDING
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["status"], name="tranche_status_idx")]

    def __str__(self) -> str:
        return f"{self.project}: {self.name}"


class Deliverable(models.Model):
    project = models.ForeignKey(
        FundedProject, on_delete=models.CASCADE, related_name="deliverables"
    )
    tranche = models.ForeignKey(
        Tranche,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
        help_text=_("The payment this deliverable unlocks once approved."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_message = models.TextField(_("review message"), blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="deliverable_due_idx")]

    def __str__(self) -> str:
        return f"{self.project}: {self.title}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in OUTSTANDING_DELIVERABLE_STATES and self.due_date < timezone.localdate()
        )


class DeliverableSubmission(models.Model):
    """One uploaded file of a deliverable; re-uploads after a change request add rows."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="submissions"
    )
    file = UploadField(
        accept=Accept.PDF, storage=get_private_storage, upload_to=deliverable_file_path
    )
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class DeliverableReminder(models.Model):
    """That a reminder about ``deliverable`` due on ``due_date`` went out: never twice."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "kind", "due_date"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} {self.kind}"


class SupportSession(models.Model):
    """Coaching, bootcamps and business support given to a funded project."""

    project = models.ForeignKey(
        FundedProject, on_delete=models.CASCADE, related_name="support_sessions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SupportKind.choices)
    date = models.DateField(_("date"))
    coach = models.CharField(_("coach or trainer"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class DemoDayPitch(models.Model):
    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="pitches")
    event = models.CharField(_("event"), max_length=200, default="AI4Media DemoDay")
    date = models.DateField(_("date"))
    pitch_title = models.CharField(_("pitch title"), max_length=200)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("DemoDay pitch")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.pitch_title


class OutputLink(models.Model):
    """An output the project produced: a publication, dataset, software or demo."""

    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=16, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("URL"), blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, help_text=_("e.g. 10.5281/…"))

    class Meta:
        ordering = ["kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(doi=""),
                name="output_has_url_or_doi",
                violation_error_message=_("Give a URL or a DOI."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url


# --- Evaluation -------------------------------------------------------------------------------
# The evaluation layer keeps its models in ``opencalls/evaluation/models.py``; importing them
# here makes them part of this app and its migrations.
from .evaluation.models import (  # noqa: E402
    Assignment,
    AssignmentRun,
    Conflict,
    ConsensusReport,
    ConsensusScore,
    EvaluationSettings,
    EvaluatorProfile,
    Interview,
    InterviewSlot,
    Invitation,
    PoolMember,
    Review,
    ReviewReminder,
    ReviewScore,
)

__all__ = [
    "Assignment",
    "AssignmentRun",
    "Conflict",
    "ConsensusReport",
    "ConsensusScore",
    "EvaluationSettings",
    "EvaluatorProfile",
    "Interview",
    "InterviewSlot",
    "Invitation",
    "PoolMember",
    "Review",
    "ReviewReminder",
    "ReviewScore",
]
