"""Proposals, their immutable submitted versions and their eligibility screening."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.files import Accept, UploadField, get_private_storage
from ai4media_portal.core.models import StateChange, TimeStampedModel
from network.selectors import organisations_of_contact

from ..engine.conflicts import same_organisation
from ..enums import BudgetCategory, OrganisationType, ProposalStatus, ScreeningOutcome
from .calls import Call, Challenge, EligibilityItem, Track
from .common import MONEY


def proposal_document_path(instance, filename: str) -> str:
    return f"opencalls/proposals/{instance.call_id}/{uuid.uuid4().hex}.pdf"


def version_document_path(instance, filename: str) -> str:
    return f"opencalls/versions/{instance.reference}-{uuid.uuid4().hex[:8]}.pdf"


class ProposalQuerySet(models.QuerySet):
    def party_ids(self, user) -> set[int]:
        """The ids of the proposals here that ``user`` is a party to, in three queries at most:
        their applicant, a member of their team (the team's email address is the user's,
        case aside) or a contact in the network directory of an organisation whose name is
        the applicant organisation's (``engine.conflicts.same_organisation``, the rule that
        detects evaluators' conflicts). ``Proposal.is_party`` asks this same rule."""
        if user is None or not user.is_authenticated:
            return set()
        direct = Q(applicant_id=user.pk)
        if user.email:
            direct |= Q(team__email__iexact=user.email)
        ids = set(self.filter(direct).values_list("pk", flat=True))
        names = [
            name
            for pair in organisations_of_contact(user).values_list("name", "legal_name")
            for name in pair
            if name
        ]
        if names:
            candidates = self.exclude(pk__in=ids).exclude(organisation_name="")
            ids.update(
                pk
                for pk, organisation in candidates.values_list("pk", "organisation_name")
                if any(same_organisation(organisation, name) for name in names)
            )
        return ids


class Proposal(TimeStampedModel):
    """The applicant's working copy. What counts is ``current_version``, the latest submitted
    snapshot; the working copy can be edited until the deadline."""

    # What the applicant writes in a draft (the form, the API and the service use this); the
    # first five, the organisation, are copied into the applicant's next proposal.
    DRAFT_FIELDS = (
        "organisation_name",
        "organisation_type",
        "organisation_country",
        "organisation_registration_number",
        "organisation_is_sme",
        "challenge",
        "acronym",
        "title",
        "abstract",
        "requested_funding",
        "duration_months",
        "declare_honour",
        "declare_no_double_funding",
        "declare_privacy",
    )
    ORGANISATION_FIELDS = DRAFT_FIELDS[:5]

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
    # The hidden token of the form (or API call) that started it: the same start sent twice
    # makes one draft (``core.idempotency``).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ProposalQuerySet.as_manager()

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

    def is_party(self, user) -> bool:
        """The applicant, a member of the team or a contact of the applicant organisation:
        they may not screen, evaluate, rank or decide on this proposal, nor read its
        evaluation (``core.predicates.is_own_case``). Remembered per user on this instance."""
        if user is None or not user.is_authenticated or self.pk is None:
            return False
        known = self.__dict__.setdefault("_parties", {})
        if user.pk not in known:
            known[user.pk] = self.pk in Proposal.objects.filter(pk=self.pk).party_ids(user)
        return known[user.pk]


class ProposalStatusChange(StateChange):
    """One step of a proposal's history: the status it went from and to, who moved it, the
    message they gave (to the applicant) and when. Written only by
    ``services.proposal_set_status``; the proposal's start is the step from nothing to draft."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=32, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=32, choices=ProposalStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["proposal", "created_at"], name="proposal_history_idx")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status or '∅'} → {self.to_status}"


class ProposalTeamMember(models.Model):
    EDITABLE_FIELDS = ("full_name", "email", "role")

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
    EDITABLE_FIELDS = ("category", "amount", "justification")

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
    EDITABLE_FIELDS = ("title", "description", "month")

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
