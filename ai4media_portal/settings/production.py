"""Production: secure by default; every secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 32 characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)

# Logs: one JSON line per record on stdout, one per request (request id, user id, path, status,
# duration), the request id carried into the tasks it queues (core/logs.py). The worker logs
# through the same configuration rather than Celery's own format.
_console = {**LOGGING["handlers"]["console"], "formatter": env.str("LOG_FORMAT", default="json")}
LOGGING = {
    **LOGGING,
    "handlers": {"console": _console},
    "loggers": {
        **LOGGING["loggers"],
        "portal.request": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
