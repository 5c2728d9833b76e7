"""The catalogue, record pages and API list come from the shared cache for visitors; a change
shows at once, and an embargo's date opens the download on a cached page."""

import datetime

import pytest
import time_machine

from outputs.enums import Access as OutputAccess
from outputs.models import embargo_today
from tests.network.factories import ContactFactory

from .factories import OutputFactory
from .test_files import make_brief

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def public_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "public-cache"),
        },
    }
    settings.PUBLIC_CACHE_ALIAS = "public"


def test_a_changed_record_shows_at_once_in_the_catalogue_its_page_and_the_api(client):
    output = OutputFactory(title="Robust detection of cloned voices")
    urls = ["/outputs/", output.get_absolute_url(), "/api/v1/outputs/"]
    for url in urls:
        assert client.get(url)["X-Cache"] == "MISS"
        assert client.get(url)["X-Cache"] == "HIT"

    output.title = "Robust detection of synthetic voices"
    output.save()

    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Robust detection of synthetic voices" in response.content.decode(), url


def test_an_embargo_ending_opens_the_download_on_a_page_cached_the_day_before(client):
    brussels_noon = datetime.datetime.combine(
        embargo_today(), datetime.time(12), tzinfo=datetime.UTC
    )
    output = make_brief(
        ContactFactory(),
        access=OutputAccess.EMBARGOED,
        embargo_until=embargo_today() + datetime.timedelta(days=1),
    )
    download = f'href="/outputs/{output.pk}/file"'
    with time_machine.travel(brussels_noon, tick=False):
        assert download not in client.get(output.get_absolute_url()).content.decode()
        assert client.get(output.get_absolute_url())["X-Cache"] == "HIT"

    with time_machine.travel(brussels_noon + datetime.timedelta(days=1), tick=False):
        response = client.get(output.get_absolute_url())

    assert response["X-Cache"] == "MISS"
    assert download in response.content.decode()
