"""The last seats under parallel requests, and the waitlist's order after any cancellations."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aida import selectors, services
from aida.models import Enrolment, Offering
from tests.concurrency import run_in_parallel

from .factories import EnrolmentFactory, OfferingFactory, StudentFactory


@pytest.mark.django_db(transaction=True)
def test_twelve_students_for_the_last_three_seats():
    offering = OfferingFactory(capacity=5)
    for _ in range(2):  # two seats already taken
        EnrolmentFactory(offering=offering, user=StudentFactory().user)
    Offering.objects.filter(pk=offering.pk).update(seats_taken=2)
    users = [StudentFactory().user for _ in range(12)]

    results = run_in_parallel(
        12, lambda i: services.enrolment_request(offering=offering, actor=users[i])
    )

    assert [r for r in results if isinstance(r, BaseException)] == []
    served = sorted(results, key=lambda e: (e.requested_at, e.pk))
    assert [e.status for e in served] == ["confirmed"] * 3 + ["waitlisted"] * 9
    offering.refresh_from_db()
    assert (offering.status, offering.seats_taken, offering.waitlist_length) == ("full", 5, 9)
    # The waitlist is in the order the requests were served under the lock.
    assert [e.pk for e in selectors.waitlist(offering)] == [e.pk for e in served[3:]]


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    capacity=st.integers(min_value=1, max_value=4),
    requests=st.integers(min_value=1, max_value=9),
    cancellations=st.lists(st.integers(min_value=0, max_value=8), max_size=6),
)
def test_waitlist_order_after_cancellations(capacity, requests, cancellations):
    """Whatever is cancelled, the seated are never more than the seats, and everyone still
    waiting keeps the order they asked in, behind no later request."""
    offering = OfferingFactory(capacity=capacity)
    users = [StudentFactory().user for _ in range(requests)]
    order = {u.pk: i for i, u in enumerate(users)}
    for user in users:
        services.enrolment_request(offering=offering, actor=user)
    for index in cancellations:
        user = users[index % requests]
        enrolment = Enrolment.objects.get(offering=offering, user=user)
        if enrolment.status in ("confirmed", "waitlisted"):
            services.enrolment_cancel(enrolment=enrolment, actor=user)
    rows = list(Enrolment.objects.filter(offering=offering))
    seated = [e for e in rows if e.status == "confirmed"]
    waiting = list(selectors.waitlist(offering))
    assert len(seated) == min(capacity, requests - sum(e.status == "cancelled" for e in rows))
    assert [order[e.user_id] for e in waiting] == sorted(order[e.user_id] for e in waiting)
    # Nobody jumps the queue: everyone seated asked before anyone still waiting.
    if waiting:
        assert max(order[e.user_id] for e in seated) < order[waiting[0].user_id]
    offering.refresh_from_db()
    assert (offering.seats_taken, offering.waitlist_length) == (len(seated), len(waiting))
