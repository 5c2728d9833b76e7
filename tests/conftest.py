import pytest
from celery.result import _set_task_join_will_block
from django.core.cache import cache
from rest_framework.test import APIClient

from ai4media_portal.core.roles import Role

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _celery_joins_allowed():
    """Eager tasks mark the process "inside a task" while they run, in a flag shared by all
    threads; two threads running eager tasks at once (the parallel-request tests) can leave it
    set, and a later test waiting on an eager result would be refused. Each test starts
    clear."""
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles, rate limits and used TOTP codes live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def people(db):
    """One person per role, plus an anonymous visitor (None), a plain member, staff and a
    superuser:
    the rows of a permission matrix name them by these keys."""
    everyone = {
        "anonymous": None,
        "member": UserFactory(),
        "staff": UserFactory(is_staff=True),
        # An admin account holds no pillar role: it acts for nobody and decides nothing.
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    for role in Role:
        everyone[role.value] = UserFactory(roles=[role])
    return everyone
