"""The permission matrix of the portal's shared pages; each pillar extends the pattern."""

import pytest

from tests.utils import Access, check_matrix

pytestmark = pytest.mark.django_db

ROWS = [
    Access("get", "/", "anonymous", 200),
    Access("get", "/me/", "anonymous", 302),
    Access("get", "/me/", "member", 200),
    Access("get", "/me/profile/", "evaluator", 200),
    Access("get", "/admin/", "anonymous", 302),
    Access("get", "/admin/", "member", 302),
    Access("get", "/admin/", "call-manager", 302),
    Access("get", "/api/v1/me/", "anonymous", 401),
    Access("get", "/api/v1/me/", "member", 200),
    Access("get", "/api/v1/audit-log/", "anonymous", 401),
    Access("get", "/api/v1/audit-log/", "member", 403),
    Access("get", "/api/v1/audit-log/", "network-manager", 403),
    Access("get", "/api/v1/audit-log/", "staff", 200),
]


def test_permission_matrix(client, people):
    check_matrix(client, people, ROWS)


def test_admin_is_open_to_staff(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200
