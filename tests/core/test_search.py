"""The site-wide search: each pillar's hits, only what the public may see, a fixed number of
queries whatever is found."""

import pytest

from ai4media_portal.core.search import clean_query, search_everywhere
from network.enums import NetworkRole
from tests.network.factories import OrganisationFactory
from tests.opencalls.factories import CallFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def test_clean_query_trims_controls_and_length():
    assert clean_query("  media\x00 \t literacy ") == "media literacy"
    assert clean_query(None) == ""
    assert len(clean_query("a" * 500)) == 200


def test_search_finds_listed_organisations_but_not_unlisted_ones(client):
    OrganisationFactory(name="Mediaflux Research Lab", role=NetworkRole.ASSOCIATE_MEMBER)
    OrganisationFactory(name="Mediaflux Hidden Unit", role="")
    response = client.get("/search/", {"q": "mediaflux"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mediaflux Research Lab" in html
    assert "Mediaflux Hidden Unit" not in html
    assert 'href="/network/?q=mediaflux"' in html


def test_search_never_finds_a_draft_call(client, people):
    CallFactory(title="Synthetic voices draft call", stage="draft")
    CallFactory(title="Synthetic voices open call", stage="published")
    client.force_login(people["call-manager"])
    html = client.get("/search/", {"q": "synthetic voices"}).content.decode()
    assert "Synthetic voices open call" in html
    assert "Synthetic voices draft call" not in html


def test_search_without_text_finds_nothing(client):
    OrganisationFactory(name="Anything")
    assert search_everywhere("   ", user=None) == []
    assert "Nothing matches" not in client.get("/search/").content.decode()


def test_search_says_when_nothing_matches(client):
    html = client.get("/search/", {"q": "zzzqqq"}).content.decode()
    assert "Nothing matches “zzzqqq”" in html


def test_search_query_count_is_constant(client):
    OrganisationFactory(name="Constant Media One", role=NetworkRole.ASSOCIATE_MEMBER)
    one, _ = count_queries(client, "/search/?q=constant")
    for n in range(4):
        OrganisationFactory(name=f"Constant Media {n}", role=NetworkRole.ASSOCIATE_MEMBER)
    many, _ = count_queries(client, "/search/?q=constant")
    assert one == many
