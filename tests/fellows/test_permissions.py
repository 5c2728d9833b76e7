"""Who may open which page of the fellows programme: the permission matrix, with the staff
and superuser rows. A non-party gets 404 for an exchange, never a hint that it exists."""

import pytest

from fellows.enums import ExchangeStatus
from tests.factories import UserFactory
from tests.utils import Access, check_matrix

from .factories import ExchangeFactory, OfferFactory

pytestmark = pytest.mark.django_db
S = ExchangeStatus
OUTSIDERS = ["member", "staff", "superuser", "network-manager", "call-manager", "partner"]


@pytest.fixture
def cast(people):
    exchange = ExchangeFactory(status=S.SUBMITTED)
    return {
        **people,
        "fellow": exchange.fellow,
        "sender-supervisor": exchange.sender_supervisor,
        "host-supervisor": exchange.host_supervisor,
        "_exchange": exchange,
    }


def test_public_pages(client, cast):
    offer = OfferFactory()
    rows = [
        Access("get", url, who, 200)
        for url in [
            "/fellows/",
            "/fellows/numbers/",
            "/fellows/offers/",
            f"/fellows/offers/{offer.pk}/",
            "/fellows/fellows/",
            "/fellows/testimonials/",
            "/fellows/completed/",
        ]
        for who in ["anonymous", "member", "fellows-coordinator"]
    ]
    check_matrix(client, cast, rows)


def test_exchange_pages(client, cast):
    exchange = cast["_exchange"]
    url = f"/fellows/exchanges/{exchange.pk}/"
    rows = [
        Access("get", url, "anonymous", 302),
        *[
            Access("get", url, who, 200)
            for who in ["fellow", "sender-supervisor", "host-supervisor", "fellows-coordinator"]
        ],
        *[Access("get", url, who, 404) for who in OUTSIDERS],
        Access("get", f"/fellows/exchanges/{exchange.pk}/edit/", "fellow", 200),
        Access("get", f"/fellows/exchanges/{exchange.pk}/edit/", "host-supervisor", 403),
        *[Access("get", f"/fellows/exchanges/{exchange.pk}/edit/", who, 404) for who in OUTSIDERS],
        # Actions: a non-party 404, a party without the power 403.
        *[
            Access("post", f"/fellows/exchanges/{exchange.pk}/approve/", who, 404, {})
            for who in OUTSIDERS
        ],
        Access("post", f"/fellows/exchanges/{exchange.pk}/approve/", "fellow", 403, {}),
        Access("post", f"/fellows/exchanges/{exchange.pk}/confirm/", "fellow", 403, {}),
        Access("post", f"/fellows/exchanges/{exchange.pk}/withdraw/", "host-supervisor", 403, {}),
        Access("post", f"/fellows/exchanges/{exchange.pk}/nonsense/", "fellow", 404, {}),
    ]
    check_matrix(client, cast, rows)


def test_coordinator_pages(client, cast):
    rows = []
    for url in [
        "/fellows/manage/exchanges/",
        "/fellows/manage/exchanges/export/",
        "/fellows/manage/budget/",
        "/fellows/manage/testimonials/",
    ]:
        rows += [
            Access("get", url, "anonymous", 302),
            Access("get", url, "fellows-coordinator", 200),
            *[Access("get", url, who, 403) for who in [*OUTSIDERS, "fellow", "host-supervisor"]],
        ]
    check_matrix(client, cast, rows)


def test_signed_in_pages(client, cast):
    rows = []
    for url in ["/fellows/exchanges/", "/fellows/exchanges/new/", "/fellows/profile/"]:
        rows += [Access("get", url, "anonymous", 302), Access("get", url, "member", 200)]
    check_matrix(client, cast, rows)


def test_a_conversation_is_for_its_two_people_only(client, cast):
    from fellows import services

    offer = OfferFactory()
    fellow = UserFactory()
    conversation = services.interest_send(offer=offer, actor=fellow, body="Hello")
    url = f"/fellows/conversations/{conversation.pk}/"
    people = {**cast, "writer": fellow, "supervisor": offer.supervisor}
    rows = [
        Access("get", url, "writer", 200),
        Access("get", url, "supervisor", 200),
        *[Access("get", url, who, 404) for who in [*OUTSIDERS, "fellows-coordinator"]],
    ]
    check_matrix(client, people, rows)


def test_only_contacts_publish_offers_for_their_organisation(client, cast):
    from tests.network.factories import ContactFactory

    contact = ContactFactory()
    people = {**cast, "contact": contact.user}
    rows = [
        Access("get", "/fellows/offers/new/", "contact", 200),
        Access("get", "/fellows/offers/new/", "fellows-coordinator", 200),
        *[Access("get", "/fellows/offers/new/", who, 403) for who in OUTSIDERS],
    ]
    check_matrix(client, people, rows)
