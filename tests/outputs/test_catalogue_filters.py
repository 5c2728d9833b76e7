"""The catalogue's facets sit behind a "Filter" disclosure that says how many are active, so
that a phone shows the first results before dozens of facet links."""

import re

import pytest

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    match = re.search(r'<details class="output-filters">\s*<summary>(.*?)</summary>', html, re.S)
    assert match, "the facets are not behind the disclosure"
    return match.group(1).strip()


def test_the_facets_wait_behind_a_disclosure_that_counts_the_active_ones(client):
    OutputFactory(kind="dataset", date_year=2024)
    OutputFactory()

    html = client.get("/outputs/").content.decode()
    assert _summary(html) == "Filter"
    details = html[html.index('<details class="output-filters">') : html.index("</details>")]
    assert "?kind=dataset" in details  # the facet links are inside it
    assert '<details class="output-filters" open' not in html  # closed unless the screen is wide

    html = client.get("/outputs/?kind=dataset&year=2024&q=deepfake").content.decode()
    assert _summary(html) == "Filter (2 active)"  # the search is not a facet
    assert html.index('id="id_q"') < html.index('<details class="output-filters">')
