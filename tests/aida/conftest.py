import pytest

from ai4media_portal.core.roles import Role
from tests.factories import UserFactory

from .factories import LecturerFactory, MemberFactory


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[Role.AIDA_COORDINATOR], full_name="Chloé Coordinator")


@pytest.fixture
def representative(db):
    return UserFactory(full_name="Rita Representative")


@pytest.fixture
def member(db, representative):
    return MemberFactory(representatives=[representative])


@pytest.fixture
def lecturer(db, member):
    return LecturerFactory(member=member, user=UserFactory(full_name="Luca Lecturer"))
