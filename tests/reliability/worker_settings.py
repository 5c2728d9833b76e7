"""Settings of the Celery worker processes that the reliability tests start and kill: the
production settings' Celery behaviour (base.py) on the test database and the test's own Redis
(both from the environment), with the faults the test asks for (``tests.reliability.faulty``).
"""

import os

from ai4media_portal.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_CACHE_ALIAS = None
EMAIL_BACKEND = "tests.reliability.faulty.SlowOnceFileBackend"
EMAIL_FILE_PATH = os.path.join(os.environ.get("FAULT_DIR", "/tmp"), "mail")
SITE_URL = "http://testserver"

# Production's logs: JSON lines through Django's configuration, with the request id.
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {"console": {**LOGGING["handlers"]["console"], "formatter": "json"}},  # noqa: F405
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

import tests.reliability.faulty  # noqa: E402, F401 — the worker's fault hooks
