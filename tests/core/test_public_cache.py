"""The shared cache of public pages and API lists: what it serves, to whom, and that a change
shows at once — in this process and in another one sharing the cache."""

import json
import os
import subprocess
import sys
import uuid
import zoneinfo
from datetime import timedelta
from importlib import import_module
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone, translation

from ai4media_portal.core import public_cache
from ai4media_portal.core.public_cache import public_data_changed, remembered
from ai4media_portal.core.roles import Role
from network import services as network_services
from network.enums import NetworkRole
from opencalls.enums import CallStage
from tests.factories import UserFactory
from tests.network.factories import ContactFactory, OrganisationFactory, topic
from tests.opencalls.factories import CallFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_URL", "")


def _cache_config(kind: str, tmp_path) -> dict:
    if kind == "redis":
        if not REDIS_URL:
            pytest.skip("needs a real Redis (REDIS_URL)")
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "public-cache"),
    }


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path):
    """The public cache on in a cache that several processes can share: files or Redis."""
    config = _cache_config(request.param, tmp_path)
    settings.CACHES = {**settings.CACHES, "public": config}
    settings.PUBLIC_CACHE_ALIAS = "public"
    return config


@pytest.fixture
def file_cache(settings, tmp_path):
    config = _cache_config("file", tmp_path)
    settings.CACHES = {**settings.CACHES, "public": config}
    settings.PUBLIC_CACHE_ALIAS = "public"
    return config


def _api_names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_an_organisation_change_shows_at_once_on_directory_page_and_api(client, shared_cache):
    organisation = OrganisationFactory(name="Aurora Media Lab", slug="aurora")
    contact = ContactFactory(organisation=organisation).user
    urls = ["/network/", "/network/organisations/aurora/", "/api/v1/organisations/"]
    for url in urls:
        assert client.get(url)["X-Cache"] == "MISS"
        cached = client.get(url)
        assert cached["X-Cache"] == "HIT"
        assert "Aurora Media Lab" in cached.content.decode()

    network_services.organisation_update(
        organisation=organisation, actor=contact, data={"name": "Borealis Media Lab"}
    )

    directory, page, api = (client.get(url) for url in urls)
    assert [directory["X-Cache"], page["X-Cache"], api["X-Cache"]] == ["MISS", "MISS", "MISS"]
    assert "Borealis Media Lab" in directory.content.decode()
    assert "Aurora Media Lab" not in directory.content.decode()
    assert "Borealis Media Lab" in page.content.decode()
    assert _api_names(api) == ["Borealis Media Lab"]


def test_a_new_role_and_new_areas_of_interest_invalidate_the_directory(client, file_cache):
    organisation = OrganisationFactory(name="Cobalt Institute", role=False)
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    assert "Cobalt Institute" not in client.get("/network/").content.decode()
    assert client.get("/network/")["X-Cache"] == "HIT"

    network_services.organisation_role_grant(
        organisation=organisation,
        role=NetworkRole.ASSOCIATE_MEMBER,
        since=timezone.localdate(),
        actor=manager,
    )
    assert "Cobalt Institute" in client.get("/network/").content.decode()
    card_topic = "</span>Music information retrieval</p>"  # not the filter's option
    assert card_topic not in client.get("/network/").content.decode()

    network_services.organisation_update(
        organisation=organisation,
        actor=manager,
        data={},
        areas_of_interest=[topic("music-information-retrieval")],
    )
    assert card_topic in client.get("/network/").content.decode()


