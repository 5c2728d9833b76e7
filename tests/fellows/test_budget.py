"""The mobility budget: commitments on approval, adjustments, payments, the four amounts kept
apart, and approvals refused when the period cannot cover them, even at the same moment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from fellows import selectors, services
from fellows.enums import ExchangeStatus, LedgerKind
from fellows.models import Exchange, LedgerEntry
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

from .factories import ExchangeFactory, PeriodFactory

S = ExchangeStatus


def confirmed_exchange(**kwargs) -> Exchange:
    """A confirmed exchange requesting 4000 euros (no history needed for the ledger)."""
    return ExchangeFactory(status=S.CONFIRMED, beneficiary="sender", **kwargs)


@pytest.mark.django_db
def test_approval_commits_the_approved_amount_and_keeps_the_four_amounts_apart(coordinator):
    period = PeriodFactory(amount=Decimal("10000"))
    exchange = confirmed_exchange()
    services.exchange_approve(exchange=exchange, actor=coordinator, amount=Decimal("3500"))
    services.payment_record(exchange=exchange, actor=coordinator, amount=Decimal("1000"))
    row = selectors.budget_periods().get(pk=period.pk)
    assert (row.requested, row.approved, row.committed, row.paid, row.remaining) == (
        Decimal("4000"),
        Decimal("3500"),
        Decimal("3500"),
        Decimal("1000"),
        Decimal("6500"),
    )
    (listed,) = selectors.budget_exchanges(period)
    assert (listed.requested_amount, listed.approved_amount, listed.committed, listed.paid) == (
        Decimal("4000"),
        Decimal("3500"),
        Decimal("3500"),
        Decimal("1000"),
    )


@pytest.mark.django_db
def test_no_more_than_requested_can_be_approved_and_nothing_overpaid(coordinator):
    PeriodFactory()
    exchange = confirmed_exchange()
    with pytest.raises(PortalError) as refused:
        services.exchange_approve(exchange=exchange, actor=coordinator, amount=Decimal("4000.01"))
    assert refused.value.field == "amount"
    services.exchange_approve(exchange=exchange, actor=coordinator)
    services.payment_record(exchange=exchange, actor=coordinator, amount=Decimal("4000"))
    with pytest.raises(PortalError) as overpaid:
        services.payment_record(exchange=exchange, actor=coordinator, amount=Decimal("0.01"))
    assert "0.00 euros" in overpaid.value.message
    with pytest.raises(PortalError):
        services.payment_record(exchange=exchange, actor=coordinator, amount=Decimal("-5"))


@pytest.mark.django_db
def test_approval_refused_when_the_period_cannot_cover_it(coordinator):
    period = PeriodFactory(amount=Decimal("7000"))
    first, second = confirmed_exchange(), confirmed_exchange()
    services.exchange_approve(exchange=first, actor=coordinator)
    with pytest.raises(PortalError) as refused:
        services.exchange_approve(exchange=second, actor=coordinator)
    assert refused.value.code == "budget"
    assert "3000.00 euros left" in refused.value.message
    second.refresh_from_db()
    assert second.status == S.CONFIRMED
    assert not second.ledger.exists()
    # A smaller approval fits.
    services.exchange_approve(exchange=second, actor=coordinator, amount=Decimal("3000"))
    assert selectors.budget_periods().get(pk=period.pk).remaining == Decimal("0")


@pytest.mark.django_db
def test_only_a_period_covering_the_start_of_the_exchange_is_charged(coordinator):
    covering = PeriodFactory(starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
    earlier = PeriodFactory(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    ending_the_day_before = PeriodFactory(starts_on=date(2026, 3, 1), ends_on=date(2027, 2, 28))
    exchange = confirmed_exchange()  # its physical part starts on 1 March 2027
    for period in (earlier, ending_the_day_before):
        with pytest.raises(PortalError) as refused:
            services.exchange_approve(exchange=exchange, actor=coordinator, period=period)
        assert (refused.value.field, refused.value.code) == ("period", "period")
    exchange.refresh_from_db()
    assert (exchange.status, exchange.ledger.exists()) == (S.CONFIRMED, False)
    services.exchange_approve(exchange=exchange, actor=coordinator, period=covering)
    exchange.refresh_from_db()
    assert exchange.budget_period == covering


@pytest.mark.django_db
def test_an_exchange_no_period_covers_cannot_be_charged(coordinator):
    PeriodFactory(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    exchange = confirmed_exchange()
    with pytest.raises(PortalError) as refused:
        services.exchange_approve(exchange=exchange, actor=coordinator)
    assert refused.value.field == "period"


@pytest.mark.django_db
def test_withdrawing_releases_the_commitment_and_stays_in_the_lists(coordinator):
    period = PeriodFactory(amount=Decimal("5000"))
    exchange = confirmed_exchange()
    services.exchange_approve(exchange=exchange, actor=coordinator)
    services.payment_record(exchange=exchange, actor=coordinator, amount=Decimal("500"))
    services.exchange_withdraw(exchange=exchange, actor=exchange.fellow, reason="Visa refused")
    row = selectors.budget_periods().get(pk=period.pk)
    # Committed falls to what was paid; the requested amount still shows, the approved not.
    assert (row.requested, row.committed, row.paid) == (
        Decimal("4000"),
        Decimal("500"),
        Decimal("500"),
    )
    (listed,) = selectors.budget_exchanges(period)
    assert listed.status == S.WITHDRAWN
    kinds = [entry.kind for entry in selectors.ledger_of(period)]
    assert kinds == [LedgerKind.COMMITMENT, LedgerKind.PAYMENT, LedgerKind.ADJUSTMENT]
    assert selectors.ledger_of(period).last().exchange.status == S.WITHDRAWN


@pytest.mark.django_db
def test_only_the_coordinator_touches_the_budget(coordinator):
    PeriodFactory()
    exchange = confirmed_exchange()
    services.exchange_approve(exchange=exchange, actor=coordinator)
    admin = UserFactory(is_staff=True, is_superuser=True)
    for actor in [exchange.fellow, exchange.host_supervisor, admin]:
        with pytest.raises(PermissionDenied):
            services.payment_record(exchange=exchange, actor=actor, amount=Decimal("1"))
        with pytest.raises(PermissionDenied):
            services.budget_adjust(exchange=exchange, actor=actor, amount=Decimal("1"), note="x")


@pytest.mark.django_db
def test_adjustments_move_what_is_committed(coordinator):
    period = PeriodFactory(amount=Decimal("5000"))
    exchange = confirmed_exchange()
    services.exchange_approve(exchange=exchange, actor=coordinator)
    services.budget_adjust(
        exchange=exchange, actor=coordinator, amount=Decimal("-500"), note="Cheaper flight"
    )
    assert selectors.budget_periods().get(pk=period.pk).committed == Decimal("3500")
    with pytest.raises(PortalError):
        services.budget_adjust(
            exchange=exchange, actor=coordinator, amount=Decimal("1501"), note="Too much"
        )


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_approving_at_once_cannot_overspend(coordinator, second_coordinator):
    period = PeriodFactory(amount=Decimal("6000"))
    exchanges = [confirmed_exchange(), confirmed_exchange()]
    actors = [coordinator, second_coordinator]
    results = run_in_parallel(
        2, lambda i: services.exchange_approve(exchange=exchanges[i], actor=actors[i])
    )
    refused = [result for result in results if isinstance(result, PortalError)]
    approved = [result for result in results if isinstance(result, Exchange)]
    assert len(approved) == 1, results
    assert len(refused) == 1, results
    assert refused[0].code == "budget"
    assert selectors.period_committed(period.pk) == Decimal("4000")


@pytest.mark.django_db(transaction=True)
def test_fifty_approvals_racing_commit_no_more_than_the_period(coordinator):
    period = PeriodFactory(amount=Decimal("40000"))  # room for ten exchanges of 4000
    exchanges = [confirmed_exchange() for _ in range(50)]
    results = run_in_parallel(
        50, lambda i: services.exchange_approve(exchange=exchanges[i], actor=coordinator)
    )
    approved = [result for result in results if isinstance(result, Exchange)]
    others = [result for result in results if not isinstance(result, Exchange)]
    assert len(approved) == 10
    assert all(isinstance(error, PortalError) and error.code == "budget" for error in others)
    assert selectors.period_committed(period.pk) == Decimal("40000")
    assert LedgerEntry.objects.filter(kind=LedgerKind.COMMITMENT).count() == 10


@pytest.mark.django_db(transaction=True)
def test_one_application_form_sent_twice_at_once_makes_one_draft():
    import uuid

    from .factories import associate, partner

    fellow = UserFactory()
    data = {
        "title": "Twice",
        "sender": partner(),
        "host": associate(),
        "sender_supervisor_email": UserFactory().email,
        "host_supervisor_email": UserFactory().email,
        "mode": "virtual",
        "research_plan": "x",
        "expected_outcomes": "y",
    }
    token = uuid.uuid4()
    results = run_in_parallel(
        2, lambda i: services.exchange_create(actor=fellow, data=data, form_token=token)
    )
    assert Exchange.objects.count() == 1, results
    assert sorted(created for _exchange, created in results) == [False, True]


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_both_count():
    exchange = ExchangeFactory(status=S.SUBMITTED)
    supervisors = [exchange.sender_supervisor, exchange.host_supervisor]
    run_in_parallel(
        2,
        lambda i: services.exchange_confirm(exchange=exchange, actor=supervisors[i], version=1),
    )
    exchange.refresh_from_db()
    assert exchange.status == S.CONFIRMED
    assert exchange.history.filter(to_status=S.CONFIRMED).count() == 1
