"""The fellows demo data: the programme's shape, every state, consistent budgets, idempotent."""

import pytest
from django.db.models import Count

from ai4media_portal.core.demo import DemoContext
from fellows import demo, models, selectors
from fellows.enums import ExchangeStatus, Mode
from fellows.enums import TestimonialStatus as Shown
from fellows.models import Exchange, HostOffer
from network import demo as network_demo

pytestmark = pytest.mark.django_db


def _seed():
    ctx = DemoContext(log=lambda message: None)
    network_demo.seed(ctx)
    demo.seed(ctx)


def test_demo_programme_has_every_state_and_a_sound_budget():
    _seed()
    assert HostOffer.objects.count() >= 20
    assert Exchange.objects.count() >= 60
    assert set(Exchange.objects.values_list("status", flat=True)) == set(ExchangeStatus.values)
    modes = dict(Exchange.objects.values_list("mode").annotate(n=Count("pk")))
    assert modes[Mode.PHYSICAL] > modes[Mode.VIRTUAL] + modes[Mode.HYBRID]
    assert len({year for year, _n in selectors.exchanges_per_year()}) >= 5
    for period in selectors.budget_periods():
        assert 0 <= period.paid <= period.committed <= period.amount, period
    assert models.Testimonial.objects.filter(status=Shown.PUBLISHED).exists()
    assert models.Testimonial.objects.filter(status=Shown.PENDING).exists()
    # Every funded exchange obeys the full-partner rule.
    for exchange in Exchange.objects.exclude(status=ExchangeStatus.DRAFT):
        assert selectors.beneficiary_side(exchange.sender_id, exchange.host_id) is not None
    fellow = Exchange.objects.filter(fellow__email="fellow@demo.ai4media.eu")
    assert fellow.filter(
        status=ExchangeStatus.SUBMITTED,
        sender_supervisor__email="supervisor.sender@demo.ai4media.eu",
        host_supervisor__email="supervisor.host@demo.ai4media.eu",
    ).exists()


def test_seeding_twice_adds_nothing():
    _seed()
    counts = (Exchange.objects.count(), HostOffer.objects.count())
    _seed()
    assert (Exchange.objects.count(), HostOffer.objects.count()) == counts
