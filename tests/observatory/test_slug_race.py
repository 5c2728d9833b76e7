"""Pieces and expert profiles of one name made at the same moment get different addresses
(``core.slugs.unique_slug``) rather than one failing on the unique slug: a new draft, a draft
made from an accepted proposal, a piece whose address is cleared to be made again, and an
expert's profile."""

import pytest

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.roles import Role
from observatory import services
from observatory.models import ContentItem, Expert
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

from .factories import ContentItemFactory, topic

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Newsroom AI guidelines compared"


def _slugs(results: list, queryset) -> list[str]:
    assert not [r for r in results if isinstance(r, BaseException)], results
    return sorted(queryset.values_list("slug", flat=True))


def test_two_drafts_of_one_title_made_at_once():
    authors = [UserFactory(), UserFactory()]
    data = {
        "kind": "analysis",
        "title": TITLE,
        "standfirst": "What twelve newsrooms wrote down.",
        "body": "Body.",
        "language": "en",
    }
    results = run_in_parallel(
        2, lambda i: services.content_create(actor=authors[i], data=data, topics=[topic()])
    )
    assert _slugs(results, ContentItem.objects) == [
        "newsroom-ai-guidelines-compared",
        "newsroom-ai-guidelines-compared-2",
    ]


def test_an_address_given_by_the_editor_is_kept_or_refused_beside_the_field():
    author = UserFactory()
    data = {"kind": "analysis", "title": TITLE, "standfirst": "S.", "body": "B."}
    made = services.content_create(actor=author, data={**data, "slug": "guidelines"})
    assert made.slug == "guidelines"
    with pytest.raises(PortalError) as error:
        services.content_create(actor=author, data={**data, "slug": "guidelines"})
    assert error.value.field == "slug"


def test_two_proposals_of_one_title_accepted_at_once():
    chiefs = [UserFactory(roles=[Role.EDITOR_IN_CHIEF]) for _ in range(2)]
    editor = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    proposals = [
        services.proposal_submit(
            actor=UserFactory(),
            data={
                "title": TITLE,
                "summary": "Twelve newsrooms compared.",
                "link": f"https://research.example.org/guidelines/{n}",
                "topic": topic("social-ethical-ai"),
                "fit": "In scope.",
            },
        )
        for n in range(2)
    ]
    results = run_in_parallel(
        2,
        lambda i: services.proposal_accept(proposal=proposals[i], actor=chiefs[i], editor=editor),
    )
    assert _slugs(results, ContentItem.objects) == [
        "newsroom-ai-guidelines-compared",
        "newsroom-ai-guidelines-compared-2",
    ]


def test_two_addresses_cleared_at_once_are_made_again_apart():
    editor = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    items = [ContentItemFactory(title=TITLE, slug=f"old-address-{n}") for n in range(2)]
    results = run_in_parallel(
        2, lambda i: services.content_update(item=items[i], actor=editor, data={"slug": ""})
    )
    assert _slugs(results, ContentItem.objects) == [
        "newsroom-ai-guidelines-compared",
        "newsroom-ai-guidelines-compared-2",
    ]


def test_two_experts_of_one_name_sign_up_at_once():
    people = [UserFactory(), UserFactory()]
    data = {
        "name": "Ioanna Papadaki",
        "headline": "Media forensics researcher",
        "bio": "Works on deepfake detection.",
        "country": "GR",
        "languages": ["en"],
    }
    results = run_in_parallel(
        2, lambda i: services.expert_create(actor=people[i], data=data, for_self=True)
    )
    assert _slugs(results, Expert.objects) == ["ioanna-papadaki", "ioanna-papadaki-2"]
