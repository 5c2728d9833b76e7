import zoneinfo

import pytest
from django.utils.formats import date_format

from ai4media_portal.accounts.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/network/",
    "/observatory/",
    "/aida/",
    "/calls/",
    "/fellows/",
    "/outputs/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_has_accessible_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="pillar-nav" aria-label="Main">' in html
    assert "<footer" in html


def test_navigation_marks_current_pillar(client):
    html = client.get("/aida/").content.decode()
    assert 'href="/aida/" aria-current="page"' in html


def test_times_are_shown_in_the_users_timezone(client):
    user = UserFactory(timezone="Asia/Tokyo")
    token, _ = api_token_create(user=user, name="tz")
    client.force_login(user)
    html = client.get("/me/profile/").content.decode()
    tokyo = token.created_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    brussels = token.created_at.astimezone(zoneinfo.ZoneInfo("Europe/Brussels"))
    assert date_format(tokyo, "SHORT_DATETIME_FORMAT") in html
    assert date_format(brussels, "SHORT_DATETIME_FORMAT") not in html
