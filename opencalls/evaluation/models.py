"""The evaluation of open calls: evaluator profiles and pools, invitations, conflicts of
interest, assignments (by hand or by an optimisation run), reviews, consensus reports,
interviews and review reminders.

These models belong to the ``opencalls`` app (``opencalls/models.py`` imports them), so they
share its migrations. Evaluator identities live in ``Assignment.evaluator`` and
``ConsensusReport.rapporteur`` only; nothing an applicant reads is built from them.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.models import TimeStampedModel, Topic

from .enums import (
    AssignmentSource,
    ConflictSource,
    ConsensusStatus,
    InterviewStatus,
    InvitationStatus,
    PoolStatus,
    ReviewReminderKind,
    ReviewStatus,
    RunProgress,
    RunStatus,
    TieBreakLast,
)

SCORE = {"max_digits": 3, "decimal_places": 1}


class EvaluationSettings(models.Model):
    """How one call is evaluated, beside the call's own settings (evaluators per proposal,
    thresholds, interviews per track): blind review, the review deadline, how interviews
    weigh in the final ranking and the last tie-break."""

    EDITABLE_FIELDS = (
        "hide_applicant_identity",
        "review_deadline",
        "interview_weight",
        "interview_max_score",
        "tie_break_last",
        "balance_weight",
    )

    call = models.OneToOneField(
        "opencalls.Call",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="evaluation_settings",
    )
    hide_applicant_identity = models.BooleanField(
        _("hide the applicant's identity from evaluators"),
        default=False,
        help_text=_(
            "Evaluators see the proposal without the organisation's name, registration "
            "number, team names or contact. The PDF is shown as submitted: applicants are "
            "asked to anonymise it."
        ),
    )
    review_deadline = models.DateTimeField(
        _("review deadline"),
        null=True,
        blank=True,
        help_text=_("Evaluators submit their reviews strictly before this moment."),
    )
    interview_weight = models.DecimalField(
        _("interview weight"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "The interview's share of the final score of interviewed proposals, from 0 "
            "(written score only) to 1 (interview only)."
        ),
    )
    interview_max_score = models.DecimalField(
        _("interview scored out of"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(10),
        validators=[MinValueValidator(1)],
    )
    tie_break_last = models.CharField(
        _("last tie-break"),
        max_length=20,
        choices=TieBreakLast.choices,
        default=TieBreakLast.SUBMITTED_AT,
        help_text=_("Ties are broken by the criteria in their order first, then by this."),
    )
    balance_weight = models.DecimalField(
        _("load balancing"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.020"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "How strongly the automatic assignment evens out the evaluators' loads, from 0 "
            "(each proposal gets its best-matching evaluators, whatever their loads) to 1. "
            "Each further proposal on an evaluator costs this share of a typical match more "
            "than the one before. 0.02 gives up well under 1 % of the total affinity; 0.5 makes "
            "loads nearly equal for a few per cent. Each run reports the load spread and the "
            "affinity given up."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self) -> str:
        return str(self.call)


# --- Evaluators -------------------------------------------------------------------------------


class EvaluatorProfile(TimeStampedModel):
    """An expert's standing profile, used for every call they evaluate: what matches them to
    proposals (expertise, keywords, CV) and what detects their conflicts (organisation,
    collaborators)."""

    # What the expert writes in their profile (the form and the service use this).
    PROFILE_FIELDS = (
        "keywords",
        "cv",
        "country",
        "organisation_name",
        "organisation_registration_number",
        "organisation_country",
        "organisation_domain",
        "collaborators",
        "default_max_load",
        "availability",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_profile"
    )
    expertise = models.ManyToManyField(
        Topic, blank=True, related_name="+", verbose_name=_("expertise areas")
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. deepfake detection, speech synthesis, fact-checking."),
    )
    cv = models.TextField(
        _("short CV"),
        max_length=3000,
        blank=True,
        help_text=_("A few lines on your research and professional experience."),
    )
    country = CountryField(_("country"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_registration_number = models.CharField(
        _("organisation's registration number"),
        max_length=64,
        blank=True,
        help_text=_("VAT or company number, if you know it: it detects conflicts reliably."),
    )
    organisation_country = CountryField(_("organisation's country"), blank=True)
    organisation_domain = models.CharField(
        _("organisation's website or email domain"),
        max_length=200,
        blank=True,
        help_text=_("e.g. tuwien.ac.at"),
    )
    collaborators = models.TextField(
        _("recent collaborators"),
        blank=True,
        help_text=_(
            "People and organisations you worked with in the last three years, one a line. "
            "You will not be assigned their proposals."
        ),
    )
    default_max_load = models.PositiveSmallIntegerField(
        _("proposals you usually take"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    # Derived in the service from the country and number (see ``services.registration_key``).
    registration_key = models.CharField(max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("evaluator profile")
        verbose_name_plural = _("evaluator profiles")
        indexes = [models.Index(fields=["registration_key"], name="evaluator_registration_idx")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def collaborator_list(self) -> list[str]:
        return [line.strip() for line in self.collaborators.splitlines() if line.strip()]


class PoolMember(TimeStampedModel):
    """An evaluator in one call's pool. Evaluators see nothing of the call until they have
    accepted its confidentiality and conflict-of-interest terms (``ACCEPTED``)."""

    call = models.ForeignKey("opencalls.Call", on_delete=models.CASCADE, related_name="pool")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_pools"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PoolStatus.choices, default=PoolStatus.INVITED
    )
    max_proposals = models.PositiveSmallIntegerField(
        _("maximum proposals in this call"),
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    terms_version = models.CharField(_("terms accepted"), max_length=20, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    declared_organisations = models.TextField(
        _("organisations declared as conflicts"),
        blank=True,
        help_text=_("Applicant organisations the evaluator declared a conflict with, one a line."),
    )

    class Meta:
        verbose_name = _("pool member")
        verbose_name_plural = _("evaluator pool")
        ordering = ["call", "evaluator__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "evaluator"], name="pool_member_once"),
            models.CheckConstraint(
                condition=~Q(status=PoolStatus.ACCEPTED) | Q(terms_accepted_at__isnull=False),
                name="pool_accepted_with_terms",
                violation_error_message=_("An accepted evaluator has accepted the terms."),
            ),
        ]
        indexes = [
            models.Index(fields=["evaluator", "status"], name="pool_evaluator_idx"),
            models.Index(fields=["call", "status"], name="pool_call_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} — {self.call}"

    @property
    def declared_organisation_list(self) -> list[str]:
        return [line.strip() for line in self.declared_organisations.splitlines() if line.strip()]


class Invitation(TimeStampedModel):
    """An invitation by email to join a call's pool. Only the SHA-256 of its token is kept;
    the link lets the person sign up or sign in, then accept the terms."""

    call = models.ForeignKey(
        "opencalls.Call", on_delete=models.CASCADE, related_name="evaluator_invitations"
    )
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("personal message"), blank=True)
    max_proposals = models.PositiveSmallIntegerField(
        _("maximum proposals"), default=10, validators=[MaxValueValidator(200)]
    )
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluator invitation")
        verbose_name_plural = _("evaluator invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["call", "status"], name="invitation_call_idx"),
            models.Index(fields=["email"], name="invitation_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.call}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


# --- Conflicts of interest --------------------------------------------------------------------


class Conflict(TimeStampedModel):
    """A conflict of interest between an evaluator and a proposal. An active conflict means the
    evaluator is never assigned the proposal and never sees it, not even its title. Detected
    conflicts can be confirmed or dismissed by a call manager (audited); declared ones stand."""

    call = models.ForeignKey("opencalls.Call", on_delete=models.CASCADE, related_name="conflicts")
    proposal = models.ForeignKey(
        "opencalls.Proposal", on_delete=models.CASCADE, related_name="conflicts"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    source = models.CharField(_("source"), max_length=16, choices=ConflictSource.choices)
    reasons = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    reason = models.TextField(_("reason"))
    active = models.BooleanField(_("active"), default=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissal_reason = models.TextField(_("why it is not a conflict"), blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["call", "proposal__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator", "source"], name="conflict_once_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["evaluator", "active"], name="conflict_evaluator_idx"),
            models.Index(fields=["proposal", "active"], name="conflict_proposal_idx"),
            models.Index(fields=["call", "active"], name="conflict_call_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} × {self.proposal}"


# --- Assignments ------------------------------------------------------------------------------


class AssignmentRun(models.Model):
    """One run of the automatic assignment: queued by a call manager, executed by a Celery
    task that records its progress here for the manager's page to poll."""

    call = models.ForeignKey(
        "opencalls.Call", on_delete=models.CASCADE, related_name="assignment_runs"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    step = models.CharField(
        _("step"), max_length=16, choices=RunProgress.choices, default=RunProgress.QUEUED
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total_affinity = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    # Loads per evaluator id, load statistics, counts of kept/created/removed assignments.
    stats = models.JSONField(default=dict, blank=True)
    # The engine's issues: code, English message, params, proposal and evaluator ids.
    issues = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["call", "-created_at"], name="run_call_idx")]

    def __str__(self) -> str:
        return f"{self.call} run {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    @property
    def gap_percent(self) -> float | None:
        return None if self.gap is None else self.gap * 100


