import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from reversion.models import Version

from ai4media_portal.core.enums import EmailStatus
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry, OutboundEmail
from observatory import services
from observatory.enums import TRANSITIONS, ContentStatus
from observatory.models import ContentItem, ContentStatusChange
from observatory.selectors import published_content
from tests.factories import UserFactory

from .conftest import png_upload
from .factories import ContentItemFactory, topic

pytestmark = pytest.mark.django_db
S = ContentStatus
BRUSSELS = ZoneInfo("Europe/Brussels")


def _data(**changes):
    data = {
        "kind": "analysis",
        "title": "Synthetic voices in radio",
        "standfirst": "What broadcasters disclose.",
        "body": "# Disclosure\n\nListeners deserve to *know*.",
        "language": "en",
    }
    data.update(changes)
    return data


# --- Writing and revisions ---------------------------------------------------------------------


def test_create_makes_a_draft_with_a_first_revision(author):
    item = services.content_create(
        actor=author,
        data=_data(),
        topics=[topic("social-ethical-ai")],
        tag_names=["Voice cloning", " voice  cloning", "Radio"],
    )
    assert item.status == S.DRAFT
    assert item.slug == "synthetic-voices-in-radio"
    assert item.body_html == "<h2>Disclosure</h2>\n<p>Listeners deserve to <em>know</em>.</p>\n"
    assert item.reading_minutes == 1
    assert sorted(item.tags.values_list("name", flat=True)) == ["Radio", "Voice cloning"]
    assert list(item.credits.values_list("user_id", flat=True)) == [author.pk]
    versions = list(Version.objects.get_for_object(item))
    assert len(versions) == 1
    assert versions[0].revision.user == author
    assert versions[0].field_dict["title"] == "Synthetic voices in radio"
    assert versions[0].field_dict["topics"] == [topic("social-ethical-ai").pk]


def test_create_refuses_an_image_without_alt_text(author):
    with pytest.raises(PortalError) as error:
        services.content_create(actor=author, data=_data(), hero_image=png_upload())
    assert error.value.field == "hero_alt"
    assert ContentItem.objects.count() == 0


def test_create_stores_a_reencoded_hero_with_a_generated_name(author):
    item = services.content_create(
        actor=author, data=_data(hero_alt="A radio studio"), hero_image=png_upload("x.html")
    )
    assert re.fullmatch(r"observatory/heroes/\d{4}/[0-9a-f]{32}\.png", item.hero_image.name)


def test_create_refuses_a_taken_slug(author):
    ContentItemFactory(slug="taken")
    with pytest.raises(PortalError) as error:
        services.content_create(actor=author, data=_data(slug="taken"))
    assert error.value.field == "slug"


def test_create_refuses_anonymous():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.content_create(actor=AnonymousUser(), data=_data())


def test_create_refuses_too_many_tags(author):
    with pytest.raises(PortalError) as error:
        services.content_create(actor=author, data=_data(), tag_names=[f"t{n}" for n in range(13)])
    assert error.value.field == "tags"


def test_every_change_keeps_a_revision_and_no_change_keeps_none(author):
    item = services.content_create(actor=author, data=_data())
    services.content_update(item=item, actor=author, data={"title": "Synthetic voices"})
    services.content_update(item=item, actor=author, data={"title": "Synthetic voices"})
    services.content_update(item=item, actor=author, data={}, tag_names=["Radio"])
    versions = list(Version.objects.get_for_object(item))
    assert len(versions) == 3
    assert versions[0].field_dict["tags"] != []
    assert versions[1].field_dict["title"] == "Synthetic voices"
    assert versions[2].field_dict["title"] == "Synthetic voices in radio"


def test_update_rerenders_the_body_and_reading_time(author):
    item = services.content_create(actor=author, data=_data())
    item = services.content_update(item=item, actor=author, data={"body": "word " * 450})
    assert item.reading_minutes == 3
    assert item.body_html.startswith("<p>word word")