def test_a_change_committed_by_another_process_invalidates_this_one(client, shared_cache):
    organisation = OrganisationFactory(name="Delta Newsroom", slug="delta")
    for url in ("/network/", "/network/organisations/delta/", "/api/v1/organisations/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"

    rename = (
        "from network.models import Organisation\n"
        "organisation = Organisation.objects.get(slug='delta')\n"
        "organisation.name = 'Ember Newsroom'\n"
        "organisation.save(update_fields=['name'])\n"
    )
    _in_another_process(rename, shared_cache)

    assert "Ember Newsroom" in client.get("/network/").content.decode()
    assert "Ember Newsroom" in client.get("/network/organisations/delta/").content.decode()
    assert _api_names(client.get("/api/v1/organisations/")) == ["Ember Newsroom"]
    organisation.refresh_from_db()
    assert organisation.name == "Ember Newsroom"


def test_another_process_serves_what_this_one_cached_and_sees_its_changes(client, shared_cache):
    organisation = OrganisationFactory(name="Fjord Archive", slug="fjord")
    contact = ContactFactory(organisation=organisation).user
    fetch = (
        "import json\n"
        "from django.test import Client\n"
        "response = Client().get('/network/organisations/fjord/')\n"
        "print(json.dumps([response['X-Cache'], 'Granite Archive' in response.content.decode()]))\n"
    )
    assert client.get("/network/organisations/fjord/")["X-Cache"] == "MISS"
    assert json.loads(_in_another_process(fetch, shared_cache)) == ["HIT", False]

    network_services.organisation_update(
        organisation=organisation, actor=contact, data={"name": "Granite Archive"}
    )

    assert json.loads(_in_another_process(fetch, shared_cache)) == ["MISS", True]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    if (db["HOST"] or "").startswith("/"):
        return f"postgres://{credentials}@/{quote(db['HOST'], safe='')}/{db['NAME']}"
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _in_another_process(code: str, cache_config: dict) -> str:
    """Run ``code`` in a new Python process on this test's database and shared cache; return
    what it printed."""
    setup = (
        "import django\n"
        "django.setup()\n"
        "from django.test.utils import override_settings\n"
        "from django.conf import settings\n"
        f"override_settings(CACHES={{**settings.CACHES, 'public': {cache_config!r}}},"
        " PUBLIC_CACHE_ALIAS='public', ALLOWED_HOSTS=['testserver']).enable()\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ai4media_portal.settings.test",
        "DATABASE_URL": _database_url(),
    }
    result = subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_signed_in_pages_never_come_from_the_shared_cache(client, file_cache):
    OrganisationFactory(name="Harbor Studio")
    anonymous = client.get("/network/")
    assert anonymous["X-Cache"] == "MISS"
    member = UserFactory(full_name="Ida Signed-In")
    client.force_login(member)

    signed_in = client.get("/network/")

    assert signed_in.status_code == 200
    assert not signed_in.has_header("X-Cache")
    assert "Ida Signed-In" in signed_in.content.decode()
    assert "private" in signed_in["Cache-Control"]
    assert "Cookie" in signed_in["Vary"]
    client.logout()
    again = client.get("/network/")
    assert again["X-Cache"] == "HIT"
    assert "Ida Signed-In" not in again.content.decode()
    assert "csrfmiddlewaretoken" not in again.content.decode()
    assert "Sign out" not in again.content.decode()


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(client, file_cache):
    client.get("/network/")
    assert client.get("/network/")["X-Cache"] == "HIT"
    client.cookies["messages"] = "anything"

    response = client.get("/network/")

    assert response.status_code == 200
    assert not response.has_header("X-Cache")


def test_an_api_request_with_a_token_is_not_served_from_the_cache(client, file_cache):
    OrganisationFactory()
    client.get("/api/v1/organisations/")
    assert client.get("/api/v1/organisations/")["X-Cache"] == "HIT"

    response = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION="Token not-a-real-one")

    assert response.status_code == 401
    assert not response.has_header("X-Cache")


