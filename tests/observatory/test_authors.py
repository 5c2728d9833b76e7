"""Authors: experts of the directory and staff, in order, on every surface; an expert's
profile lists what they signed."""

import json
import re

import feedparser
import pytest
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.roles import Role
from observatory import services
from observatory.enums import ContentStatus
from observatory.models import ContentAuthor
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

from .factories import ContentItemFactory, topic

pytestmark = pytest.mark.django_db
S = ContentStatus


def _expert(editor, chief, name="Ioanna Papadaki", *, approve=True, owner=None):
    data = {
        "name": name,
        "headline": "Media forensics researcher",
        "bio": "Works on deepfake detection.",
        "organisation": None,
        "organisation_name": "Independent",
        "country": "GR",
        "expertise": ["deepfake detection"],
        "languages": ["en"],
        "available_for": [],
        "orcid": "",
        "website": "",
        "accepts_contact": True,
    }
    if owner is not None:
        expert = services.expert_create(actor=owner, data=data, for_self=True)
    else:
        expert = services.expert_create(
            actor=editor,
            data={**data, "contact_email": f"{name.split()[0].lower()}@uni.example.org"},
            for_self=False,
        )
    if approve:
        expert = services.expert_approve(expert=expert, actor=chief)
    return expert


def _credits(item):
    return [
        (credit.expert_id and "expert", credit.expert_id or credit.user_id)
        for credit in ContentAuthor.objects.filter(item=item).order_by("position")
    ]


# --- The service ------------------------------------------------------------------------------


def test_an_editor_credits_an_expert_and_staff_in_the_order_given(editor, chief):
    expert = _expert(editor, chief)
    item = ContentItemFactory(created_by=editor)
    services.content_update(item=item, actor=editor, data={}, authors=[chief, expert, editor])
    assert _credits(item) == [(None, chief.pk), ("expert", expert.pk), (None, editor.pk)]
    # The same authors again: no change, no new revision.
    services.content_update(item=item, actor=editor, data={}, authors=[chief, expert, editor])
    assert _credits(item) == [(None, chief.pk), ("expert", expert.pk), (None, editor.pk)]


def test_a_profile_not_yet_approved_cannot_be_credited(editor, chief):
    pending = _expert(editor, chief, approve=False)
    item = ContentItemFactory(created_by=editor)
    with pytest.raises(PortalError) as caught:
        services.content_update(item=item, actor=editor, data={}, authors=[pending])
    assert caught.value.field == "authors"
    assert _credits(item) == [(None, editor.pk)]


def test_an_account_outside_the_staff_cannot_be_credited(editor):
    item = ContentItemFactory(created_by=editor)
    with pytest.raises(PortalError) as caught:
        services.content_update(item=item, actor=editor, data={}, authors=[UserFactory()])
    assert caught.value.field == "authors"
    services.content_update(
        item=item, actor=editor, data={}, authors=[UserFactory(is_staff=True), editor]
    )
    assert len(_credits(item)) == 2