def test_author_cannot_edit_once_in_review_but_an_editor_can(author, editor):
    item = ContentItemFactory(created_by=author, status=S.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.content_update(item=item, actor=author, data={"title": "Mine"})
    services.content_update(item=item, actor=editor, data={"title": "Edited"})
    assert ContentItem.objects.get(pk=item.pk).title == "Edited"


def test_contributor_cannot_edit_anothers_draft(author):
    item = ContentItemFactory(status=S.DRAFT)
    with pytest.raises(PermissionDenied):
        services.content_update(item=item, actor=author, data={"title": "Taken over"})


def test_nobody_edits_an_archived_piece(editor, chief):
    item = ContentItemFactory(status=S.ARCHIVED)
    for actor in (editor, chief, item.created_by):
        with pytest.raises(PermissionDenied):
            services.content_update(item=item, actor=actor, data={"title": "Revived"})


def test_restore_the_first_revision_creates_a_new_one(author, editor):
    item = services.content_create(actor=author, data=_data(), tag_names=["Radio"])
    services.content_update(item=item, actor=author, data={"title": "Second"}, tag_names=[])
    first = list(Version.objects.get_for_object(item))[-1]
    restored = services.content_restore(item=item, actor=editor, version_id=first.pk)
    assert restored.title == "Synthetic voices in radio"
    assert list(restored.tags.values_list("name", flat=True)) == ["Radio"]
    versions = list(Version.objects.get_for_object(item))
    assert len(versions) == 3
    assert versions[0].revision.user == editor
    assert versions[0].field_dict["title"] == "Synthetic voices in radio"


def test_restore_refuses_a_revision_of_another_piece(author, editor):
    item = services.content_create(actor=author, data=_data())
    other = services.content_create(actor=author, data=_data(title="Other"))
    version = Version.objects.get_for_object(other).first()
    with pytest.raises(PortalError):
        services.content_restore(item=item, actor=editor, version_id=version.pk)


def test_restore_is_for_the_editorial_team(author):
    item = services.content_create(actor=author, data=_data())
    version = Version.objects.get_for_object(item).first()
    with pytest.raises(PermissionDenied):
        services.content_restore(item=item, actor=author, version_id=version.pk)


# --- The workflow: every move both ways --------------------------------------------------------

ALL_MOVES = [(current, target) for current in S for target in S]


def _move(item, actor, target):
    return services.content_transition(
        item=item,
        actor=actor,
        target=target,
        message="Please cite the study.",
        go_live_at=datetime.now(UTC) + timedelta(hours=2),
    )


@pytest.mark.parametrize(("current", "target"), ALL_MOVES)
def test_transition_table(chief, current, target):
    item = ContentItemFactory(status=current)
    if target in TRANSITIONS[current]:
        moved = _move(item, chief, target)
        assert moved.status == target
        change = ContentStatusChange.objects.get(item=item)
        assert (change.from_status, change.to_status, change.actor) == (current, target, chief)
        assert AuditEntry.objects.filter(action=f"observatory.content.{target.value}").count() == 1
    else:
        with pytest.raises(PortalError) as error:
            _move(item, chief, target)
        assert error.value.code == "invalid_transition"
        assert ContentItem.objects.get(pk=item.pk).status == current


# (from, to) → who may make the move; everyone else is refused.
WHO_MAY = {
    (S.DRAFT, S.IN_REVIEW): {"author", "editor", "chief"},
    (S.DRAFT, S.ARCHIVED): {"author", "editor", "chief"},
    (S.IN_REVIEW, S.CHANGES_REQUESTED): {"editor", "chief"},
    (S.IN_REVIEW, S.APPROVED): {"editor", "chief"},
    (S.CHANGES_REQUESTED, S.IN_REVIEW): {"author", "editor", "chief"},
    (S.CHANGES_REQUESTED, S.ARCHIVED): {"author", "editor", "chief"},
    (S.APPROVED, S.SCHEDULED): {"chief"},
    (S.APPROVED, S.PUBLISHED): {"chief"},
    (S.APPROVED, S.CHANGES_REQUESTED): {"chief"},
    (S.SCHEDULED, S.PUBLISHED): {"chief"},
    (S.SCHEDULED, S.APPROVED): {"chief"},
    (S.PUBLISHED, S.UNPUBLISHED): {"chief"},
    (S.PUBLISHED, S.ARCHIVED): {"chief"},
    (S.UNPUBLISHED, S.PUBLISHED): {"chief"},
    (S.UNPUBLISHED, S.DRAFT): {"chief"},
    (S.UNPUBLISHED, S.ARCHIVED): {"chief"},
}
ACTORS = ["author", "member", "editor", "chief", "staff", "superuser"]


def test_who_may_lists_every_allowed_move():
    assert set(WHO_MAY) == {(c, t) for c, targets in TRANSITIONS.items() for t in targets}


@pytest.mark.parametrize(("move", "who"), [(m, w) for m in WHO_MAY for w in ACTORS])
def test_who_may_make_each_move(people, author, editor, chief, move, who):
    current, target = move
    actors = {
        "author": author,
        "member": people["member"],
        "editor": editor,
        "chief": chief,
        "staff": people["staff"],
        "superuser": people["superuser"],
    }
    item = ContentItemFactory(status=current, created_by=author)
    if who in WHO_MAY[move]:
        assert _move(item, actors[who], target).status == target
    else:
        with pytest.raises(PermissionDenied):
            _move(item, actors[who], target)
        assert ContentItem.objects.get(pk=item.pk).status == current


@pytest.mark.parametrize("target", [S.CHANGES_REQUESTED, S.APPROVED])
def test_an_editor_never_reviews_their_own_piece(editor, target):
    item = ContentItemFactory(status=S.IN_REVIEW, created_by=editor)
    with pytest.raises(PermissionDenied):
        services.content_transition(item=item, actor=editor, target=target, message="x")


def test_a_coauthor_editor_never_reviews_the_piece(author, editor):
    item = ContentItemFactory(status=S.IN_REVIEW, created_by=author)
    item.credits.create(user=editor, position=1)
    with pytest.raises(PermissionDenied):
        services.content_transition(item=item, actor=editor, target=S.APPROVED)


@pytest.mark.parametrize("message", ["", "   \n "])
def test_changes_requested_needs_a_comment(editor, message):
    item = ContentItemFactory(status=S.IN_REVIEW)
    with pytest.raises(PortalError) as error:
        services.content_transition(
            item=item, actor=editor, target=S.CHANGES_REQUESTED, message=message
        )
    assert error.value.field == "message"
    assert ContentItem.objects.get(pk=item.pk).status == S.IN_REVIEW


def test_changes_requested_emails_every_author_the_comment(author, editor):
    item = ContentItemFactory(status=S.IN_REVIEW, created_by=author)
    coauthor = UserFactory()
    item.credits.create(user=coauthor, position=1)
    services.content_transition(
        item=item, actor=editor, target=S.CHANGES_REQUESTED, message="Cite the 2024 survey."
    )
    email = OutboundEmail.objects.get(template="observatory/changes_requested")
    assert email.to == sorted([author.email, coauthor.email])
    assert "Cite the 2024 survey." in email.body_text
    assert "Eddie Editor" in email.body_text


def test_sending_for_review_tells_the_editorial_board(author, editor, chief):
    item = ContentItemFactory(status=S.DRAFT, created_by=author)
    services.content_transition(item=item, actor=author, target=S.IN_REVIEW)
    email = OutboundEmail.objects.get(template="observatory/in_review")
    assert email.to == sorted([editor.email, chief.email])


def test_leaving_review_releases_the_claim(author, editor):
    item = ContentItemFactory(status=S.IN_REVIEW, created_by=author)
    services.content_claim(item=item, actor=editor)
    item = services.content_transition(item=item, actor=editor, target=S.APPROVED)
    assert (item.claimed_by, item.claimed_at) == (None, None)


def test_claim_shows_who_holds_it_and_refuses_a_second_editor(editor, second_editor):
    item = ContentItemFactory(status=S.IN_REVIEW)
    services.content_claim(item=item, actor=editor)
    with pytest.raises(PortalError) as error:
        services.content_claim(item=item, actor=second_editor)
    assert error.value.code == "claimed"
    assert ContentItem.objects.get(pk=item.pk).claimed_by == editor
    with pytest.raises(PortalError):
        services.content_release(item=item, actor=second_editor)
    services.content_release(item=item, actor=editor)
    assert ContentItem.objects.get(pk=item.pk).claimed_by is None


def test_claim_only_in_review_and_never_by_an_author(author, editor):
    with pytest.raises(PortalError):
        services.content_claim(item=ContentItemFactory(status=S.DRAFT), actor=editor)
    with pytest.raises(PermissionDenied):
        services.content_claim(
            item=ContentItemFactory(status=S.IN_REVIEW, created_by=editor), actor=editor
        )
    with pytest.raises(PermissionDenied):
        services.content_claim(
            item=ContentItemFactory(status=S.IN_REVIEW, created_by=author), actor=author
        )


def test_publishing_records_the_live_revision_and_emails_the_authors(author, chief):
    item = ContentItemFactory(status=S.APPROVED, created_by=author)
    item = services.content_transition(item=item, actor=chief, target=S.PUBLISHED)
    assert item.published_version_id == Version.objects.get_for_object(item).first().pk
    assert item.published_at is not None
    assert OutboundEmail.objects.get(template="observatory/published").to == [author.email]


@pytest.mark.parametrize(
    "go_live_at",
    [None, datetime(2020, 1, 1, tzinfo=UTC), datetime(2999, 1, 1)],  # missing, past, naive
)
def test_scheduling_refuses_a_missing_past_or_naive_time(chief, go_live_at):
    item = ContentItemFactory(status=S.APPROVED)
    with pytest.raises(PortalError) as error:
        services.content_transition(
            item=item, actor=chief, target=S.SCHEDULED, go_live_at=go_live_at
        )
    assert error.value.field == "go_live_at"
    assert ContentItem.objects.get(pk=item.pk).status == S.APPROVED


def test_unscheduling_clears_the_go_live_time(chief):
    item = ContentItemFactory(status=S.SCHEDULED)
    item = services.content_transition(item=item, actor=chief, target=S.APPROVED)
    assert item.go_live_at is None


# --- Scheduled publishing ----------------------------------------------------------------------


def test_publish_due_publishes_what_is_due_once(chief):
    item = ContentItemFactory(status=S.APPROVED)
    go_live = datetime(2026, 6, 1, 9, 0, tzinfo=BRUSSELS)
    with time_machine.travel(datetime(2026, 5, 31, 12, 0, tzinfo=UTC), tick=False):
        services.content_transition(item=item, actor=chief, target=S.SCHEDULED, go_live_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert services.content_publish_due() == []
    with time_machine.travel(go_live, tick=False):
        assert services.content_publish_due() == [item.pk]
        assert services.content_publish_due() == []
    item.refresh_from_db()
    assert item.status == S.PUBLISHED
    assert item.published_at == go_live
    assert ContentStatusChange.objects.filter(item=item, to_status=S.PUBLISHED).count() == 1
    assert OutboundEmail.objects.filter(template="observatory/published").count() == 1


@pytest.mark.parametrize(
    ("local_go_live", "utc_due"),
    [
        # Spring forward: 29 March 2026 02:00 CET becomes 03:00 CEST.
        (datetime(2026, 3, 29, 9, 30), datetime(2026, 3, 29, 7, 30, tzinfo=UTC)),
        (datetime(2026, 3, 28, 9, 30), datetime(2026, 3, 28, 8, 30, tzinfo=UTC)),
        # Fall back: 25 October 2026 03:00 CEST becomes 02:00 CET.
        (datetime(2026, 10, 25, 9, 30), datetime(2026, 10, 25, 8, 30, tzinfo=UTC)),
        (datetime(2026, 10, 24, 9, 30), datetime(2026, 10, 24, 7, 30, tzinfo=UTC)),
    ],
)
def test_publish_due_goes_live_at_the_brussels_hour_across_daylight_saving(
    chief, local_go_live, utc_due
):
    item = ContentItemFactory(status=S.APPROVED)
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        services.content_transition(
            item=item,
            actor=chief,
            target=S.SCHEDULED,
            go_live_at=local_go_live.replace(tzinfo=BRUSSELS),
        )
    with time_machine.travel(utc_due - timedelta(minutes=1), tick=False):
        assert services.content_publish_due() == []
        assert not published_content().filter(pk=item.pk).exists()
    with time_machine.travel(utc_due, tick=False):
        assert services.content_publish_due() == [item.pk]
        assert published_content().filter(pk=item.pk).exists()


def test_publish_due_through_the_celery_task(chief):
    from observatory.tasks import publish_due

    item = ContentItemFactory(status=S.SCHEDULED)
    ContentItem.objects.filter(pk=item.pk).update(go_live_at=datetime(2026, 1, 1, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 1, 1, 0, 1, tzinfo=UTC), tick=False):
        assert publish_due.delay().get() == [item.pk]
        assert publish_due.delay().get() == []
    assert ContentItem.objects.get(pk=item.pk).status == S.PUBLISHED


def test_publish_due_leaves_unscheduled_pieces_alone(chief):
    approved = ContentItemFactory(status=S.APPROVED)
    ContentItem.objects.filter(pk=approved.pk).update(go_live_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert services.content_publish_due() == []
    assert ContentItem.objects.get(pk=approved.pk).status == S.APPROVED


def test_emails_leave_only_after_commit(author, editor):
    item = ContentItemFactory(status=S.IN_REVIEW, created_by=author)
    services.content_transition(
        item=item, actor=editor, target=S.CHANGES_REQUESTED, message="Shorter, please."
    )
    assert OutboundEmail.objects.get().status == EmailStatus.QUEUED
