"""The Observatory's demo data: a board, every state, every topic and kind, idempotent."""

import pytest
from reversion.models import Version

from ai4media_portal.core.demo import DemoContext
from observatory import demo
from observatory.enums import ContentKind, ContentStatus, ProposalStatus
from observatory.models import (
    ContentItem,
    ContentProposal,
    EditorialTopic,
    Expert,
    Milestone,
    Regulation,
)
from observatory.selectors import listed_experts

pytestmark = pytest.mark.django_db


def _seed():
    demo.seed(DemoContext(log=lambda message: None))


def test_demo_has_every_state_topic_and_kind_and_is_idempotent():
    _seed()
    items = ContentItem.objects.all()
    assert items.count() >= 40
    assert set(items.values_list("status", flat=True)) == set(ContentStatus.values)
    assert set(items.values_list("kind", flat=True)) == set(ContentKind.values)
    assert set(
        EditorialTopic.objects.filter(items__isnull=False).values_list("slug", flat=True)
    ) == {slug for slug, _name in __import__("observatory.models").models.EDITORIAL_TOPICS}
    scheduled = items.filter(status=ContentStatus.SCHEDULED)
    assert scheduled.exists()
    assert all(item.go_live_at > demo_now() for item in scheduled)
    assert Version.objects.get_for_model(ContentItem).count() > items.count()
    assert set(ContentProposal.objects.values_list("status", flat=True)) == set(
        ProposalStatus.values
    )
    ai_act = Regulation.objects.get(slug="ai-act")
    assert ai_act.celex == "32024R1689"
    assert ai_act.milestones.filter(kind="proposed-change").exists()
    assert Regulation.objects.count() == len(demo.REGULATIONS)
    assert ai_act.items.exists()
    assert listed_experts().count() >= 20
    assert Expert.objects.filter(status="pending").count() == 1
    assert Expert.objects.filter(hidden=True).count() == 1
    count = items.count()
    _seed()
    assert Expert.objects.count() == len(demo.EXPERTS)
    assert Milestone.objects.count() == sum(len(row[-1]) for row in demo.REGULATIONS)
    assert ContentItem.objects.count() == count
    assert ContentProposal.objects.count() == len(demo.PROPOSALS)


def demo_now():
    from django.utils import timezone

    return timezone.now()


def test_demo_credits_experts_and_relates_public_outputs():
    from observatory.models import ContentAuthor
    from tests.outputs.factories import OutputFactory

    outputs = {OutputFactory().pk for _ in range(3)}
    _seed()
    signed = ContentItem.objects.filter(credits__expert__isnull=False).distinct()
    assert signed.count() >= 5
    assert all(
        credit.expert.status == "approved"
        for credit in ContentAuthor.objects.filter(expert__isnull=False)
    )
    related = ContentItem.objects.filter(related_outputs__isnull=False).distinct()
    assert related.exists()
    assert set(related.values_list("related_outputs", flat=True)) <= outputs


def test_demo_has_a_profile_edit_waiting_for_approval():
    _seed()
    waiting = Expert.objects.exclude(pending_changes={})
    assert waiting.count() == 1
    assert waiting.get().status == "approved"


def test_seeding_sends_no_workflow_email(django_capture_on_commit_callbacks, mailoutbox):
    from ai4media_portal.core.models import OutboundEmail

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _seed()
    assert callbacks  # the services did queue their emails ...
    assert not OutboundEmail.objects.filter(template__startswith="observatory/").exists()
    assert mailoutbox == []  # ... and none was delivered


def test_demo_videos_play_in_the_click_to_load_player_or_stay_links():
    _seed()
    videos = ContentItem.objects.filter(kind=ContentKind.INTERVIEW_VIDEO)
    assert any(item.video_embed is not None for item in videos)
