"""The outputs in the site's sitemap index."""

import re

import pytest
from django.contrib.sites.models import Site

from observatory.enums import ContentStatus
from outputs.enums import OutputStatus
from tests.observatory.factories import ContentItemFactory
from tests.utils import assert_constant_queries

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site() -> str:
    """The address the sitemaps give (the sites framework's current domain)."""
    return f"http://{Site.objects.get_current().domain}"


def locations(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


def test_index_links_each_pillars_sitemap(client, site):
    assert locations(client.get("/sitemap.xml")) == [
        f"{site}/sitemap-observatory.xml",
        f"{site}/sitemap-outputs.xml",
    ]


def test_outputs_sitemap_lists_published_records_only(client, site):
    public = OutputFactory()
    OutputFactory(status=OutputStatus.DRAFT)
    OutputFactory(status=OutputStatus.DELETED)
    assert locations(client.get("/sitemap-outputs.xml")) == [f"{site}/outputs/{public.pk}/"]
    assert "<lastmod>" in client.get("/sitemap-outputs.xml").content.decode()


def test_observatory_joins_the_index(client, site):
    piece = ContentItemFactory(status=ContentStatus.PUBLISHED)
    assert f"{site}{piece.get_absolute_url()}" in locations(client.get("/sitemap-observatory.xml"))


def test_unknown_section_is_not_found(client):
    assert client.get("/sitemap-poems.xml").status_code == 404


def test_outputs_sitemap_queries_constant(client):
    client.get("/sitemap-outputs.xml")  # the current site is cached after the first request
    # The paginator's count and the page.
    assert assert_constant_queries(client, "/sitemap-outputs.xml", OutputFactory) == 2
