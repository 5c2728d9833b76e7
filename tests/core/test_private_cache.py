"""Each signed-in person's list pages, kept for them until the database changes: what is
served, to whom, and that every kind of write shows at once."""

import contextlib

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import INFO
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from ai4media_portal.core.private_cache import _WRITE, private_data_changed
from ai4media_portal.core.roles import Role
from network.enums import ApplicationStatus
from network.models import MembershipApplication
from opencalls import services as call_services
from opencalls.models import Proposal
from tests.factories import UserFactory
from tests.network.factories import ApplicationFactory
from tests.opencalls.factories import CallFactory, complete_draft, submitted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "private": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "private-cache"),
        },
    }
    settings.PRIVATE_CACHE_ALIAS = "private"


def _warm(client, url: str):
    """The first visit sets the CSRF cookie; the second is rendered and stored."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Cache"] == "MISS"
    return response


def test_a_second_visit_is_served_from_the_cache_and_stays_private(client):
    user = UserFactory()
    complete_draft(user=user, acronym="KEPTPAGE")
    client.force_login(user)
    first = _warm(client, "/calls/my/")

    again = client.get("/calls/my/")

    assert again["X-Cache"] == "HIT"
    assert again.content == first.content
    assert "KEPTPAGE" in again.content.decode()
    assert again["Cache-Control"] == "private, no-store"
    assert "Cookie" in again["Vary"]


def test_a_service_write_shows_at_once(client):
    user = UserFactory()
    proposal = complete_draft(user=user, acronym="BEFORE")
    client.force_login(user)
    _warm(client, "/calls/my/")

    call_services.proposal_submit(proposal=proposal, actor=user)

    after = client.get("/calls/my/")
    assert after["X-Cache"] == "MISS"
    assert "Submitted" in after.content.decode()


def test_writes_that_skip_model_signals_show_at_once(client):
    user = UserFactory()
    proposal = complete_draft(user=user, acronym="QSUPDATE")
    client.force_login(user)
    _warm(client, "/calls/my/")

    Proposal.objects.filter(pk=proposal.pk).update(acronym="RENAMED")

    after = client.get("/calls/my/")
    assert after["X-Cache"] == "MISS"
    assert "RENAMED" in after.content.decode()
    assert client.get("/calls/my/")["X-Cache"] == "HIT"
    Group.objects.bulk_create([Group(name="bulk-created")])
    assert client.get("/calls/my/")["X-Cache"] == "MISS"


def test_an_update_that_changes_no_row_keeps_the_cache(client):
    user = UserFactory()
    client.force_login(user)
    _warm(client, "/calls/my/")

    Proposal.objects.filter(pk=-1).update(acronym="NOBODY")

    assert client.get("/calls/my/")["X-Cache"] == "HIT"


def test_a_rolled_back_write_keeps_the_cache_and_a_committed_one_after_it_does_not(client):
    user = UserFactory()
    proposal = complete_draft(user=user, acronym="STAYS")
    client.force_login(user)
    _warm(client, "/calls/my/")

    with pytest.raises(RuntimeError):
        _update_then_fail(proposal, "NEVER")
    assert client.get("/calls/my/")["X-Cache"] == "HIT"

    with transaction.atomic():
        # A write in a savepoint that rolls back, then one in the outer transaction.
        with contextlib.suppress(RuntimeError):
            _update_then_fail(proposal, "INNER")
        Proposal.objects.filter(pk=proposal.pk).update(acronym="OUTER")
    after = client.get("/calls/my/")
    assert after["X-Cache"] == "MISS"
    assert "OUTER" in after.content.decode()


def _update_then_fail(proposal, acronym: str) -> None:
    with transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(acronym=acronym)
        raise RuntimeError


def test_another_person_never_gets_someone_elses_page(client):
    first, second = UserFactory(), UserFactory()
    complete_draft(user=first, acronym="FIRSTONLY")
    client.force_login(first)
    _warm(client, "/calls/my/")
    client.logout()

    client.force_login(second)
    client.get("/calls/my/")
    response = client.get("/calls/my/")

    assert response["X-Cache"] == "MISS"
    assert "FIRSTONLY" not in response.content.decode()


def test_a_new_session_of_the_same_person_is_rendered_afresh(client):
    user = UserFactory()
    client.force_login(user)
    _warm(client, "/calls/my/")
    client.logout()
    client.force_login(user)

    client.get("/calls/my/")
    assert client.get("/calls/my/")["X-Cache"] == "MISS"


def test_a_withdrawn_role_is_refused_at_once_not_served_from_the_cache(client):
    manager = UserFactory(roles=[Role.CALL_MANAGER])
    call = CallFactory()
    submitted(call=call)
    client.force_login(manager)
    _warm(client, f"/calls/manage/{call.number}/proposals/")

    manager.groups.remove(Group.objects.get(name=str(Role.CALL_MANAGER)))

    assert client.get(f"/calls/manage/{call.number}/proposals/").status_code == 403


def test_each_cached_page_shows_a_change_at_once(client):
    """The signed-in pages of the page benchmark, each with a change that must show."""
    applicant = UserFactory()
    application = ApplicationFactory(
        org_name="Queue Before Media", status=ApplicationStatus.SUBMITTED
    )
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    client.force_login(manager)
    _warm(client, "/network/manage/applications/")
    MembershipApplication.objects.filter(pk=application.pk).update(org_name="Queue After Media")
    page = client.get("/network/manage/applications/").content.decode()
    assert "Queue After Media" in page
    client.logout()

    client.force_login(applicant)
    _warm(client, "/me/")
    complete_draft(user=applicant, acronym="DASHNEW")
    assert "DASHNEW" in client.get("/me/").content.decode()


def test_a_waiting_message_is_shown_not_hidden_behind_the_cache(client):
    user = UserFactory()
    client.force_login(user)
    _warm(client, "/calls/my/")
    # A message queued by the last action, as the messages framework stores it.
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(INFO, "Nothing to change.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value

    shown = client.get("/calls/my/")

    assert not shown.has_header("X-Cache")
    assert "Nothing to change." in shown.content.decode()
    assert client.get("/calls/my/")["X-Cache"] == "HIT"


def test_signing_in_elsewhere_does_not_empty_the_cache(client):
    user = UserFactory()
    client.force_login(user)
    _warm(client, "/calls/my/")

    store = SessionStore()
    store["anything"] = 1
    store.create()

    assert client.get("/calls/my/")["X-Cache"] == "HIT"


def test_pages_still_render_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "private": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    user = UserFactory()
    complete_draft(user=user, acronym="NOCACHE")
    client.force_login(user)

    client.get("/calls/my/")
    response = client.get("/calls/my/")

    assert response.status_code == 200
    assert "NOCACHE" in response.content.decode()
    assert not response.has_header("X-Cache")


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "opencalls_proposal" ("acronym") VALUES (%s)', "opencalls_proposal"),
        ('UPDATE "network_organisation" SET "name" = %s', "network_organisation"),
        ('DELETE FROM "auth_group" WHERE "id" = %s', "auth_group"),
        ("  update accounts_user set full_name = %s", "accounts_user"),
    ],
)
def test_the_watch_reads_the_table_of_every_write(sql, table):
    assert _WRITE.match(sql).group(1) == table


def test_one_bump_is_queued_per_transaction():
    with transaction.atomic():
        private_data_changed()
        private_data_changed()
        queued = [func for _sids, func, _robust in connection.run_on_commit]
    assert len(queued) == 1


def test_the_pillars_signed_in_queues_are_kept_until_a_write(client):
    """AIDA's, Outputs' and the Observatory's signed-in lists in the page benchmark: a second
    visit is served from the cache, and any write renders them afresh."""
    from tests.aida.factories import OfferingFactory

    aida_coordinator = UserFactory(roles=[Role.AIDA_COORDINATOR])
    offering = OfferingFactory()
    pages = [
        (aida_coordinator, "/aida/manage/members/"),
        (aida_coordinator, "/aida/students/"),
        (aida_coordinator, f"/aida/offerings/{offering.pk}/roster/"),
        (aida_coordinator, "/aida/resources/review/"),
        (UserFactory(is_staff=True), "/outputs/curate/"),
        *(
            (editor, url)
            for editor in [UserFactory(roles=[Role.OBSERVATORY_EDITOR])]
            for url in (
                "/observatory/manage/",
                "/observatory/manage/proposals/",
                "/observatory/manage/experts/",
            )
        ),
    ]
    for user, url in pages:
        client.force_login(user)
        _warm(client, url)
        assert client.get(url)["X-Cache"] == "HIT", url
        Group.objects.create(name=f"written after {url}")
        assert client.get(url)["X-Cache"] == "MISS", url
        client.logout()
