"""Real-browser tests: headless Chromium (Debian's `chromium` package) driven by Playwright
against Django's live server. `.ci/run` installs Chromium; on a machine without it these tests
are skipped and say why."""

import os
import shutil
import time
from urllib.parse import urlparse

import pytest

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)


@pytest.fixture
def page(live_server):
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    live_host = urlparse(live_server.url).netloc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.external_requests = []
        page.console_errors = []
        page.on(
            "request",
            lambda request: (
                urlparse(request.url).netloc not in {live_host, ""}
                and not request.url.startswith("data:")
                and page.external_requests.append(request.url)
            ),
        )
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                # A form returned with its errors (HTTP 422) is expected, not a script error.
                and "status of 422" not in message.text
                and page.console_errors.append(message.text)
            ),
        )
        yield page
        # Inside Playwright's sync API the test's ORM calls may open their own connection
        # (asgiref's Local sees another context); close it here, where it was opened.
        from django.db import connections

        connections.close_all()
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(page, user, password: str) -> None:
    """Sign in through the real form, signing out first if someone is signed in."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        from django.core.cache import cache

        from tests.factories import totp_code

        # allauth refuses a code used twice in its 30 seconds; a person signing in again
        # would wait for the next code, the test forgets the first use instead.
        cache.clear()
        # A code typed in the last seconds of its 30-second window reaches the server in the
        # next one on a busy machine: wait for a fresh window, as a person would.
        left = 30 - time.time() % 30
        if left < 10:
            time.sleep(left + 0.5)
        page.locator("#id_code").fill(totp_code())
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "signing in failed"
    assert "/accounts/2fa/" not in page.url, "the second factor was refused"
