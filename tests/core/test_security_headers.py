"""The portal's responses graded the way Mozilla's HTTP Observatory grades a site, with the
production settings: every page scores A+ (100 or more). The rules below are the Observatory's
published scoring table for the tests that response headers decide (CSP, cookies, HSTS,
redirection, Referrer-Policy, X-Content-Type-Options, X-Frame-Options, CORP, CORS, SRI);
bonuses count only when the score without them is at least 90.

Also: confidential responses are never stored (``Cache-Control: private, no-store``)."""

import importlib
import re
import sys
from html.parser import HTMLParser

import pytest
from django.test import Client

from ai4media_portal.accounts.services import api_token_create
from ai4media_portal.core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOST = "portal.example.org"
HTTPS = {"secure": True, "HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}
SIX_MONTHS = 15768000
PRODUCTION_PREFIXES = (
    "SECURE_",
    "SESSION_COOKIE_",
    "CSRF_COOKIE_",
    "LANGUAGE_COOKIE_",
    "CONTENT_SECURITY_POLICY",
    "X_FRAME_OPTIONS",
)


@pytest.fixture
def production(settings, monkeypatch):
    """The security settings of ``settings/production.py``, as a deployment gets them."""
    monkeypatch.setenv("SECRET_KEY", "p" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", HOST)
    sys.modules.pop("ai4media_portal.settings.production", None)
    module = importlib.import_module("ai4media_portal.settings.production")
    sys.modules.pop("ai4media_portal.settings.production", None)
    for name in dir(module):
        if name.startswith(PRODUCTION_PREFIXES):
            setattr(settings, name, getattr(module, name))
    settings.ALLOWED_HOSTS = module.ALLOWED_HOSTS
    settings.DEBUG = module.DEBUG
    return module


# --- The Observatory's scoring table (the parts that headers decide) -------------------------


def csp_directives(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.strip().lower().split()
        if words:
            directives.setdefault(words[0], words[1:])
    return directives


def score_csp(headers) -> tuple[str, int]:
    value = headers.get("Content-Security-Policy")
    if not value:
        return "csp-not-implemented", -25
    directives = csp_directives(value)
    if not directives:
        return "csp-header-invalid", -25

    def sources(name):
        return directives.get(name, directives.get("default-src", []))

    script, style = sources("script-src"), sources("style-src")
    active = script + sources("object-src")
    passive = sources("img-src") + sources("media-src")

    def insecure(values):
        return any(v in ("*", "http:", "https:") or v.startswith("http://") for v in values)

    if insecure(active):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-inline'" in script or "data:" in script:
        return "csp-implemented-with-unsafe-inline", -20
    if "'unsafe-eval'" in script:
        return "csp-implemented-with-unsafe-eval", -10
    if insecure(passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only", -10
    if "'unsafe-inline'" in style:
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if directives.get("default-src") == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 0


def score_cookies(cookies, hsts: bool) -> tuple[str, int]:
    if not cookies:
        return "cookies-not-found", 0
    morsels = list(cookies.values())

    def is_session(m):
        return any(word in m.key.lower() for word in ("sess", "login"))

    if any(is_session(m) and not m["secure"] for m in morsels):
        return (
            ("cookies-session-without-secure-flag-but-protected-by-hsts", -10)
            if hsts
            else ("cookies-session-without-secure-flag", -40)
        )
    if any(is_session(m) and not m["httponly"] for m in morsels):
        return "cookies-session-without-httponly-flag", -30
    if any("csrf" in m.key.lower() and not m["samesite"] for m in morsels):
        return "cookies-anticsrf-without-samesite-flag", -20
    if any(
        m["samesite"] and m["samesite"].lower() not in ("lax", "strict", "none") for m in morsels
    ):
        return "cookies-samesite-flag-invalid", -20
    if any(not m["secure"] for m in morsels):
        return (
            ("cookies-without-secure-flag-but-protected-by-hsts", -5)
            if hsts
            else ("cookies-without-secure-flag", -20)
        )
    if all(m["samesite"] for m in morsels):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def hsts_max_age(headers) -> int | None:
    match = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""), re.I)
    return int(match.group(1)) if match else None


def score_hsts(headers) -> tuple[str, int]:
    max_age = hsts_max_age(headers)
    if max_age is None:
        return "hsts-not-implemented", -20
    if max_age < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", -10
    # Being on the browsers' preload list (+5) is decided outside the portal: not counted.
    return "hsts-implemented-max-age-at-least-six-months", 0


def score_referrer(headers) -> tuple[str, int]:
    value = headers.get("Referrer-Policy")
    if not value:
        return "referrer-policy-not-implemented", 0
    last = value.split(",")[-1].strip().lower()
    if last in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
        return "referrer-policy-private", 5
    if last == "no-referrer-when-downgrade":
        return "referrer-policy-no-referrer-when-downgrade", 0
    if last in ("origin", "origin-when-cross-origin", "unsafe-url"):
        return "referrer-policy-unsafe", -5
    return "referrer-policy-header-invalid", -5


def score_nosniff(headers) -> tuple[str, int]:
    value = headers.get("X-Content-Type-Options")
    if value is None:
        return "x-content-type-options-not-implemented", -5
    if value.strip().lower() != "nosniff":
        return "x-content-type-options-header-invalid", -5
    return "x-content-type-options-nosniff", 0


def score_framing(headers) -> tuple[str, int]:
    ancestors = csp_directives(headers.get("Content-Security-Policy", "")).get("frame-ancestors")
    if ancestors in (["'none'"], ["'self'"]):
        return "x-frame-options-implemented-via-csp", 5
    value = headers.get("X-Frame-Options", "").strip().upper()
    if value in ("DENY", "SAMEORIGIN"):
        return "x-frame-options-sameorigin-or-deny", 0
    if not value:
        return "x-frame-options-not-implemented", -20
    return "x-frame-options-header-invalid", -20


def score_corp(headers) -> tuple[str, int]:
    value = headers.get("Cross-Origin-Resource-Policy")
    if value is None:
        return "cross-origin-resource-policy-not-implemented", 0
    if value.strip().lower() in ("same-origin", "same-site", "cross-origin"):
        return f"cross-origin-resource-policy-implemented-with-{value.strip().lower()}", 0
    return "cross-origin-resource-policy-header-invalid", -5


def score_cors(headers) -> tuple[str, int]:
    origin = headers.get("Access-Control-Allow-Origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented", 0
    if origin.strip() == "*" and headers.get("Access-Control-Allow-Credentials") == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    return "cross-origin-resource-sharing-implemented-with-public-access", 0


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def score_sri(headers, body: bytes) -> tuple[str, int]:
    if "html" not in headers.get("Content-Type", ""):
        return "sri-not-implemented-response-not-html", 0
    parser = _Scripts()
    parser.feed(body.decode())
    sources = [s.get("src") or "" for s in parser.scripts if s.get("src")]
    external = [s for s in sources if re.match(r"^(https?:)?//", s) and HOST not in s]
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    if not external:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    if any(s.startswith("http://") for s in external):
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def observatory(response, cookies, redirection) -> tuple[int, dict[str, int]]:
    """The score of one response, with the site's cookies and its http→https redirection."""
    headers = response.headers
    results = dict(
        [
            score_csp(headers),
            score_cookies(cookies, hsts=(hsts_max_age(headers) or 0) >= SIX_MONTHS),
            score_hsts(headers),
            redirection,
            score_referrer(headers),
            score_nosniff(headers),
            score_framing(headers),
            score_corp(headers),
            score_cors(headers),
            score_sri(headers, response.content if not response.streaming else b""),
        ]
    )
    penalties = sum(v for v in results.values() if v < 0)
    bonuses = sum(v for v in results.values() if v > 0)
    base = 100 + penalties
    return base + (bonuses if base >= 90 else 0), results


def grade(score: int) -> str:
    for bound, letter in [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-")]:
        if score >= bound:
            return letter
    return "C or below"


def score_redirection(client) -> tuple[str, int]:
    response = client.get("/", HTTP_HOST=HOST)
    if response.status_code not in (301, 302, 307, 308):
        return "redirection-missing", -20
    if response["Location"] != f"https://{HOST}/":
        return "redirection-not-to-https", -20
    return "redirection-to-https", 0


def sign_in_cookies(client, user):
    """Every cookie the portal sets while someone opens the sign-in page and signs in."""
    jar = {}
    response = client.get("/accounts/login/", **HTTPS)
    jar.update(response.cookies)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, **HTTPS)
    assert response.status_code == 302, response.content[:500]
    jar.update(response.cookies)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, **HTTPS)
    jar.update(response.cookies)
    return jar


# --- The grade ------------------------------------------------------------------------------


PUBLIC = ["/", "/network/", "/calls/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]
SIGNED_IN = ["/", "/me/", "/me/profile/", "/network/apply/", "/calls/my/"]


def test_every_page_scores_a_plus_with_production_settings(client, production):
    user = UserFactory(roles=[Role.PARTNER])
    redirection = score_redirection(client)
    cookies = sign_in_cookies(client, user)
    assert sorted(cookies) == ["csrftoken", "django_language", "messages", "sessionid"]
    graded = {}
    for who, paths in [(Client(), PUBLIC), (client, SIGNED_IN)]:
        for path in paths:
            response = who.get(path, **HTTPS)
            assert response.status_code == 200, path
            graded[f"{path} ({'signed in' if who is client else 'visitor'})"] = observatory(
                response, cookies, redirection
            )
    assert len(graded) == len(PUBLIC) + len(SIGNED_IN)
    assert {page: grade(score) for page, (score, _) in graded.items()} == dict.fromkeys(
        graded, "A+"
    ), graded
    score, results = graded["/me/ (signed in)"]
    assert results == {
        "csp-implemented-with-no-unsafe-default-src-none": 10,
        "cookies-secure-with-httponly-sessions-and-samesite": 5,
        "hsts-implemented-max-age-at-least-six-months": 0,
        "redirection-to-https": 0,
        "referrer-policy-private": 5,
        "x-content-type-options-nosniff": 0,
        "x-frame-options-implemented-via-csp": 5,
        "cross-origin-resource-policy-implemented-with-same-origin": 0,
        "cross-origin-resource-sharing-not-implemented": 0,
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    }
    assert score == 125


def test_api_responses_score_a_plus_too(client, production, api_client):
    user = UserFactory()
    _token, key = api_token_create(user=user, name="script")
    redirection = score_redirection(client)
    for path in ["/api/v1/calls/", "/api/v1/me/", "/api/schema/"]:
        response = api_client.get(path, HTTP_AUTHORIZATION=f"Token {key}", **HTTPS)
        assert response.status_code == 200, path
        score, results = observatory(response, {}, redirection)
        assert grade(score) == "A+", (path, results)


def test_the_scoring_gives_the_grade_reported_before_the_policy(client, production):
    """Without a Content-Security-Policy the same headers score 75, a B: the starting point."""
    response = client.get("/", **HTTPS)
    del response.headers["Content-Security-Policy"]
    score, results = observatory(response, {}, score_redirection(client))
    assert (score, grade(score), results["csp-not-implemented"]) == (75, "B", -25)


def test_policy_has_no_inline_code_and_forbids_framing(client):
    policy = csp_directives(client.get("/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert all("'unsafe-inline'" not in sources for sources in policy.values())


# --- Confidential responses are not stored -------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/me/", "/me/profile/", "/network/apply/", "/calls/my/", "/calls/evaluation/", "/"]
)
def test_every_page_for_a_signed_in_person_is_private_no_store(client, path):
    client.force_login(UserFactory(roles=[Role.EVALUATOR]))
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", ["/", "/network/", "/calls/", "/api/v1/calls/"])
def test_public_pages_for_visitors_may_be_cached(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/proposals/", "/api/v1/calls/"])
def test_api_responses_to_a_token_are_private_no_store(api_client, path):
    _token, key = api_token_create(user=UserFactory(), name="script")
    response = api_client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/proposals/", "/api/v1/audit-log/"])
def test_refused_api_calls_are_not_stored_either(api_client, path):
    response = api_client.get(path)
    assert response.status_code in (401, 403)
    assert response["Cache-Control"] == "private, no-store"
