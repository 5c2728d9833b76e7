"""Real-browser tests: headless Chromium (Debian's `chromium` package) driven by Playwright
against Django's live server. `.ci/run` installs Chromium; on a machine without it these tests
are skipped and say why."""

import os
import shutil
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
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