def test_an_expert_credited_on_a_piece_may_not_review_it(editor, chief):
    owner = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    expert = _expert(editor, chief, owner=owner)
    item = ContentItemFactory(created_by=editor)
    services.content_update(item=item, actor=editor, data={}, authors=[expert])
    services.content_transition(item=item, actor=editor, target=S.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.content_transition(item=item, actor=owner, target=S.APPROVED)


def test_the_authors_emails_reach_the_expert_at_the_relay_address(editor, chief):
    from ai4media_portal.core.models import OutboundEmail

    expert = _expert(editor, chief)
    item = ContentItemFactory(created_by=editor)
    services.content_update(item=item, actor=chief, data={}, authors=[expert])
    services.content_transition(item=item, actor=editor, target=S.IN_REVIEW)
    services.content_transition(item=item, actor=chief, target=S.CHANGES_REQUESTED, message="Cut")
    email = OutboundEmail.objects.get(template="observatory/changes_requested")
    assert "ioanna@uni.example.org" in email.to


# --- The form ---------------------------------------------------------------------------------


def _form(**changes):
    data = {
        "kind": "analysis",
        "title": "Newsroom AI guidelines compared",
        "slug": "",
        "standfirst": "What twelve newsrooms wrote down.",
        "body": "Body.",
        "language": "en",
        "topics": [topic().pk],
        "tags": "",
    }
    data.update(changes)
    return data


def test_an_editor_chooses_authors_from_the_directory_and_the_staff(client, editor, chief):
    expert = _expert(editor, chief)
    item = ContentItemFactory(created_by=editor)
    client.force_login(editor)
    page = client.get(f"/observatory/manage/{item.pk}/edit/").content.decode()
    assert f'value="e{expert.pk}"' in page
    assert f'value="u{chief.pk}"' in page
    response = client.post(
        f"/observatory/manage/{item.pk}/edit/",
        _form(author_1=f"e{expert.pk}", author_2=f"u{chief.pk}"),
    )
    assert response.status_code == 302
    assert _credits(item) == [("expert", expert.pk), (None, chief.pk)]
    page = client.get(f"/observatory/manage/{item.pk}/edit/").content.decode()
    assert re.search(rf'<option value="e{expert.pk}" selected>', page)


def test_a_repeated_author_or_an_unlisted_profile_is_refused_beside_the_field(
    client, editor, chief
):
    expert = _expert(editor, chief)
    pending = _expert(editor, chief, "Pending Person", approve=False)
    item = ContentItemFactory(created_by=editor)
    client.force_login(editor)
    response = client.post(
        f"/observatory/manage/{item.pk}/edit/",
        _form(author_1=f"e{expert.pk}", author_2=f"e{expert.pk}", author_3=f"e{pending.pk}"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_author_2_error"' in page
    assert "already named above" in page
    assert 'id="id_author_3_error"' in page
    assert "Newsroom AI guidelines compared" in page  # nothing typed is lost
    assert _credits(item) == [(None, editor.pk)]


def test_a_contributor_is_not_offered_the_authors(client, author):
    client.force_login(author)
    page = client.get("/observatory/write/").content.decode()
    assert "id_author_1" not in page


# --- The public surfaces ----------------------------------------------------------------------


def _published_with(editor, chief, expert):
    item = ContentItemFactory(created_by=editor, status=S.PUBLISHED, title="Signed piece")
    item.topics.set([topic()])
    services.content_update(item=item, actor=chief, data={}, authors=[expert, editor])
    return item


def test_the_page_json_ld_feed_and_api_name_the_authors_in_order(client, editor, chief):
    expert = _expert(editor, chief)
    item = _published_with(editor, chief, expert)
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'<a href="{expert.get_absolute_url()}" rel="author">Ioanna Papadaki</a>' in page
    assert page.index("Ioanna Papadaki") < page.index(editor.display_name)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1])
    assert ld["author"] == [
        {
            "@type": "Person",
            "name": "Ioanna Papadaki",
            "url": absolute_url(expert.get_absolute_url()),
        },
        {"@type": "Person", "name": editor.display_name},
    ]
    feed = feedparser.parse(client.get("/observatory/feed/").content)
    assert feed.entries[0].author == f"Ioanna Papadaki, {editor.display_name}"
    api = client.get(f"/api/v1/observatory/content/{item.slug}/").json()
    assert api["authors"] == [
        {
            "name": "Ioanna Papadaki",
            "expert": expert.slug,
            "url": f"http://testserver{expert.get_absolute_url()}",
        },
        {"name": editor.display_name, "expert": None, "url": None},
    ]
    assert "@" not in json.dumps(api["authors"])


def test_a_hidden_profile_is_named_but_not_linked(client, editor, chief):
    owner = UserFactory()
    expert = _expert(editor, chief, owner=owner)
    item = _published_with(editor, chief, expert)
    services.expert_set_hidden(expert=expert, actor=owner, hidden=True)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Ioanna Papadaki" in page
    assert expert.get_absolute_url() not in page
    assert client.get(f"/api/v1/observatory/content/{item.slug}/").json()["authors"][0] == {
        "name": "Ioanna Papadaki",
        "expert": None,
        "url": None,
    }


def test_an_expert_profile_lists_the_published_pieces_they_signed(client, editor, chief):
    expert = _expert(editor, chief)
    item = _published_with(editor, chief, expert)
    draft = ContentItemFactory(created_by=editor, title="Unfinished draft")
    services.content_update(item=draft, actor=chief, data={}, authors=[expert])
    unsigned = ContentItemFactory(status=S.PUBLISHED, title="Someone else's piece")
    page = client.get(expert.get_absolute_url()).content.decode()
    assert "Written by Ioanna Papadaki" in page
    assert f'href="{item.get_absolute_url()}"' in page
    assert "Unfinished draft" not in page
    assert unsigned.title not in page


def test_the_expert_page_runs_a_constant_number_of_queries(client, editor, chief):
    expert = _expert(editor, chief)

    def add():
        item = ContentItemFactory(created_by=editor, status=S.PUBLISHED)
        item.topics.set([topic()])
        ContentAuthor.objects.create(item=item, expert=expert, position=1)

    assert_constant_queries(client, expert.get_absolute_url(), add)


def test_lists_and_the_api_run_a_constant_number_of_queries_with_expert_authors(
    client, editor, chief
):
    expert = _expert(editor, chief)

    def add():
        item = ContentItemFactory(status=S.PUBLISHED)
        item.topics.set([topic()])
        ContentAuthor.objects.create(item=item, expert=expert, position=1)

    for url in ("/observatory/content/", "/api/v1/observatory/content/"):
        assert_constant_queries(client, url, add)


def test_a_service_refusal_of_an_author_shows_beside_the_authors(client, editor):
    # A piece credited to an account outside the staff (as older pieces may be) cannot be
    # re-credited to it: the refusal appears beside the first author slot.
    outsider = UserFactory(full_name="Olga Outsider")
    item = ContentItemFactory(created_by=editor)
    ContentAuthor.objects.create(item=item, user=outsider, position=1)
    client.force_login(editor)
    response = client.post(
        f"/observatory/manage/{item.pk}/edit/", _form(author_1=f"u{outsider.pk}")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_author_1_error"' in page
    assert "Olga Outsider is neither an expert of the directory nor on the staff." in page
