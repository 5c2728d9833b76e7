"""Factories of the fellows programme's tests."""

from datetime import date
from decimal import Decimal

import factory

from fellows.enums import ExchangeStatus, Mode
from fellows.models import BudgetPeriod, Exchange, HostOffer
from network.enums import NetworkRole
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory


def partner(**kwargs):
    """An organisation that is a full partner of the consortium."""
    return OrganisationFactory(role=NetworkRole.CONSORTIUM_PARTNER, **kwargs)


def associate(**kwargs):
    """An associate member: not a full partner."""
    return OrganisationFactory(role=NetworkRole.ASSOCIATE_MEMBER, **kwargs)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetPeriod

    name = factory.Sequence(lambda n: f"Period {n}")
    starts_on = date(2027, 1, 1)
    ends_on = date(2027, 12, 31)
    amount = Decimal("10000")


class ExchangeFactory(factory.django.DjangoModelFactory):
    """A draft physical exchange of two months from a full partner to an associate member,
    requesting 1000 + 1500 × 2 + 0 = 4000 euros. ``status=`` puts it elsewhere (no history)."""

    class Meta:
        model = Exchange

    fellow = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Exchange {n} on media forensics")
    sender = factory.LazyFunction(partner)
    sender_supervisor = factory.SubFactory(UserFactory)
    sender_supervisor_email = factory.LazyAttribute(lambda o: o.sender_supervisor.email)
    host = factory.LazyFunction(lambda: associate(country="FR"))
    host_supervisor = factory.SubFactory(UserFactory)
    host_supervisor_email = factory.LazyAttribute(lambda o: o.host_supervisor.email)
    mode = Mode.PHYSICAL
    start_date = date(2027, 3, 1)
    end_date = date(2027, 4, 30)
    research_plan = "Deepfake detection in broadcast archives."
    expected_outcomes = "A joint paper and a dataset."
    travel_amount = Decimal("1000")
    subsistence_monthly = Decimal("1500")
    subsistence_months = 2
    other_amount = Decimal("0")
    status = ExchangeStatus.DRAFT


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostOffer

    organisation = factory.LazyFunction(partner)
    supervisor = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Host offer {n}: multimodal misinformation")
    topics = "misinformation, multimodal learning"
    description = "Join our lab for a few months."
    modes = factory.LazyFunction(lambda: [Mode.PHYSICAL, Mode.HYBRID])
    available_from = date(2027, 1, 1)
    available_until = date(2027, 12, 31)
    places = 2
