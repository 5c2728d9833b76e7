"""Every read of the fellows programme that spans relations, and what a given user may see.

Amounts are euros (``Decimal``). Four amounts are kept apart everywhere: *requested* (what the
budget lines of an application add up to), *approved* (what the coordinator approved),
*committed* (the ledger's commitments and adjustments) and *paid* (the ledger's payments).
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from network.models import NetworkRole, Organisation, OrganisationRole

from .enums import (
    COMPLETED_STATUSES,
    FUNDED_STATUSES,
    ExchangeStatus,
    LedgerKind,
    Side,
    TestimonialStatus,
)
from .models import (
    BudgetPeriod,
    Conversation,
    Exchange,
    ExchangeVersion,
    FellowProfile,
    HostOffer,
    LedgerEntry,
    Message,
    Testimonial,
)

# The roles that make an organisation a full partner of the consortium (the network's
# coordinator is a consortium partner too). Associate members and other roles are not.
FULL_PARTNER_ROLES = (NetworkRole.CONSORTIUM_PARTNER, NetworkRole.COORDINATOR)
ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=12, decimal_places=2)


# --- The full-partner and beneficiary rules ---------------------------------------------------


def full_partner_ids(organisation_ids) -> set[int]:
    """Which of ``organisation_ids`` are full partners of the consortium (they hold the
    network's consortium-partner or coordinator role). One query."""
    return set(
        OrganisationRole.objects.filter(
            organisation_id__in=list(organisation_ids), role__in=FULL_PARTNER_ROLES
        ).values_list("organisation_id", flat=True)
    )


def beneficiary_side(sender_id: int, host_id: int) -> str | None:
    """Who the mobility budget pays, by the programme's rule: the sender when it is a full
    partner (also when both are), otherwise the host when it is; None when neither is, which
    the full-partner rule refuses."""
    partners = full_partner_ids([sender_id, host_id])
    if sender_id in partners:
        return Side.SENDER
    if host_id in partners:
        return Side.HOST
    return None


def organisation_choices() -> QuerySet[Organisation]:
    """The network's member organisations, by name, for the application form's lists."""
    return Organisation.objects.filter(joined_on__isnull=False).order_by("name", "pk")


# --- Exchanges --------------------------------------------------------------------------------


def _requested_expression():
    return ExpressionWrapper(
        F("travel_amount") + F("subsistence_monthly") * F("subsistence_months") + F("other_amount"),
        output_field=_MONEY,
    )


def with_relations(queryset: QuerySet[Exchange]) -> QuerySet[Exchange]:
    """An exchange list with what every list shows: the people, the organisations, the
    period, and the committed and paid amounts from the ledger (euros)."""
    return queryset.select_related(
        "fellow", "sender", "host", "sender_supervisor", "host_supervisor", "budget_period"
    ).annotate(
        committed=Coalesce(
            Sum("ledger__amount", filter=~Q(ledger__kind=LedgerKind.PAYMENT)),
            Value(ZERO),
            output_field=_MONEY,
        ),
        paid=Coalesce(
            Sum("ledger__amount", filter=Q(ledger__kind=LedgerKind.PAYMENT)),
            Value(ZERO),
            output_field=_MONEY,
        ),
    )


def exchanges_visible_to(user) -> QuerySet[Exchange]:
    """The exchanges ``user`` may open: the coordinators see all; a fellow their own; a
    supervisor those naming them; anyone else none (their pages answer 404)."""
    if user is None or not user.is_authenticated:
        return Exchange.objects.none()
    if user.has_role("fellows-coordinator"):
        return Exchange.objects.all()
    return Exchange.objects.filter(
        Q(fellow=user) | Q(sender_supervisor=user) | Q(host_supervisor=user)
    )


def exchange_for_page(*, user, pk: int) -> Exchange | None:
    """The exchange ``pk`` with its relations, or None when ``user`` may not see it."""
    return (
        with_relations(exchanges_visible_to(user))
        .select_related("offer", "report", "testimonial")
        .filter(pk=pk)
        .first()
    )


def exchanges_of(user) -> QuerySet[Exchange]:
    """The exchanges ``user`` takes part in (as fellow or supervisor), newest first."""
    if user is None or not user.is_authenticated:
        return Exchange.objects.none()
    return with_relations(
        Exchange.objects.filter(
            Q(fellow=user) | Q(sender_supervisor=user) | Q(host_supervisor=user)
        )
    ).order_by("-created_at", "-pk")


def coordinator_queue(*, status: str = "", year: int | None = None) -> QuerySet[Exchange]:
    """Every exchange, withdrawn and rejected ones included, for the coordinator's list."""
    queryset = Exchange.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(start_date__year=year)
    return with_relations(queryset).order_by("-created_at", "-pk")


def history_of(exchange: Exchange):
    return exchange.history.select_related("actor").order_by("created_at", "pk")


@dataclass(frozen=True)
class Difference:
    label: str
    before: object
    after: object


def version_differences(exchange: Exchange) -> list[Difference]:
    """What changed in the current version since the one before (dates and budget lines), for
    the supervisors who must confirm it again. Empty for a first version."""
    versions = {
        version.number: version.terms
        for version in ExchangeVersion.objects.filter(
            exchange=exchange, number__in=[exchange.version - 1, exchange.version]
        )
    }
    before, after = versions.get(exchange.version - 1), versions.get(exchange.version)
    if not before or not after:
        return []
    return [
        Difference(
            str(Exchange._meta.get_field(name).verbose_name), before.get(name), after.get(name)
        )
        for name in Exchange.VERSIONED_FIELDS
        if before.get(name) != after.get(name)
    ]


def ledger_totals_of(exchange: Exchange) -> tuple[Decimal, Decimal]:
    """(committed, paid) in euros for one exchange."""
    totals = LedgerEntry.objects.filter(exchange=exchange).aggregate(
        committed=Coalesce(
            Sum("amount", filter=~Q(kind=LedgerKind.PAYMENT)), Value(ZERO), output_field=_MONEY
        ),
        paid=Coalesce(
            Sum("amount", filter=Q(kind=LedgerKind.PAYMENT)), Value(ZERO), output_field=_MONEY
        ),
    )
    return totals["committed"], totals["paid"]


# --- The mobility budget ----------------------------------------------------------------------


def period_committed(period_id: int) -> Decimal:
    """What is committed on a period (commitments + adjustments, euros)."""
    return (
        LedgerEntry.objects.filter(period_id=period_id)
        .exclude(kind=LedgerKind.PAYMENT)
        .aggregate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY))["total"]
    )


