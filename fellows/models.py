"""The Junior Fellows Exchange Programme: host offers, fellows' profiles, conversations,
exchanges (joint applications and their versions), the mobility budget's ledger, reports,
outcomes, testimonials and the reminders sent."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.files import Accept, UploadField, get_private_storage
from ai4media_portal.core.models import StateChange, TimeStampedModel

from .enums import (
    COMPLETED_STATUSES,
    EDITABLE_STATUSES,
    MODES_WITH_TRAVEL,
    CareerStage,
    ExchangeStatus,
    LedgerKind,
    Mode,
    OutcomeKind,
    ReminderKind,
    Side,
    TestimonialStatus,
)

ORGANISATION = "network.Organisation"
MONEY = {"max_digits": 10, "decimal_places": 2}


class HostOffer(TimeStampedModel):
    """An organisation's offer to host fellows: who supervises, on what, when and how."""

    # What the supervisor edits; the form, the service and the serializer share this list.
    FIELDS = (
        "title",
        "topics",
        "description",
        "modes",
        "available_from",
        "available_until",
        "places",
        "language",
        "is_open",
    )

    organisation = models.ForeignKey(
        ORGANISATION, on_delete=models.CASCADE, related_name="fellows_host_offers"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fellows_host_offers"
    )
    title = models.CharField(_("title"), max_length=200)
    topics = models.CharField(
        _("topics"), max_length=300, help_text=_("Research topics, separated by commas.")
    )
    description = models.TextField(_("description"))
    modes = ArrayField(
        models.CharField(max_length=10, choices=Mode.choices), verbose_name=_("modes")
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"))
    places = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1)]
    )
    language = models.CharField(_("working language"), max_length=50, default="English")
    is_open = models.BooleanField(_("open to applications"), default=True)

    class Meta:
        verbose_name = _("host offer")
        verbose_name_plural = _("host offers")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["is_open", "-created_at"], name="fellows_offer_open_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fellows:offer", kwargs={"pk": self.pk})

    @property
    def mode_labels(self) -> list[str]:
        labels = dict(Mode.choices)
        return [str(labels.get(mode, mode)) for mode in self.modes]


class FellowProfile(TimeStampedModel):
    """An early-career researcher's public profile: who they are and what they look for."""

    FIELDS = (
        "career_stage",
        "home_organisation",
        "interests",
        "preferred_modes",
        "preferred_period",
        "is_public",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fellow_profile"
    )
    career_stage = models.CharField(_("career stage"), max_length=12, choices=CareerStage.choices)
    home_organisation = models.ForeignKey(
        ORGANISATION,
        on_delete=models.PROTECT,
        related_name="fellows",
        verbose_name=_("home organisation"),
    )
    interests = models.TextField(_("research interests"))
    preferred_modes = ArrayField(
        models.CharField(max_length=10, choices=Mode.choices),
        verbose_name=_("preferred modes"),
        default=list,
        blank=True,
    )
    preferred_period = models.CharField(
        _("preferred period"), max_length=120, blank=True, help_text=_("E.g. spring 2027.")
    )
    is_public = models.BooleanField(_("listed among the fellows"), default=True)

    class Meta:
        verbose_name = _("fellow's profile")
        verbose_name_plural = _("fellows' profiles")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.user)


class Conversation(TimeStampedModel):
    """Messages between a fellow and a supervisor, opened by an "I'm interested" message.
    Neither sees the other's email address."""

    fellow = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    offer = models.ForeignKey(
        HostOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )

    class Meta:
        verbose_name = _("conversation")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fellow", "supervisor", "offer"],
                name="fellows_conversation_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.fellow} ↔ {self.supervisor}"

    def is_party(self, user) -> bool:
        return bool(
            user and user.is_authenticated and user.pk in (self.fellow_id, self.supervisor_id)
        )


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} {self.created_at:%Y-%m-%d %H:%M}"


