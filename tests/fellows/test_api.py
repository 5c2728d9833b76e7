"""The fellows API: host offers for everyone, exchanges as a public summary of completed ones
and the full record for the parties and the coordinators; filters; 404 for the rest."""

import pytest

from fellows.api.serializers import PRIVATE_FIELDS
from fellows.enums import ExchangeStatus
from tests.factories import UserFactory

from .factories import ExchangeFactory, OfferFactory

pytestmark = pytest.mark.django_db
S = ExchangeStatus


def test_host_offers_are_public_and_filtered(api_client):
    OfferFactory(title="Audio", modes=["virtual"])
    OfferFactory(title="Video", modes=["physical"], is_open=False)
    rows = api_client.get("/api/v1/fellows/host-offers/").json()["results"]
    assert {row["title"] for row in rows} == {"Audio", "Video"}
    assert "email" not in str(rows)
    rows = api_client.get("/api/v1/fellows/host-offers/", {"mode": "physical"}).json()["results"]
    assert [row["title"] for row in rows] == ["Video"]
    rows = api_client.get("/api/v1/fellows/host-offers/", {"is_open": "yes"}).json()["results"]
    assert [row["title"] for row in rows] == ["Audio"]
    assert api_client.get("/api/v1/fellows/host-offers/", {"is_open": "maybe"}).status_code == 400


def test_exchanges_public_summary_and_full_record_for_parties(api_client):
    done = ExchangeFactory(status=S.CLOSED, beneficiary="sender")
    ongoing = ExchangeFactory(status=S.SUBMITTED)
    rows = api_client.get("/api/v1/fellows/exchanges/").json()["results"]
    assert [row["id"] for row in rows] == [done.pk]
    assert not set(PRIVATE_FIELDS) & set(rows[0])
    assert api_client.get(f"/api/v1/fellows/exchanges/{ongoing.pk}/").status_code == 404
    api_client.force_authenticate(UserFactory(is_staff=True, is_superuser=True))
    assert api_client.get(f"/api/v1/fellows/exchanges/{ongoing.pk}/").status_code == 404
    api_client.force_authenticate(ongoing.host_supervisor)
    row = api_client.get(f"/api/v1/fellows/exchanges/{ongoing.pk}/").json()
    assert set(PRIVATE_FIELDS) <= set(row)
    assert row["requested_amount"] == "4000.00"
    # The closed exchange is someone else's: its summary only.
    row = api_client.get(f"/api/v1/fellows/exchanges/{done.pk}/").json()
    assert "requested_amount" not in row
    api_client.force_authenticate(UserFactory(roles=["fellows-coordinator"]))
    rows = api_client.get("/api/v1/fellows/exchanges/", {"status": "submitted"}).json()
    assert [row["id"] for row in rows["results"]] == [ongoing.pk]
    assert rows["results"][0]["beneficiary"] == ""


def test_lists_have_constant_query_counts(api_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert api_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for url, make in [
        ("/api/v1/fellows/host-offers/", OfferFactory),
        ("/api/v1/fellows/exchanges/", lambda: ExchangeFactory(status=S.CLOSED)),
    ]:
        make()
        one = count(url)
        make()
        make()
        assert count(url) == one, url


def test_the_schema_documents_both_lists(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/fellows/host-offers/" in schema["paths"]
    assert "/api/v1/fellows/exchanges/{id}/" in schema["paths"]


@pytest.mark.parametrize("year", ["0", "-1", "10000"])
def test_a_year_no_date_has_matches_nothing(api_client, year):
    ExchangeFactory(status=S.CLOSED)
    response = api_client.get("/api/v1/fellows/exchanges/", {"year": year})
    assert response.status_code == 200
    assert response.json()["results"] == []