def budget_periods() -> QuerySet[BudgetPeriod]:
    """Every budget period with its amounts, euros: ``requested`` (by the exchanges charged to
    it, withdrawn ones included), ``approved`` (by those approved and not withdrawn),
    ``committed``, ``paid`` and ``remaining`` (amount − committed). Annotated by
    subqueries: one query for the list."""

    def ledger_sum(kind_filter):
        return Coalesce(
            Subquery(
                LedgerEntry.objects.filter(kind_filter, period=OuterRef("pk"))
                .order_by()
                .values("period")
                .annotate(total=Sum("amount"))
                .values("total")[:1],
                output_field=_MONEY,
            ),
            Value(ZERO),
            output_field=_MONEY,
        )

    def exchange_sum(expression, status_filter):
        return Coalesce(
            Subquery(
                Exchange.objects.filter(status_filter, budget_period=OuterRef("pk"))
                .order_by()
                .values("budget_period")
                .annotate(total=Sum(expression, output_field=_MONEY))
                .values("total")[:1],
                output_field=_MONEY,
            ),
            Value(ZERO),
            output_field=_MONEY,
        )

    return (
        BudgetPeriod.objects.annotate(
            requested=exchange_sum(_requested_expression(), Q()),
            approved=exchange_sum(F("approved_amount"), Q(status__in=FUNDED_STATUSES)),
            committed=ledger_sum(~Q(kind=LedgerKind.PAYMENT)),
            paid=ledger_sum(Q(kind=LedgerKind.PAYMENT)),
        )
        .annotate(remaining=ExpressionWrapper(F("amount") - F("committed"), output_field=_MONEY))
        .order_by("-starts_on", "-pk")
    )


