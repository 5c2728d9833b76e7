import pytest
from django.contrib.auth.models import AnonymousUser

from ai4media_portal.core.predicates import is_call_manager, is_network_manager
from ai4media_portal.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_role_predicates_follow_group_membership():
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    assert is_network_manager(manager) is True
    assert is_call_manager(manager) is False
    assert is_network_manager(AnonymousUser()) is False


def test_role_predicates_ignore_deactivated_users():
    manager = UserFactory(roles=[Role.CALL_MANAGER], is_active=False)
    assert is_call_manager(manager) is False
