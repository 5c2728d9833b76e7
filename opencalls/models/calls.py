"""Calls for proposals and their structure: tracks, challenges, criteria, checklist, FAQ."""

import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.files import Accept, UploadField
from ai4media_portal.core.models import StateChange, TimeStampedModel, Topic

from ..enums import CallStage, CallStatus, TrackKind
from .common import MONEY


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

    # What a call manager edits (the form, the service and copies of the call use this);
    # the stage changes through ``services.call_set_stage`` only.
    EDITABLE_FIELDS = (
        "number",
        "title",
        "summary",
        "description",
        "opens_at",
        "closes_at",
        "timezone",
        "total_budget",
        "max_funding",
        "evaluators_per_proposal",
        "overall_threshold",
        "interview_enabled",
        "interviews_per_track",
        "one_proposal_per_organisation",
        "max_document_mb",
    )

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
    # The hidden token of the form that created the call (new or copied): one call per form
    # however often it is sent (core.idempotency).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

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
    EDITABLE_FIELDS = ("kind", "name", "description", "duration_months", "projects_to_fund")

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
    EDITABLE_FIELDS = ("track", "code", "title", "description")

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

    EDITABLE_FIELDS = ("name", "description", "weight", "threshold", "max_score")

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
    EDITABLE_FIELDS = ("text", "help_text")

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
    EDITABLE_FIELDS = ("question", "answer")

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


class CallStageChange(StateChange):
    """One step of a call's history: the stage it went from and to, who moved it and when.
    Written only by ``services.call_set_stage`` (and by the services that create a call, as the
    step from nothing to draft)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="stage_history")
    from_stage = models.CharField(_("from"), max_length=32, choices=CallStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=32, choices=CallStage.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["call", "created_at"], name="call_history_idx")]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.from_stage or '∅'} → {self.to_stage}"
