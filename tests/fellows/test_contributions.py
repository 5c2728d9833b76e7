"""What the fellows programme adds to shared pages: provenance for the Outputs pillar, the
site search, an organisation's page, My portal and the home page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fellows import dashboard, organisation_sections, provenance, search
from fellows.enums import ExchangeStatus
from tests.factories import UserFactory

from .factories import ExchangeFactory, OfferFactory

pytestmark = pytest.mark.django_db
S = ExchangeStatus


def test_provenance_resolves_completed_exchanges_only_in_one_query():
    done = ExchangeFactory(status=S.CLOSED, title="Archive forensics")
    ongoing = ExchangeFactory(status=S.APPROVED)
    with CaptureQueriesContext(connection) as ctx:
        resolved = provenance.resolve([done.pk, ongoing.pk, 999999])
    assert len(ctx.captured_queries) == 1
    assert list(resolved) == [done.pk]
    title, url = resolved[done.pk]
    assert title == "Archive forensics"
    assert url.startswith("http")
    assert url.endswith(f"/fellows/completed/{done.pk}/")
    assert (provenance.KIND, provenance.LABEL) == ("fellows_exchange", "Junior Fellows exchange")


def test_search_finds_open_offers_and_completed_exchanges_only():
    OfferFactory(title="Forensics lab offer")
    OfferFactory(title="Forensics closed offer", is_open=False)
    ExchangeFactory(status=S.CLOSED, title="Forensics done")
    ExchangeFactory(status=S.SUBMITTED, title="Forensics private")
    group = search.search("forensics", user=None, limit=10)
    assert {hit.title for hit in group.hits} == {"Forensics lab offer", "Forensics done"}


def test_an_organisation_lists_what_it_sent_and_hosted():
    sent = ExchangeFactory(status=S.CLOSED, title="Sent one")
    ExchangeFactory(status=S.APPROVED, host=sent.sender, title="Hosted one")
    ExchangeFactory(status=S.SUBMITTED, sender=sent.sender, title="Not yet approved")
    (section,) = organisation_sections.sections(sent.sender)
    assert {e.title for e in section.context["exchanges"]} == {"Hosted one", "Sent one"}
    assert organisation_sections.sections(ExchangeFactory().host) == []


def test_my_portal_shows_the_coordinator_what_waits(rf):
    coordinator = UserFactory(roles=["fellows-coordinator"])
    ExchangeFactory(status=S.CONFIRMED)
    request = rf.get("/me/")
    request.user = coordinator
    (panel,) = dashboard.panels(request)
    assert panel.context["decide"] == 1
    fellow = ExchangeFactory().fellow
    request.user = fellow
    (panel,) = dashboard.panels(request)
    assert len(panel.context["exchanges"]) == 1


def test_the_home_page_and_an_organisation_page_show_the_programme(client):
    exchange = ExchangeFactory(status=S.CLOSED, title="Shown on the organisation page")
    assert client.get("/").status_code == 200
    page = client.get(exchange.sender.get_absolute_url())
    assert b"Shown on the organisation page" in page.content
