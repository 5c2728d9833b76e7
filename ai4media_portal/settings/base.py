"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(environ.Env().str("PORTAL_DATA_DIR", default=str(BASE_DIR / ".data")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")  # production.py insists on one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1
SITE_NAME = env.str("SITE_NAME", default="AI4Media Virtual Centre of Excellence")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Applications -------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_standardized_errors",
    "django_htmx",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.orcid",
    "reversion",
]
PORTAL_APPS = [
    "ai4media_portal.core",
    "ai4media_portal.accounts",
    "network",
    "observatory",
    "aida",
    "opencalls",
    "fellows",
    "outputs",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + PORTAL_APPS

MIDDLEWARE = [
    # First, so that its one line per request times and sees everything (core/logs.py).
    "ai4media_portal.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ai4media_portal.core.middleware.ConfidentialResponsesMiddleware",
    "ai4media_portal.core.request_guard.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ai4media_portal.core.middleware.HtmxRedirectsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ai4media_portal.core.middleware.UserTimezoneMiddleware",
    "ai4media_portal.accounts.middleware.PrivilegedRolesNeedMfaMiddleware",
]

ROOT_URLCONF = "ai4media_portal.urls"
WSGI_APPLICATION = "ai4media_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "ai4media_portal.core.context_processors.portal",
            ],
            "builtins": ["ai4media_portal.core.templatetags.portal"],
        },
    }
]
FORM_RENDERER = "ai4media_portal.core.forms.PortalFormRenderer"

# --- Data -------------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Keys that must keep working when Redis is down, in the database meanwhile: allauth's rate
# limits, the API throttles, and the replay guards (a TOTP code or an ORCID token used once).
RATE_LIMIT_KEY_PREFIXES = ("allauth:rl:", "throttle_", "allauth.mfa.totp.used?", "jwt:iss=")
if REDIS_URL:
    # Redis down: pages are served without a cache and the rate limits count in the database
    # (core/cache.py; README, "When things fail").
    CACHES = {
        "default": {
            "BACKEND": "ai4media_portal.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "FALLBACK": "fallback",
                "FALLBACK_KEY_PREFIXES": RATE_LIMIT_KEY_PREFIXES,
                "RETRY_AFTER": env.float("REDIS_RETRY_AFTER", default=5.0),
            },
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "core_cache_fallback",
            "KEY_PREFIX": "portal",
        },
    }
else:
    # Every worker process must see the same cache (rate limits, the public pages' versions):
    # without Redis, files under the data directory rather than each process's memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# Public pages and API lists for anonymous visitors (ai4media_portal/core/public_cache.py):
# the cache they live in (None turns the cache off), and how long an entry may stay unused.
# Entries are invalidated by version when the data they show changes, not by this timeout.
# Endpoints that answer in their protocol's own error format (OAI-PMH's badArgument) and refuse
# control characters in their arguments themselves (core/request_guard.py).
CONTROL_CHARACTER_PROTOCOL_PATHS = ("/oai/",)
PUBLIC_CACHE_ALIAS = env.str("PUBLIC_CACHE_ALIAS", default="default") or None
PUBLIC_CACHE_TIMEOUT = env.int("PUBLIC_CACHE_TIMEOUT", default=24 * 60 * 60)
# Each signed-in person's list pages (ai4media_portal/core/private_cache.py): dropped on any
# write to the database; the timeout only bounds writes made outside the portal (psql).
PRIVATE_CACHE_ALIAS = env.str("PRIVATE_CACHE_ALIAS", default="default") or None
PRIVATE_CACHE_TIMEOUT = env.int("PRIVATE_CACHE_TIMEOUT", default=5 * 60)

# Sessions are read from the shared cache and written through to the database: a signed-in
# request costs one query fewer, and a flushed cache loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_ADAPTER = "ai4media_portal.accounts.adapters.PortalAccountAdapter"
SOCIALACCOUNT_ADAPTER = "ai4media_portal.accounts.adapters.PortalSocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "ai4media_portal.accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AI4Media] "
ACCOUNT_PREVENT_ENUMERATION = True
# How many reverse proxies that the portal's operators run sit in front of it. Each appends the
# address it saw to X-Forwarded-For, so the client is the hop that many places from the right;
# anything further left was written by the client and is never believed. 0 (the default): the
# header is ignored and the connection's address is the client. Both the API's throttles and
# allauth's rate limits (sign-in, sign-up, password reset) read the client's address this way.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# allauth's defaults already limit logins per IP and per account; they are spelled out here
# so that nobody turns them off by accident.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AI4Media"
# Staff and holders of these roles must have an authenticator before they reach their tools.
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=True)

