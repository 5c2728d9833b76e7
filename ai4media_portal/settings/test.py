"""The test suite: real PostgreSQL, eager Celery, in-memory email."""

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES, REST_FRAMEWORK

SECRET_KEY = "test-only-secret-key"
# The live server's threads must not keep connections open past the test database's life.
DATABASES["default"]["CONN_MAX_AGE"] = 0
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests roll their transactions back, so invalidation on commit never runs: the page caches are
# off, except in the tests of the caches themselves (tests/core/test_public_cache.py,
# tests/core/test_private_cache.py).
PUBLIC_CACHE_ALIAS = None
PRIVATE_CACHE_ALIAS = None
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "test-media")},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "test-private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MFA_REQUIRED_FOR_PRIVILEGED = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "5000/min"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
