"""Limits and idempotence hold when requests arrive at the same moment."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.db import connection

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.roles import Role
from observatory import services
from observatory.enums import ContentStatus
from observatory.models import ContactMessage, ContentItem, ContentStatusChange
from tests.factories import UserFactory

from .factories import ContentItemFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6


def _in_parallel(function) -> list:
    barrier = threading.Barrier(THREADS)

    def run(_):
        barrier.wait()
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def test_parallel_messages_never_pass_the_hourly_limit(settings):
    settings.OBSERVATORY_CONTACT_PER_HOUR = 2
    editor = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    chief = UserFactory(roles=[Role.EDITOR_IN_CHIEF])
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
    reader = UserFactory()

    def send():
        try:
            services.contact_send(expert=expert, actor=reader, subject="Hi", body="Hello")
        except PortalError:
            return False
        return True

    assert sorted(_in_parallel(send)) == [False] * (THREADS - 2) + [True] * 2
    assert ContactMessage.objects.count() == 2


def test_parallel_beat_runs_publish_a_piece_once():
    item = ContentItemFactory(status=ContentStatus.SCHEDULED)
    ContentItem.objects.filter(pk=item.pk).update(go_live_at=datetime(2026, 1, 1, tzinfo=UTC))
    results = _in_parallel(services.content_publish_due)
    assert sorted(results) == [[]] * (THREADS - 1) + [[item.pk]]
    assert ContentStatusChange.objects.filter(item=item).count() == 1
    assert ContentItem.objects.get(pk=item.pk).status == ContentStatus.PUBLISHED