def period_for_date(day) -> BudgetPeriod | None:
    """The budget period covering ``day``, if any."""
    if day is None:
        return None
    return BudgetPeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


def ledger_of(period: BudgetPeriod) -> QuerySet[LedgerEntry]:
    """A period's ledger lines, oldest first, each with its exchange (withdrawn ones too, with
    their state) and who wrote it."""
    return (
        LedgerEntry.objects.filter(period=period)
        .select_related("exchange", "exchange__sender", "exchange__host", "created_by")
        .order_by("created_at", "pk")
    )


def budget_exchanges(period: BudgetPeriod) -> QuerySet[Exchange]:
    """Every exchange charged to ``period`` (withdrawn ones stay, with their state), with its
    four amounts: the properties ``requested_amount`` and ``approved_amount``, the annotations
    ``committed`` and ``paid``."""
    return with_relations(Exchange.objects.filter(budget_period=period)).order_by(
        "start_date", "pk"
    )


# --- Offers, profiles, conversations ----------------------------------------------------------


def offers(
    *, search: str = "", mode: str = "", country: str = "", open_only: bool = True
) -> QuerySet[HostOffer]:
    """Host offers with their organisation and supervisor, newest first; ``search`` looks in
    the title, topics, description and organisation's name; ``mode`` and ``country`` (ISO
    3166 alpha-2) narrow."""
    queryset = HostOffer.objects.select_related("organisation", "supervisor")
    if open_only:
        queryset = queryset.filter(is_open=True)
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(topics__icontains=search)
            | Q(description__icontains=search)
            | Q(organisation__name__icontains=search)
        )
    if mode:
        queryset = queryset.filter(modes__contains=[mode])
    if country:
        queryset = queryset.filter(organisation__country=country)
    return queryset.order_by("-created_at", "-pk")


def offer_for_page(pk: int) -> HostOffer | None:
    return HostOffer.objects.select_related("organisation", "supervisor").filter(pk=pk).first()


def offers_of(user) -> QuerySet[HostOffer]:
    if user is None or not user.is_authenticated:
        return HostOffer.objects.none()
    return HostOffer.objects.filter(supervisor=user).select_related("organisation")


def profiles(*, search: str = "", stage: str = "", mode: str = "") -> QuerySet[FellowProfile]:
    """The public fellows' profiles, newest first, narrowed by a text, a career stage and a
    preferred mode."""
    queryset = FellowProfile.objects.filter(is_public=True).select_related(
        "user", "home_organisation"
    )
    if search:
        queryset = queryset.filter(
            Q(interests__icontains=search)
            | Q(user__full_name__icontains=search)
            | Q(home_organisation__name__icontains=search)
        )
    if stage:
        queryset = queryset.filter(career_stage=stage)
    if mode:
        queryset = queryset.filter(preferred_modes__contains=[mode])
    return queryset.order_by("-created_at", "-pk")


def profile_of(user) -> FellowProfile | None:
    if user is None or not user.is_authenticated:
        return None
    return FellowProfile.objects.filter(user=user).select_related("home_organisation").first()


def conversations_of(user) -> QuerySet[Conversation]:
    if user is None or not user.is_authenticated:
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(Q(fellow=user) | Q(supervisor=user))
        .select_related("fellow", "supervisor", "offer")
        .order_by("-updated_at", "-pk")
    )


def conversation_for_page(*, user, pk: int) -> Conversation | None:
    """The conversation with its messages, or None when ``user`` is not one of the two."""
    return (
        conversations_of(user)
        .prefetch_related(Prefetch("messages", queryset=Message.objects.select_related("author")))
        .filter(pk=pk)
        .first()
    )


# --- Public ----------------------------------------------------------------------------------


def completed_exchanges() -> QuerySet[Exchange]:
    """The exchanges that have happened (completed and later), public, newest first, with
    their organisations and outcomes."""
    return (
        Exchange.objects.filter(status__in=COMPLETED_STATUSES)
        .select_related("fellow", "sender", "host")
        .prefetch_related("outcomes")
        .order_by("-end_date", "-pk")
    )