class AssignmentQuerySet(models.QuerySet):
    def counted(self):
        """The assignments that count: those whose review is not set aside. A review set
        aside (``Review.set_aside_at``) is kept for the record only: its assignment counts
        as missing, so the proposal takes a replacement evaluator."""
        return self.exclude(review__set_aside_at__isnull=False)


class Assignment(TimeStampedModel):
    """An evaluator reads a proposal. Locked assignments survive automatic runs."""

    call = models.ForeignKey("opencalls.Call", on_delete=models.CASCADE, related_name="assignments")
    proposal = models.ForeignKey(
        "opencalls.Proposal", on_delete=models.CASCADE, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    locked = models.BooleanField(_("locked"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=AssignmentSource.choices)
    run = models.ForeignKey(
        AssignmentRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affinity = models.FloatField(_("affinity"), null=True, blank=True)
    notified_at = models.DateTimeField(_("evaluator notified"), null=True, blank=True)
    deadline_extended_to = models.DateTimeField(
        _("deadline extended to"),
        null=True,
        blank=True,
        help_text=_("This evaluator may submit until then, whatever the call's review deadline."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["proposal__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "evaluator"], name="assignment_once")
        ]
        indexes = [
            models.Index(fields=["evaluator", "call"], name="assignment_evaluator_idx"),
            models.Index(fields=["call", "proposal"], name="assignment_call_idx"),
            models.Index(fields=["call", "notified_at"], name="assignment_notify_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} → {self.evaluator}"

    def deadline(self, call_deadline):
        """When this evaluator's review is due: an extension wins over the call's deadline."""
        return self.deadline_extended_to or call_deadline


# --- Reviews ----------------------------------------------------------------------------------


class Review(TimeStampedModel):
    """One evaluator's review of one proposal: a draft that saves as they type, locked once
    submitted. A submitted review can be set aside by a call manager (a conflict of interest
    confirmed after it was written, or another reason): it is kept and shown, marked, to call
    managers, and counts for nothing (consensus suggestion, flags, z-scores, ranking, reviews
    done); the proposal takes a replacement evaluator."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    overall_comment = models.TextField(_("overall comment"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    set_aside_at = models.DateTimeField(_("set aside"), null=True, blank=True)
    set_aside_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_aside_reason = models.TextField(_("why it is set aside"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="review_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(set_aside_at__isnull=True)
                | Q(status=ReviewStatus.SUBMITTED) & ~Q(set_aside_reason=""),
                name="review_set_aside_submitted_with_reason",
                violation_error_message=_("Only a submitted review is set aside, with a reason."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="review_status_idx")]

    def __str__(self) -> str:
        return f"Review of {self.assignment.proposal}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    @property
    def is_set_aside(self) -> bool:
        return self.set_aside_at is not None

    @property
    def counts(self) -> bool:
        """Submitted and not set aside: the review takes part in every computation."""
        return self.is_submitted and not self.is_set_aside


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "opencalls.EvaluationCriterion", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0),
                name="review_score_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- Consensus --------------------------------------------------------------------------------


class ConsensusReport(TimeStampedModel):
    """The agreed scores and comments of a proposal, written by a rapporteur (one of its
    evaluators, chosen by a call manager). The Evaluation Summary Report is rendered from it."""

    proposal = models.OneToOneField(
        "opencalls.Proposal", on_delete=models.CASCADE, related_name="consensus"
    )
    call = models.ForeignKey(
        "opencalls.Call", on_delete=models.CASCADE, related_name="consensus_reports"
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ConsensusStatus.choices, default=ConsensusStatus.DRAFT
    )
    summary = models.TextField(
        _("overall comments for the applicant"),
        blank=True,
        max_length=5000,
        help_text=_("The applicant reads this in the Evaluation Summary Report."),
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consensus report")
        verbose_name_plural = _("consensus reports")
        indexes = [models.Index(fields=["call", "status"], name="consensus_call_idx")]

    def __str__(self) -> str:
        return f"Consensus on {self.proposal}"

    def is_party(self, user) -> bool:
        """A party to the proposal is a party to its consensus (``Proposal.is_party``)."""
        return self.proposal.is_party(user)

    @property
    def is_final(self) -> bool:
        return self.status == ConsensusStatus.FINAL


class ConsensusScore(models.Model):
    report = models.ForeignKey(ConsensusReport, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "opencalls.EvaluationCriterion", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("agreed score"), null=True, blank=True, **SCORE)
    comment = models.TextField(_("agreed comment"), blank=True, max_length=5000)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="consensus_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- Interviews -------------------------------------------------------------------------------


class InterviewSlot(models.Model):
    """A time the interview panel is available; one interview per slot."""

    call = models.ForeignKey(
        "opencalls.Call", on_delete=models.CASCADE, related_name="interview_slots"
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    location = models.CharField(
        _("room or video link"), max_length=300, help_text=_("Sent to the applicant who books.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["call", "starts_at"], name="slot_call_idx")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Interview(TimeStampedModel):
    """A top proposal's interview: invited, a slot booked, then held with the panel's score
    and notes."""

    proposal = models.OneToOneField(
        "opencalls.Proposal", on_delete=models.CASCADE, related_name="interview"
    )
    call = models.ForeignKey("opencalls.Call", on_delete=models.CASCADE, related_name="interviews")
    slot = models.OneToOneField(
        InterviewSlot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interview",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=InterviewStatus.choices, default=InterviewStatus.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    panel_notes = models.TextField(_("panel notes"), blank=True)
    score = models.DecimalField(_("interview score"), max_digits=4, decimal_places=1, null=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["call", "slot__starts_at", "pk"]
        indexes = [models.Index(fields=["call", "status"], name="interview_call_idx")]

    def __str__(self) -> str:
        return f"Interview of {self.proposal}"


# --- Reminders --------------------------------------------------------------------------------


class ReviewReminder(models.Model):
    """That a reminder about a review due at ``deadline`` went out: never twice."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReviewReminderKind.choices)
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "deadline"], name="review_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.kind}"
