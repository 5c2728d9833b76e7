import pytest

from ai4media_portal.core.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[Role.FELLOWS_COORDINATOR], full_name="Fiona Fellows")


@pytest.fixture
def second_coordinator(db):
    return UserFactory(roles=[Role.FELLOWS_COORDINATOR])
