"""The shared view helpers and page components every pillar uses."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from ai4media_portal.core.status import Tone, register_tones, tone_of
from ai4media_portal.core.web import listing_query, paginate


def test_tone_of_known_registered_and_unknown_values():
    assert tone_of("approved") == Tone.POSITIVE
    assert tone_of("selected") == Tone.POSITIVE  # named by the open calls
    assert tone_of("information-requested") == Tone.ATTENTION
    assert tone_of("something-new") == Tone.PROGRESS


def test_register_tones_refuses_a_second_tone_for_a_value():
    with pytest.raises(ValueError, match="already has the tone"):
        register_tones({"approved": Tone.NEGATIVE})
    register_tones({"approved": Tone.POSITIVE})  # the same tone again is fine
    assert tone_of("approved") == Tone.POSITIVE


def test_status_badge_carries_words_icon_and_tone():
    html = render_to_string(
        "components/status_badge.html", {"value": "rejected", "label": "Not selected"}
    )
    assert 'class="badge status-badge tone-negative"' in html
    assert '<i class="bi bi-x-circle" aria-hidden="true"></i> Not selected' in html


def test_paginate_falls_back_to_first_and_last_pages():
    items = list(range(25))
    assert paginate(RequestFactory().get("/?page=x"), items, 10).number == 1
    assert paginate(RequestFactory().get("/?page=99"), items, 10).number == 3
    assert list(paginate(RequestFactory().get("/?page=2"), items, 10)) == list(range(10, 20))


def test_pagination_component_keeps_the_listing_query():
    page = paginate(RequestFactory().get("/?page=2"), list(range(30)), 10)
    html = render_to_string(
        "components/pagination.html",
        {"page": page, "page_query": "q=media&sort=name", "label": "Directory pages"},
    )
    assert '<nav aria-label="Directory pages">' in html
    assert 'href="?q=media&amp;sort=name&amp;page=1" rel="prev"' in html
    assert 'href="?q=media&amp;sort=name&amp;page=3" rel="next"' in html
    assert '<li class="page-item active" aria-current="page"><span class="page-link">2</span>' in (
        html
    )


def test_pagination_component_is_empty_for_one_page():
    page = paginate(RequestFactory().get("/"), [1, 2], 10)
    assert render_to_string("components/pagination.html", {"page": page}).strip() == ""


def test_listing_query_drops_page_and_empty_values_and_applies_changes():
    params = {"q": "média", "country": "", "page": "4", "sort": "name"}
    assert listing_query(params) == "q=m%C3%A9dia&sort=name"
    assert listing_query(params, page=2) == "q=m%C3%A9dia&sort=name&page=2"
    assert listing_query(params, sort="") == "q=m%C3%A9dia"
