import pytest

from tests.network.factories import OrganisationFactory
from tests.opencalls.factories import CallFactory
from tests.utils import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_home_shows_the_pillars_key_numbers_and_open_calls(client):
    for country in ("BE", "BE", "IT"):
        OrganisationFactory(country=country)
    CallFactory(title="Media AI now")
    response = client.get("/")
    figures = [(figure.value, figure.label) for figure in response.context["figures"]]
    assert figures == [
        (3, "member organisations"),
        (2, "countries"),
        (0, "Observatory articles"),
        (0, "funded projects"),
        (0, "AIDA member institutions"),
        (0, "AIDA courses"),
        (0, "publications"),
        (0, "datasets"),
        (0, "software tools"),
        (0, "fellows' exchanges"),
    ]
    assert [panel.title for panel in response.context["panels"]] == ["Open for proposals"]
    html = response.content.decode()
    assert "Media AI now" in html
    assert "data-countdown" in html


def test_home_without_open_calls_shows_no_empty_box(client):
    response = client.get("/")
    assert response.context["panels"] == []
    assert "Open for proposals" not in response.content.decode()


def test_home_query_count_does_not_grow_with_open_calls(client):
    assert_constant_queries(client, "/", CallFactory)
