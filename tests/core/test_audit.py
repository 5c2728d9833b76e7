from datetime import timedelta

import pytest
from django.utils import timezone

from ai4media_portal.core.audit import audit_trail, log_action
from ai4media_portal.core.models import AuditEntry
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_action_object_and_data():
    actor = UserFactory(email="actor@example.org")
    target = UserFactory(email="target@example.org", full_name="Target Person")
    entry = log_action("accounts.test.action", actor=actor, target=target, data={"why": "test"})
    assert (entry.actor, entry.actor_repr, entry.action) == (
        actor,
        "actor@example.org",
        "accounts.test.action",
    )
    assert (entry.object_id, entry.object_repr, entry.data) == (
        str(target.pk),
        "Target Person",
        {"why": "test"},
    )
    assert list(audit_trail(target)) == [entry]


def test_audit_log_api_for_staff_filters_and_pages(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    log_action("network.application.approve", actor=staff_user)
    log_action("opencalls.proposal.submit", actor=staff_user)
    response = api_client.get("/api/v1/audit-log/", {"action": "network."})
    assert response.status_code == 200
    assert [row["action"] for row in response.json()["results"]] == ["network.application.approve"]


def test_audit_log_api_rejects_malformed_filter(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    response = api_client.get("/api/v1/audit-log/", {"since": "last tuesday"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "invalid", "detail": "Enter a valid date/time.", "attr": "since"}],
    }


def test_audit_log_api_cursor_pages_are_stable(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    base = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(action=f"test.{i}", created_at=base - timedelta(minutes=i)) for i in range(5)
    )
    first = api_client.get("/api/v1/audit-log/", {"page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    assert [r["action"] for r in first["results"]] == ["test.0", "test.1"]
    assert [r["action"] for r in second["results"]] == ["test.2", "test.3"]


def test_audit_log_api_query_count_is_constant(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    target = UserFactory()
    assert_constant_queries(
        api_client,
        "/api/v1/audit-log/",
        lambda: log_action("test.action", actor=staff_user, target=target),
    )