def published_testimonials() -> QuerySet[Testimonial]:
    return (
        Testimonial.objects.filter(status=TestimonialStatus.PUBLISHED)
        .select_related("exchange", "exchange__fellow", "exchange__host", "exchange__sender")
        .order_by("-published_at", "-pk")
    )


def testimonials_to_publish() -> QuerySet[Testimonial]:
    return (
        Testimonial.objects.filter(status=TestimonialStatus.PENDING)
        .select_related("exchange", "exchange__fellow")
        .order_by("created_at", "pk")
    )


def _counted() -> QuerySet[Exchange]:
    # The numbers count exchanges that were approved (and not withdrawn).
    return Exchange.objects.filter(status__in=FUNDED_STATUSES)


def exchanges_per_year() -> list[tuple[int, int]]:
    """(year the physical part or the exchange started, number of exchanges), by year."""
    rows = (
        _counted()
        .annotate(year=ExtractYear(Coalesce("start_date", "submitted_at__date")))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return [(row["year"], row["n"]) for row in rows if row["year"]]


def exchanges_per_mode() -> list[tuple[str, int]]:
    rows = _counted().values("mode").annotate(n=Count("pk")).order_by("-n", "mode")
    return [(row["mode"], row["n"]) for row in rows]


def country_flows() -> list[tuple[str, str, int]]:
    """(sender's country, host's country, number of exchanges), most first."""
    rows = (
        _counted()
        .values("sender__country", "host__country")
        .annotate(n=Count("pk"))
        .order_by("-n", "sender__country", "host__country")
    )
    return [(row["sender__country"], row["host__country"], row["n"]) for row in rows]


def organisations_involved() -> list[tuple[Organisation, int, int]]:
    """(organisation, exchanges sent, exchanges hosted) for every organisation involved, by
    name. Two queries."""
    sent = Counter(_counted().values_list("sender_id", flat=True))
    hosted = Counter(_counted().values_list("host_id", flat=True))
    ids = set(sent) | set(hosted)
    return [
        (organisation, sent[organisation.pk], hosted[organisation.pk])
        for organisation in Organisation.objects.filter(pk__in=ids).order_by("name", "pk")
    ]


def exchanges_of_organisation(organisation) -> QuerySet[Exchange]:
    """The exchanges ``organisation`` sent or hosted (approved and not withdrawn)."""
    return (
        _counted()
        .filter(Q(sender=organisation) | Q(host=organisation))
        .select_related("sender", "host", "fellow")
        .order_by("-start_date", "-pk")
    )


def waiting_for(user) -> dict[str, int]:
    """What waits for ``user``: confirmations to give, and for a coordinator decisions."""
    counts = {}
    if user is None or not user.is_authenticated:
        return counts
    sender_pending = Q(sender_confirmed_version__isnull=True) | ~Q(
        sender_confirmed_version=F("version")
    )
    host_pending = Q(host_confirmed_version__isnull=True) | ~Q(host_confirmed_version=F("version"))
    counts["confirm"] = Exchange.objects.filter(
        (Q(sender_supervisor=user) & sender_pending) | (Q(host_supervisor=user) & host_pending),
        status=ExchangeStatus.SUBMITTED,
    ).count()
    return counts


def organisations_for_offers(user) -> QuerySet[Organisation]:
    """The organisations ``user`` may publish host offers for: those they are a contact of;
    a fellows coordinator, any member organisation."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    if user.has_role("fellows-coordinator"):
        return organisation_choices()
    return organisation_choices().filter(contacts__user=user)


def funded_count() -> int:
    """How many exchanges were approved (and not withdrawn). One query."""
    return _counted().count()


def coordinator_waiting() -> dict[str, int]:
    """For the coordinator's panel: exchanges to decide, reports to accept, testimonials to
    publish. One query."""
    counts = Exchange.objects.aggregate(
        decide=Count("pk", filter=Q(status=ExchangeStatus.CONFIRMED)),
        reports=Count("pk", filter=Q(status=ExchangeStatus.REPORT_SUBMITTED)),
        testimonials=Count("testimonial", filter=Q(testimonial__status=TestimonialStatus.PENDING)),
    )
    return counts