ORCID_CLIENT_ID = env.str("ORCID_CLIENT_ID", default="")
ORCID_SECRET = env.str("ORCID_SECRET", default="")
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS = {}
if ORCID_CLIENT_ID and ORCID_SECRET:
    SOCIALACCOUNT_PROVIDERS["orcid"] = {
        "APPS": [{"client_id": ORCID_CLIENT_ID, "secret": ORCID_SECRET}],
        "BASE_DOMAIN": env.str("ORCID_BASE_DOMAIN", default="orcid.org"),
        "MEMBER_API": env.bool("ORCID_MEMBER_API", default=False),
    }

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["ai4media_portal.formats"]
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
PORTAL_DEFAULT_TIMEZONE = "Europe/Brussels"

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(DATA_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(DATA_DIR / "media"))
# Confidential uploads (proposal documents, CVs) live outside MEDIA_ROOT and are only ever
# streamed through views that check permissions.
PRIVATE_MEDIA_ROOT = env.str("PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AI4Media portal <noreply@ai4media.eu>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[AI4Media] "
EMAIL_BACKEND = "ai4media_portal.core.mail.ConsoleAndFileEmailBackend"
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
OUTBOX_MAX_ATTEMPTS = 8

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# A task is acknowledged when it has finished, not when it starts, and given back to the queue
# when the process running it dies (SIGKILL, out of memory): a worker lost mid-task loses no
# task. Every task is therefore written to be run twice safely (README, "When things fail").
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With Redis, a task taken by a worker that vanishes entirely (the whole machine) is handed
# out again after the visibility timeout. It must exceed the longest task (CELERY_TASK_TIME_LIMIT)
# and the longest retry countdown (the outbox waits up to 32 minutes), or a task still running
# or waiting would be run a second time: two hours.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
}
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when Redis is down: the outbox sweep delivers what was not queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
# The Observatory's contact relay: messages a reader may send experts, per hour and per day.
OBSERVATORY_CONTACT_PER_HOUR = env.int("OBSERVATORY_CONTACT_PER_HOUR", default=3)
OBSERVATORY_CONTACT_PER_DAY = env.int("OBSERVATORY_CONTACT_PER_DAY", default=10)

CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "core.outbox_sweep", "schedule": 120.0},
    "opencalls-reminders": {
        "task": "opencalls.send_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "opencalls-review-reminders": {
        "task": "opencalls.evaluation.send_review_reminders",
        "schedule": crontab(hour=6, minute=15),
    },
    "outputs-lift-embargoes": {
        "task": "outputs.lift_embargoes",
        "schedule": crontab(hour=0, minute=5),
    },
    # Every minute, so that a scheduled piece goes live in the minute it is due.
    "observatory-publish-due": {"task": "observatory.publish_due", "schedule": 60.0},
    "fellows-report-reminders": {
        "task": "fellows.send_report_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
}

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ai4media_portal.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "ai4media_portal.core.api.parsers.JSONParser",
        "ai4media_portal.core.api.parsers.FormParser",
        "ai4media_portal.core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "ai4media_portal.core.api.ordering.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "ai4media_portal.core.api.pagination.PortalCursorPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "ai4media_portal.core.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "ai4media_portal.core.api.exceptions.portal_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
_STANDARD_ERROR_ENUMS = [
    "ValidationErrorEnum",
    "ClientErrorEnum",
    "ServerErrorEnum",
    *(f"ErrorCode{code}Enum" for code in (401, 404, 405, 406, 415, 429, 500)),
]
DRF_STANDARDIZED_ERRORS = {
    "ERROR_SCHEMAS": {
        "400": "ai4media_portal.core.api.schema.ErrorResponse400Serializer",
        "403": "ai4media_portal.core.api.schema.ErrorResponse403Serializer",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI4Media Virtual Centre of Excellence API",
    "DESCRIPTION": (
        "Open data of the AI4Media network (organisations, open calls, outputs, courses) and the "
        "authenticated tools of its members. Authenticate with a personal API token: "
        "`Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        **{
            name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
            for name in _STANDARD_ERROR_ENUMS
        },
        # Choice sets that several fields share get one name in the schema.
        "CountryEnum": "django_countries.countries",
        "OrganisationTypeEnum": "network.enums.OrganisationType",
        "ProposalOrganisationTypeEnum": "opencalls.enums.OrganisationType",
        "ErrorTypeEnum": "ai4media_portal.core.api.schema.ErrorTypeEnum",
        "ErrorCode403Enum": "ai4media_portal.core.api.schema.ErrorCode403Enum",
        "ApplicationStatusEnum": "network.enums.ApplicationStatus",
        "ContentLanguageEnum": "observatory.enums.ContentLanguage",
        # Fields named "kind" in several pillars, each its own choice set.
        "ContentKindEnum": "observatory.enums.ContentKind",
        "MilestoneKindEnum": "observatory.enums.MilestoneKind",
        "OutputKindEnum": "outputs.enums.OutputKind",
        "CreatorKindEnum": "outputs.enums.CreatorKind",
        "LinkKindEnum": "outputs.enums.LinkKind",
        "OutcomeKindEnum": "fellows.enums.OutcomeKind",
        "AidaLanguageEnum": "aida.enums.Language",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "ai4media_portal.core.api.schema.parameter_rules",
    ],
}

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # portal.js reads it to keep forms sendable after a new sign-in
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "ai4media_portal.core.views.csrf_failure"
# Every page loads its scripts, styles, fonts and images from the portal itself; nothing inline
# runs (a template that needs an inline block uses ``{{ request.csp_nonce }}``), nothing is
# framed, forms post only here (and to ORCID when its sign-in is on). Uploaded files are served
# with a stricter, sandboxing policy of their own (core.files.FILE_CSP).
_FORM_TARGETS = [SELF]
if env.str("ORCID_CLIENT_ID", default=""):
    _FORM_TARGETS.append("https://" + env.str("ORCID_BASE_DOMAIN", default="orcid.org"))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # Bootstrap draws form controls with data: SVGs; allauth shows the TOTP QR code as one.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": _FORM_TARGETS,
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ai4media_portal.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        # One JSON object per line, with the request id (production; core/logs.py).
        "json": {"()": "ai4media_portal.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The line per request (production turns it on; runserver prints its own).
        "portal.request": {"level": env.str("REQUEST_LOG_LEVEL", default="WARNING")},
    },
}
