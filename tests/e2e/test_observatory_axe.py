"""The Observatory's public pages pass axe-core (WCAG 2.1 A and AA) with content on them."""

from datetime import date

import pytest

from ai4media_portal.core.roles import Role
from observatory import services
from observatory.enums import ContentStatus
from observatory.models import ContentAuthor
from tests.factories import UserFactory
from tests.observatory.factories import ContentItemFactory, topic

from .test_axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_observatory_public_pages_pass_axe(page):
    # A piece of the video series (the click-to-load player) signed by an expert.
    item = ContentItemFactory(
        status=ContentStatus.PUBLISHED, featured=True, video_url="https://vimeo.com/76979871"
    )
    item.topics.set([topic("policy-legislation")])
    editor = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    chief = UserFactory(roles=[Role.EDITOR_IN_CHIEF])
    regulation = services.regulation_save(
        actor=editor,
        data={
            "short_name": "AI Act",
            "name": "Regulation (EU) 2024/1689",
            "status": "in-force",
            "status_as_of": date(2025, 8, 2),
        },
    )
    services.milestone_add(
        actor=editor,
        regulation=regulation,
        data={
            "date": date(2099, 8, 2),
            "title": "Rules apply",
            "kind": "application",
            "source_url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
        },
    )
    expert = services.expert_create(
        actor=editor,
        data={
            "name": "Ioanna Papadaki",
            "headline": "Forensics",
            "bio": "Bio",
            "country": "GR",
            "languages": ["en"],
            "contact_email": "expert@uni.example.org",
        },
        for_self=False,
    )
    services.expert_approve(expert=expert, actor=chief)
    ContentAuthor.objects.create(item=item, expert=expert, position=1)
    problems = []
    for path in (
        "/observatory/",
        "/observatory/content/",
        item.get_absolute_url(),
        "/observatory/policy/",
        "/observatory/policy/ai-act/",
        "/observatory/experts/",
        expert.get_absolute_url(),
    ):
        problems += axe_violations(page, path)
    assert problems == []
    assert page.console_errors == []
