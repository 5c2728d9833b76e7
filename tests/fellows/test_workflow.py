"""The exchange workflow: every transition and who may make it, the programme's rules on
submit, the beneficiary rule, reconfirmation after a change, declines and withdrawals."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry, OutboundEmail
from fellows import services
from fellows.enums import TRANSITIONS, ExchangeStatus, Mode, Side
from fellows.models import Exchange
from fellows.services import RulesBroken
from tests.factories import UserFactory

from .factories import ExchangeFactory, PeriodFactory, associate, partner

pytestmark = pytest.mark.django_db
S = ExchangeStatus


def submitted(**kwargs) -> Exchange:
    exchange = ExchangeFactory(**kwargs)
    return services.exchange_submit(exchange=exchange, actor=exchange.fellow)


def confirmed(**kwargs) -> Exchange:
    exchange = submitted(**kwargs)
    services.exchange_confirm(
        exchange=exchange, actor=exchange.sender_supervisor, version=exchange.version
    )
    return services.exchange_confirm(
        exchange=exchange, actor=exchange.host_supervisor, version=exchange.version
    )


def emails_to(user) -> list[OutboundEmail]:
    return [email for email in OutboundEmail.objects.all() if user.email in email.to]


def test_the_whole_journey_in_order(coordinator):
    PeriodFactory()
    exchange = ExchangeFactory()
    fellow = exchange.fellow
    services.exchange_submit(exchange=exchange, actor=fellow)
    # Either order: the host first here.
    services.exchange_confirm(exchange=exchange, actor=exchange.host_supervisor, version=1)
    exchange.refresh_from_db()
    assert exchange.status == S.SUBMITTED
    assert exchange.host_confirmed
    services.exchange_confirm(exchange=exchange, actor=exchange.sender_supervisor, version=1)
    exchange.refresh_from_db()
    assert exchange.status == S.CONFIRMED
    services.exchange_approve(exchange=exchange, actor=coordinator)
    services.exchange_start(exchange=exchange, actor=fellow, today=date(2027, 3, 1))
    services.exchange_complete(exchange=exchange, actor=fellow, today=date(2027, 5, 1))
    services.report_submit(
        exchange=exchange,
        actor=fellow,
        summary="Two months at the host.",
        achievements="A paper.",
        outcomes=[services.OutcomeInput(kind="paper", title="Our paper", url="https://x.org/p")],
    )
    services.report_accept(exchange=exchange, actor=coordinator)
    services.exchange_close(exchange=exchange, actor=coordinator)
    exchange.refresh_from_db()
    assert exchange.status == S.CLOSED
    steps = list(exchange.history.values_list("to_status", flat=True))
    assert steps == [
        S.SUBMITTED, S.CONFIRMED, S.APPROVED, S.IN_PROGRESS, S.COMPLETED,
        S.REPORT_SUBMITTED, S.REPORT_ACCEPTED, S.CLOSED,
    ]  # fmt: skip
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {f"fellows.exchange.{state}" for state in steps} <= actions
    assert emails_to(fellow)
    assert emails_to(exchange.host_supervisor)
    assert emails_to(coordinator)


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_the_writer_follows_the_transition_table(current, target):
    exchange = ExchangeFactory(status=current)
    if target in TRANSITIONS[current]:
        services.exchange_set_status(exchange, target, actor=exchange.fellow)
        exchange.refresh_from_db()
        assert exchange.status == target
        assert exchange.history.get().to_status == target
    else:
        with pytest.raises(PortalError) as refused:
            services.exchange_set_status(exchange, target, actor=exchange.fellow)
        assert refused.value.code == "invalid_transition"
        exchange.refresh_from_db()
        assert exchange.status == current
        assert not exchange.history.exists()


def test_only_the_parties_move_each_step(coordinator):
    exchange = ExchangeFactory()
    stranger = UserFactory()
    for actor in [stranger, exchange.sender_supervisor, coordinator]:
        with pytest.raises(PermissionDenied):
            services.exchange_submit(exchange=exchange, actor=actor)
    services.exchange_submit(exchange=exchange, actor=exchange.fellow)
    for actor in [stranger, exchange.fellow, coordinator]:
        with pytest.raises(PermissionDenied):
            services.exchange_confirm(exchange=exchange, actor=actor, version=1)
    exchange = confirmed()
    for actor in [
        stranger, exchange.fellow, exchange.sender_supervisor, exchange.host_supervisor
    ]:  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.exchange_approve(exchange=exchange, actor=actor)
        with pytest.raises(PermissionDenied):
            services.exchange_reject(exchange=exchange, actor=actor, message="No")
    for actor in [stranger, coordinator, exchange.host_supervisor]:
        with pytest.raises(PermissionDenied):
            services.exchange_withdraw(exchange=exchange, actor=actor, reason="x")


def test_a_coordinator_never_decides_on_an_exchange_they_take_part_in(coordinator):
    exchange = confirmed(host_supervisor=coordinator)
    with pytest.raises(PermissionDenied):
        services.exchange_approve(exchange=exchange, actor=coordinator)


def test_a_superuser_cannot_act_as_fellow_supervisor_or_coordinator():
    admin = UserFactory(is_staff=True, is_superuser=True)
    exchange = ExchangeFactory()
    with pytest.raises(PermissionDenied):
        services.exchange_submit(exchange=exchange, actor=admin)
    exchange = submitted()
    with pytest.raises(PermissionDenied):
        services.exchange_confirm(exchange=exchange, actor=admin, version=1)
    with pytest.raises(PermissionDenied):
        services.exchange_approve(exchange=confirmed(), actor=admin)


# --- The rules on submit ---------------------------------------------------------------------


def breaches_of(**kwargs) -> dict[str, str]:
    exchange = ExchangeFactory(**kwargs)
    with pytest.raises(RulesBroken) as refused:
        services.exchange_submit(exchange=exchange, actor=exchange.fellow)
    exchange.refresh_from_db()
    assert exchange.status == S.DRAFT
    return {breach.field: breach.message for breach in refused.value.breaches}


def test_neither_a_full_partner_is_refused_beside_the_sender():
    assert "full partner" in breaches_of(sender=associate(), host=associate())["sender"]


def test_either_side_may_be_the_full_partner():
    assert submitted(sender=associate(), host=partner()).beneficiary == Side.HOST
    assert submitted(sender=partner(), host=associate()).beneficiary == Side.SENDER
    # Both full partners: the sender is paid.
    assert submitted(sender=partner(), host=partner()).beneficiary == Side.SENDER


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (date(2027, 3, 1), date(2027, 3, 30), False),  # a day short of a month
        (date(2027, 3, 1), date(2027, 3, 31), True),  # one month
        (date(2027, 3, 1), date(2027, 5, 31), True),  # three months
        (date(2027, 3, 1), date(2027, 6, 1), False),  # a day over three months
        (date(2027, 1, 31), date(2027, 2, 26), False),  # a month from 31 January: 27 February
        (date(2027, 1, 31), date(2027, 2, 27), True),
    ],
)
def test_the_physical_part_lasts_one_to_three_months(start, end, ok):
    kwargs = {"start_date": start, "end_date": end, "subsistence_months": 1}
    if ok:
        assert submitted(**kwargs).status == S.SUBMITTED
    else:
        assert "end_date" in breaches_of(**kwargs)


@time_machine.travel(date(2027, 3, 2), tick=False)
def test_a_physical_part_may_not_start_in_the_past_when_typed():
    fellow = UserFactory()
    data = {
        "title": "Late",
        "sender": partner(),
        "host": associate(),
        "sender_supervisor_email": UserFactory().email,
        "host_supervisor_email": UserFactory().email,
        "mode": Mode.HYBRID,
        "start_date": date(2027, 3, 1),
        "end_date": date(2027, 3, 31),
        "research_plan": "x",
        "expected_outcomes": "y",
    }
    with pytest.raises(RulesBroken) as refused:
        services.exchange_create(actor=fellow, data=data)
    assert refused.value.field == "start_date"
    assert not Exchange.objects.exists()
    # Today is fine; so is a virtual exchange, which has no physical part.
    services.exchange_create(actor=fellow, data={**data, "start_date": date(2027, 3, 2)})
    services.exchange_create(actor=fellow, data={**data, "mode": Mode.VIRTUAL})


def test_a_start_that_has_since_passed_does_not_block_other_edits():
    exchange = ExchangeFactory(start_date=date(2027, 3, 1), end_date=date(2027, 4, 30))
    with time_machine.travel(date(2027, 3, 10), tick=False):
        exchange, changed = services.exchange_update(
            exchange=exchange, actor=exchange.fellow, data={"title": "Renamed"}
        )
        assert changed == ["title"]
        with pytest.raises(RulesBroken) as refused:
            services.exchange_update(
                exchange=exchange, actor=exchange.fellow, data={"start_date": date(2027, 3, 5)}
            )
        assert refused.value.field == "start_date"
        virtual = ExchangeFactory(mode=Mode.VIRTUAL)
        with pytest.raises(RulesBroken):  # becoming physical with a start already past
            services.exchange_update(
                exchange=virtual, actor=virtual.fellow, data={"mode": Mode.PHYSICAL}
            )
    exchange.refresh_from_db()
    assert (exchange.start_date, exchange.title) == (date(2027, 3, 1), "Renamed")


def test_end_before_start_is_refused():
    assert breaches_of(start_date=date(2027, 3, 1), end_date=date(2027, 2, 1))["end_date"] == (
        "The end must be after the start."
    )


def test_a_physical_exchange_needs_dates():
    assert "start_date" in breaches_of(start_date=None)


def test_caps_are_refused_line_by_line():
    breaches = breaches_of(
        travel_amount=Decimal("1500.01"),
        subsistence_monthly=Decimal("2000.01"),
        other_amount=Decimal("501"),
        subsistence_months=3,
    )
    assert "cap" in breaches["travel_amount"]
    assert "cap" in breaches["subsistence_monthly"]
    assert "cap" in breaches["other_amount"]
    # Two months of physical part: no third month of subsistence.
    assert "2 month" in breaches["subsistence_months"]


def test_negative_amounts_are_refused_even_in_a_draft():
    exchange = ExchangeFactory()
    with pytest.raises(RulesBroken) as refused:
        services.exchange_update(
            exchange=exchange,
            actor=exchange.fellow,
            data={"travel_amount": Decimal("-1"), "subsistence_months": -1},
        )
    assert {breach.field for breach in refused.value.breaches} == {
        "travel_amount",
        "subsistence_months",
    }
    exchange.refresh_from_db()
    assert exchange.travel_amount == Decimal("1000")


def test_a_virtual_exchange_requests_nothing():
    assert submitted(
        mode=Mode.VIRTUAL,
        start_date=None,
        end_date=None,
        travel_amount=0,
        subsistence_monthly=0,
        subsistence_months=0,
    ).requested_amount == Decimal(0)
    assert "travel_amount" in breaches_of(mode=Mode.VIRTUAL, subsistence_months=0)


def test_the_sender_cannot_be_the_host():
    organisation = partner()
    fellow = UserFactory()
    with pytest.raises(PortalError) as refused:
        services.exchange_create(
            actor=fellow,
            data={
                "title": "Same",
                "sender": organisation,
                "host": organisation,
                "sender_supervisor_email": UserFactory().email,
                "host_supervisor_email": UserFactory().email,
                "mode": Mode.VIRTUAL,
                "research_plan": "x",
                "expected_outcomes": "y",
            },
        )
    assert refused.value.field == "host"
    assert not Exchange.objects.exists()


# --- Confirmations, declines, new versions -----------------------------------------------------


def test_a_decline_reaches_the_fellow_the_other_side_and_the_coordinator(coordinator):
    exchange = submitted()
    services.exchange_confirm(exchange=exchange, actor=exchange.sender_supervisor, version=1)
    OutboundEmail.objects.all().delete()
    services.exchange_decline(
        exchange=exchange, actor=exchange.host_supervisor, reason="No desk free in March."
    )
    exchange.refresh_from_db()
    assert exchange.status == S.DRAFT
    assert exchange.declined_by == Side.HOST
    assert exchange.decline_reason == "No desk free in March."
    assert exchange.sender_confirmed_version is None
    for person in [exchange.fellow, exchange.sender_supervisor, coordinator]:
        (email,) = emails_to(person)
        assert "No desk free in March." in email.body_text
    assert exchange.history.last().message == "No desk free in March."


def test_a_decline_needs_a_reason():
    exchange = submitted()
    with pytest.raises(PortalError) as refused:
        services.exchange_decline(exchange=exchange, actor=exchange.host_supervisor, reason=" ")
    assert refused.value.field == "reason"


def test_changing_dates_after_a_confirmation_needs_both_confirmations_again():
    exchange = confirmed()
    assert exchange.status == S.CONFIRMED
    OutboundEmail.objects.all().delete()
    exchange, changed = services.exchange_update(
        exchange=exchange,
        actor=exchange.fellow,
        data={"end_date": date(2027, 5, 31), "subsistence_months": 3},
    )
    assert changed == ["end_date", "subsistence_months"]
    assert exchange.status == S.SUBMITTED
    assert exchange.version == 2
    assert not exchange.sender_confirmed
    assert not exchange.host_confirmed
    (email,) = emails_to(exchange.host_supervisor)
    assert "2027-04-30 → 2027-05-31" in email.body_text
    # A page read before the change cannot confirm the new version.
    with pytest.raises(PortalError) as stale:
        services.exchange_confirm(exchange=exchange, actor=exchange.host_supervisor, version=1)
    assert stale.value.code == "stale"
    from fellows.selectors import version_differences

    labels = {difference.label for difference in version_differences(exchange)}
    assert labels == {"end of the physical part", "months of subsistence"}
    services.exchange_confirm(exchange=exchange, actor=exchange.host_supervisor, version=2)
    services.exchange_confirm(exchange=exchange, actor=exchange.sender_supervisor, version=2)
    exchange.refresh_from_db()
    assert exchange.status == S.CONFIRMED


def test_changing_the_plan_text_keeps_the_confirmations():
    exchange = confirmed()
    exchange, _changed = services.exchange_update(
        exchange=exchange, actor=exchange.fellow, data={"research_plan": "Sharper plan."}
    )
    assert exchange.status == S.CONFIRMED
    assert exchange.version == 1


def test_an_exchange_begins_and_ends_no_earlier_than_its_dates(coordinator):
    PeriodFactory()
    exchange = confirmed()
    services.exchange_approve(exchange=exchange, actor=coordinator)
    with pytest.raises(PortalError, match="starts on 1 March 2027"):
        services.exchange_start(exchange=exchange, actor=exchange.fellow, today=date(2027, 2, 28))
    services.exchange_start(exchange=exchange, actor=exchange.fellow, today=date(2027, 3, 1))
    with pytest.raises(PortalError, match="ends on 30 April 2027"):
        services.exchange_complete(
            exchange=exchange, actor=exchange.fellow, today=date(2027, 4, 29)
        )
    exchange.refresh_from_db()
    assert exchange.status == S.IN_PROGRESS


@pytest.mark.parametrize("side", ["sender_supervisor", "host_supervisor"])
def test_the_fellow_cannot_supervise_their_own_exchange(side):
    exchange = ExchangeFactory()
    setattr(exchange, side, exchange.fellow)
    setattr(exchange, f"{side}_email", exchange.fellow.email.upper())
    exchange.save()

    with pytest.raises(RulesBroken) as refused:
        services.exchange_submit(exchange=exchange, actor=exchange.fellow)

    assert f"{side}_email" in {breach.field for breach in refused.value.breaches}
    exchange.refresh_from_db()
    assert exchange.status == S.DRAFT


def test_each_party_gets_their_own_email_and_never_sees_the_others_address():
    exchange = submitted()
    for email in OutboundEmail.objects.all():
        assert len(email.to) == 1, email.to
    assert emails_to(exchange.sender_supervisor)
    assert emails_to(exchange.host_supervisor)


def test_a_change_after_submission_is_checked_against_the_rules():
    exchange = submitted()
    with pytest.raises(RulesBroken):
        services.exchange_update(
            exchange=exchange, actor=exchange.fellow, data={"travel_amount": Decimal("-5")}
        )
    exchange.refresh_from_db()
    assert exchange.travel_amount == Decimal("1000")


def test_withdrawal_needs_a_reason_and_stops_at_completion(coordinator):
    exchange = ExchangeFactory(status=S.COMPLETED)
    with pytest.raises(PortalError):
        services.exchange_withdraw(exchange=exchange, actor=exchange.fellow, reason="Ill")
    exchange = submitted()
    with pytest.raises(PortalError):
        services.exchange_withdraw(exchange=exchange, actor=exchange.fellow, reason="")
    services.exchange_withdraw(exchange=exchange, actor=exchange.fellow, reason="Ill")
    exchange.refresh_from_db()
    assert exchange.status == S.WITHDRAWN
    assert exchange.withdraw_reason == "Ill"


def test_a_draft_created_twice_with_one_token_is_one_draft():
    import uuid

    fellow = UserFactory()
    data = {
        "title": "Once",
        "sender": partner(),
        "host": associate(),
        "sender_supervisor_email": UserFactory().email,
        "host_supervisor_email": UserFactory().email,
        "mode": Mode.VIRTUAL,
        "research_plan": "x",
        "expected_outcomes": "y",
    }
    token = uuid.uuid4()
    first, created = services.exchange_create(actor=fellow, data=data, form_token=token)
    again, created_again = services.exchange_create(actor=fellow, data=data, form_token=token)
    assert created
    assert not created_again
    assert first == again


def test_host_feedback_and_a_returned_report(coordinator):
    exchange = ExchangeFactory(status=S.COMPLETED)
    with pytest.raises(PermissionDenied):
        services.report_feedback(exchange=exchange, actor=exchange.fellow, feedback="x")
    services.report_submit(
        exchange=exchange, actor=exchange.fellow, summary="S", achievements="A", outcomes=[]
    )
    with pytest.raises(PermissionDenied):
        services.report_feedback(
            exchange=exchange, actor=exchange.sender_supervisor, feedback="Fine"
        )
    services.report_feedback(exchange=exchange, actor=exchange.host_supervisor, feedback="Great")
    assert exchange.report.host_feedback == "Great"
    services.report_return(exchange=exchange, actor=coordinator, message="Add the dataset.")
    exchange.refresh_from_db()
    assert exchange.status == S.COMPLETED
    assert exchange.history.last().message == "Add the dataset."


def test_a_testimonial_waits_for_completion_and_approval(coordinator):
    exchange = ExchangeFactory(status=S.IN_PROGRESS)
    with pytest.raises(PortalError):
        services.exchange_testimonial_send(exchange=exchange, actor=exchange.fellow, text="Hi")
    exchange = ExchangeFactory(status=S.COMPLETED)
    testimonial = services.exchange_testimonial_send(
        exchange=exchange, actor=exchange.fellow, text="Wonderful"
    )
    with pytest.raises(PermissionDenied):
        services.exchange_testimonial_approve(testimonial=testimonial, actor=exchange.fellow)
    services.exchange_testimonial_approve(testimonial=testimonial, actor=coordinator)
    testimonial.refresh_from_db()
    assert testimonial.status == "published"
    assert testimonial.published_at is not None
    with pytest.raises(PortalError):
        services.exchange_testimonial_approve(testimonial=testimonial, actor=coordinator)


def test_outcomes_link_to_published_outputs_only(coordinator):
    from tests.outputs.factories import OutputFactory

    exchange = ExchangeFactory(status=S.COMPLETED)
    draft = OutputFactory(status="draft")
    with pytest.raises(PortalError):
        services.report_submit(
            exchange=exchange,
            actor=exchange.fellow,
            summary="S",
            achievements="A",
            outcomes=[services.OutcomeInput(kind="paper", title="T", output_id=draft.pk)],
        )
    published = OutputFactory()
    services.report_submit(
        exchange=exchange,
        actor=exchange.fellow,
        summary="S",
        achievements="A",
        outcomes=[services.OutcomeInput(kind="paper", title="T", output_id=published.pk)],
    )
    assert exchange.outcomes.get().output == published