class BudgetPeriod(models.Model):
    """A period of the mobility budget (say, a year of the project) and its amount in euros.
    What is committed and paid comes from the ledger."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    amount = models.DecimalField(_("amount (euros)"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("budget period")
        verbose_name_plural = _("budget periods")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="fellows_period_dates",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fellows_period_amount"),
        ]

    def __str__(self) -> str:
        return self.name


class Exchange(TimeStampedModel):
    """A joint application for an exchange, and then the exchange itself: one fellow, one
    sending organisation, one host organisation, each with a supervisor.

    Amounts are euros. ``requested_amount`` is what the budget lines add up to;
    ``approved_amount`` what the coordinator approved (at most that); what is committed and
    paid lives in the ledger (``LedgerEntry``), never here.
    """

    # What the fellow fills in; the form, the service and the serializer share this list.
    FIELDS = (
        "title",
        "sender",
        "sender_supervisor_email",
        "host",
        "host_supervisor_email",
        "mode",
        "start_date",
        "end_date",
        "research_plan",
        "expected_outcomes",
        "travel_amount",
        "subsistence_monthly",
        "subsistence_months",
        "other_amount",
    )
    # A change of one of these after a confirmation starts a new version.
    VERSIONED_FIELDS = (
        "mode",
        "start_date",
        "end_date",
        "travel_amount",
        "subsistence_monthly",
        "subsistence_months",
        "other_amount",
    )

    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fellow = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="fellows_exchanges",
        verbose_name=_("fellow"),
    )
    offer = models.ForeignKey(
        HostOffer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchanges",
        verbose_name=_("host offer"),
    )
    title = models.CharField(_("title"), max_length=200)
    sender = models.ForeignKey(
        ORGANISATION,
        on_delete=models.PROTECT,
        related_name="fellows_exchanges_sent",
        verbose_name=_("sending organisation"),
    )
    # A supervisor is named by email address. The account with that address, if any, is
    # linked at once or when its owner next signs in; until then nobody confirms for that
    # side. The form answers the same whether or not the address has an account.
    sender_supervisor_email = models.EmailField(_("sender's supervisor"))
    sender_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender's supervisor's account"),
    )
    host = models.ForeignKey(
        ORGANISATION,
        on_delete=models.PROTECT,
        related_name="fellows_exchanges_hosted",
        verbose_name=_("host organisation"),
    )
    host_supervisor_email = models.EmailField(_("host's supervisor"))
    host_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host's supervisor's account"),
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    start_date = models.DateField(_("start of the physical part"), null=True, blank=True)
    end_date = models.DateField(_("end of the physical part"), null=True, blank=True)
    research_plan = models.TextField(_("research plan"))
    expected_outcomes = models.TextField(_("expected outcomes"))
    travel_amount = models.DecimalField(_("travel (euros)"), default=Decimal(0), **MONEY)
    subsistence_monthly = models.DecimalField(
        _("subsistence per month (euros)"), default=Decimal(0), **MONEY
    )
    subsistence_months = models.SmallIntegerField(_("months of subsistence"), default=0)
    other_amount = models.DecimalField(_("other costs (euros)"), default=Decimal(0), **MONEY)

    status = models.CharField(
        _("status"), max_length=20, choices=ExchangeStatus.choices, default=ExchangeStatus.DRAFT
    )
    # The version both supervisors confirm: a change of dates or budget after a confirmation
    # adds one, and a confirmation counts only for the version it names.
    version = models.PositiveIntegerField(_("version"), default=1)
    sender_confirmed_version = models.PositiveIntegerField(null=True, blank=True)
    host_confirmed_version = models.PositiveIntegerField(null=True, blank=True)
    declined_by = models.CharField(max_length=10, choices=Side.choices, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    # Worked out on submit and again on approval from the organisations' roles.
    beneficiary = models.CharField(
        _("beneficiary"), max_length=10, choices=Side.choices, blank=True
    )
    approved_amount = models.DecimalField(_("approved (euros)"), null=True, blank=True, **MONEY)
    budget_period = models.ForeignKey(
        BudgetPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchanges",
        verbose_name=_("budget period"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    report_due_on = models.DateField(_("report due"), null=True, blank=True)

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("host")), name="fellows_sender_not_host"
            ),
            models.CheckConstraint(
                condition=models.Q(travel_amount__gte=0)
                & models.Q(subsistence_monthly__gte=0)
                & models.Q(subsistence_months__gte=0)
                & models.Q(other_amount__gte=0)
                & (models.Q(approved_amount__isnull=True) | models.Q(approved_amount__gte=0)),
                name="fellows_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="fellows_exchange_status_idx"),
            models.Index(fields=["fellow", "-created_at"], name="fellows_exchange_fellow_idx"),
            models.Index(fields=["report_due_on"], name="fellows_exchange_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fellows:exchange", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("fellows:completed_exchange", kwargs={"pk": self.pk})

    @property
    def subsistence_total(self) -> Decimal:
        """Subsistence per month × months, in euros."""
        return self.subsistence_monthly * self.subsistence_months

    @property
    def requested_amount(self) -> Decimal:
        """Travel + subsistence per month × months + other costs, in euros."""
        return (
            self.travel_amount
            + self.subsistence_monthly * self.subsistence_months
            + self.other_amount
        )

    @property
    def has_physical_part(self) -> bool:
        return self.mode in MODES_WITH_TRAVEL

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_completed(self) -> bool:
        return self.status in COMPLETED_STATUSES

    @property
    def sender_confirmed(self) -> bool:
        return self.sender_confirmed_version == self.version

    @property
    def host_confirmed(self) -> bool:
        return self.host_confirmed_version == self.version

    @property
    def beneficiary_organisation(self):
        if self.beneficiary == Side.SENDER:
            return self.sender
        if self.beneficiary == Side.HOST:
            return self.host
        return None

    def side_of(self, user) -> str | None:
        """Which side ``user`` supervises for (the sender first when both)."""
        if user is None or not user.is_authenticated:
            return None
        if self.sender_supervisor_id is not None and self.sender_supervisor_id == user.pk:
            return Side.SENDER
        if self.host_supervisor_id is not None and self.host_supervisor_id == user.pk:
            return Side.HOST
        return None

    def is_party(self, user) -> bool:
        """The fellow or one of the two supervisors: they may not decide on the exchange
        (``core.predicates.is_own_case``)."""
        if user is None or not user.is_authenticated:
            return False
        return user.pk in (self.fellow_id, self.sender_supervisor_id, self.host_supervisor_id)


class ExchangeVersion(models.Model):
    """The dates and budget of one version of an exchange, as the supervisors confirm them."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    terms = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exchange", "number"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "number"], name="fellows_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id} v{self.number}"