def test_the_browsable_api_is_never_cached(client, file_cache):
    OrganisationFactory()
    for _ in range(2):
        response = client.get("/api/v1/organisations/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert not response.has_header("X-Cache")


def test_a_page_with_a_csrf_token_is_not_stored(file_cache):
    def form(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    for _ in range(2):
        request = RequestFactory().get("/form/")
        request.user = AnonymousUser()
        response = public_cache.serve(request, ["network"], lambda request=request: form(request))
        assert response.status_code == 200
        assert not response.has_header("X-Cache")


def test_a_page_that_used_its_csp_nonce_is_not_stored(file_cache):
    def page_with_inline_script(request):
        request._csp_nonce = "r4nd0m"  # what django-csp records once a template asks for it
        return HttpResponse('<script nonce="r4nd0m">start()</script>')

    for _ in range(2):
        request = RequestFactory().get("/inline/")
        request.user = AnonymousUser()
        response = public_cache.serve(
            request, ["network"], lambda request=request: page_with_inline_script(request)
        )
        assert response.status_code == 200
        assert not response.has_header("X-Cache")


def test_conditional_requests_get_304_until_the_data_changes(client, file_cache):
    organisation = OrganisationFactory(name="Iris Broadcasting", slug="iris")
    contact = ContactFactory(organisation=organisation).user
    for url in ("/network/organisations/iris/", "/api/v1/organisations/"):
        first = client.get(url)
        etag = first["ETag"]
        assert first["Cache-Control"] == "no-cache"
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    etags = {
        url: client.get(url)["ETag"]
        for url in ("/network/organisations/iris/", "/api/v1/organisations/")
    }

    network_services.organisation_update(
        organisation=organisation, actor=contact, data={"city": "Hamburg"}
    )

    for url, etag in etags.items():
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag


def _section_of(html: str, text: str) -> str:
    """Which of the calls page's sections (open, upcoming, past) shows ``text``."""
    position = html.index(text)
    if position < html.index('id="upcoming-title"'):
        return "open"
    return "upcoming" if position < html.index('id="past-title"') else "past"


def test_the_calls_page_changes_when_a_call_opens_without_any_write(client, file_cache):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        CallFactory(
            title="Kestrel call",
            opens_at=start + timedelta(hours=1),
            closes_at=start + timedelta(days=30),
        )
        before = client.get("/calls/")
        assert client.get("/calls/")["X-Cache"] == "HIT"
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        after = client.get("/calls/")

    assert _section_of(before.content.decode(), "Kestrel call") == "upcoming"
    assert after["X-Cache"] == "MISS"
    assert _section_of(after.content.decode(), "Kestrel call") == "open"


def test_a_call_published_by_a_manager_appears_at_once(client, file_cache):
    call = CallFactory(title="Hidden call", stage=CallStage.DRAFT)
    assert "Hidden call" not in client.get("/calls/").content.decode()
    assert client.get("/calls/")["X-Cache"] == "HIT"

    call.stage = CallStage.PUBLISHED
    call.save(update_fields=["stage"])

    assert "Hidden call" in client.get("/calls/").content.decode()


def test_a_remembered_value_is_computed_once_until_its_scope_changes(file_cache):
    computed = []

    def compute():
        computed.append(1)
        return ["BE", "DE"]

    assert remembered("countries", ["network"], compute) == ["BE", "DE"]
    assert remembered("countries", ["network"], compute) == ["BE", "DE"]
    assert len(computed) == 1
    public_data_changed("opencalls")
    assert remembered("countries", ["network"], compute) == ["BE", "DE"]
    assert len(computed) == 1
    public_data_changed("network")
    assert remembered("countries", ["network"], compute) == ["BE", "DE"]
    assert len(computed) == 2


def test_pages_still_render_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.PUBLIC_CACHE_ALIAS = "public"
    OrganisationFactory(name="Juniper Foundation")

    response = client.get("/network/")

    assert response.status_code == 200
    assert "Juniper Foundation" in response.content.decode()
    assert not response.has_header("X-Cache")


def test_an_entry_an_earlier_release_wrote_in_another_shape_is_replaced(client, file_cache):
    from django.core.cache import caches

    request = RequestFactory().get("/privacy/")
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Brussels")):
        key = public_cache._page_key(request, "")
    caches["public"].set(key, _RenamedSince(), timeout=60)

    assert client.get("/privacy/")["X-Cache"] == "MISS"
    assert client.get("/privacy/")["X-Cache"] == "HIT"


class _RenamedSince:
    """Unpickles only with a module that has since been renamed."""

    def __reduce__(self):
        return (import_module, ("ai4media_portal.core.public_cache_entries",))
