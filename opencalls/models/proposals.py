"""Proposals, their immutable submitted versions and their eligibility screening."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.files import get_private_storage
from ai4media_portal.core.models import TimeStampedModel

from ..enums import BudgetCategory, OrganisationType, ProposalStatus, ScreeningOutcome
from .calls import Call, Challenge, EligibilityItem, Track
from .common import MONEY


def proposal_document_path(instance, filename: str) -> str:
    return f"opencalls/proposals/{instance.call_id}/{uuid.uuid4().hex}.pdf"


def version_document_path(instance, filename: str) -> str:
    return f"opencalls/versions/{instance.reference}-{uuid.uuid4().hex[:8]}.pdf"


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
    document = models.FileField(
        _("proposal document (PDF)"),
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
    # The hidden token of the form (or API call) that started it: the same start sent twice
    # makes one draft (``core.idempotency``).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

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
    document = models.FileField(storage=get_private_storage, upload_to=version_document_path)
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