class ExchangeStatusChange(StateChange):
    """One step of an exchange's history."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=20, choices=ExchangeStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ExchangeStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["exchange", "created_at"], name="fellows_history_idx")]

    def __str__(self) -> str:
        return f"{self.exchange_id}: {self.from_status or '∅'} → {self.to_status}"


class LedgerEntry(models.Model):
    """One line of the mobility budget's ledger, in euros: a commitment (on approval), an
    adjustment (positive or negative, e.g. releasing a withdrawn exchange's commitment) or a
    payment to the beneficiary. Lines are never changed or deleted."""

    period = models.ForeignKey(BudgetPeriod, on_delete=models.PROTECT, related_name="ledger")
    exchange = models.ForeignKey(
        Exchange, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount (euros)"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="commitment") | models.Q(amount__gte=0),
                name="fellows_commitment_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="payment") | models.Q(amount__gt=0),
                name="fellows_payment_positive",
            ),
        ]
        indexes = [models.Index(fields=["period", "kind"], name="fellows_ledger_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Report(TimeStampedModel):
    """The fellow's final report and the host's short feedback."""

    FIELDS = ("summary", "achievements")

    exchange = models.OneToOneField(Exchange, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(_("summary"))
    achievements = models.TextField(_("what was achieved"))
    host_feedback = models.TextField(_("host's feedback"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")


class Outcome(models.Model):
    """A paper, software or dataset that came out of an exchange: a record of the Outputs
    pillar, or a free link."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=10, choices=OutcomeKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    output = models.ForeignKey(
        "outputs.Output",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("output"),
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Testimonial(TimeStampedModel):
    """A fellow's words on their exchange, with a photo; public once the coordinator approves."""

    exchange = models.OneToOneField(Exchange, on_delete=models.CASCADE, related_name="testimonial")
    text = models.TextField(_("testimonial"))
    photo = UploadField(
        _("photo"),
        accept=Accept.IMAGE,
        storage=get_private_storage,
        upload_to="fellows/testimonials/%Y/",
        blank=True,
    )
    status = models.CharField(
        max_length=10, choices=TestimonialStatus.choices, default=TestimonialStatus.PENDING
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("testimonial")
        ordering = ["-published_at", "-pk"]


class ReminderSent(models.Model):
    """That a report reminder of a kind went out for an exchange: at most once each."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "kind", "due_on"], name="fellows_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id} {self.kind} {self.due_on}"
