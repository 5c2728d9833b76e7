"""What an attacker tries, in a real browser: an uploaded "image" carrying a script never runs
on the portal's origin; and what a person whose session ended sees: an autosave that could not
be saved says so beside the form, keeps the text, and saves it once they have signed in again
in another tab."""

import contextlib
import io
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import Error as PlaywrightError

from network.models import MembershipApplication
from tests.core.test_uploads import SVG, gif_with_script
from tests.factories import PASSWORD, UserFactory
from tests.network.factories import topic
from tests.opencalls.factories import complete_draft

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HTML_PROBE = b"<html><body><script>window.pwned = 1; alert('pwned')</script></body></html>"


def watch_for_scripts(page) -> list[str]:
    dialogs = []

    def seen(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    return dialogs


def test_logo_with_a_script_never_runs_on_the_portal(page, tmp_path):
    topic("computer-vision")
    applicant = UserFactory()
    dialogs = watch_for_scripts(page)
    probe = tmp_path / "probe.html"
    probe.write_bytes(gif_with_script())

    sign_in(page, applicant, PASSWORD)
    page.goto("/network/apply/")
    page.locator("#id_org_name").fill("Probe Labs")
    page.locator("#id_org_type").select_option("sme")
    page.locator("#id_org_country").select_option("BE")
    page.locator("#id_org_website").fill("https://probe.example.be")
    page.locator("#id_org_description").fill("We probe.")
    page.locator("#id_contact_position").fill("Tester")
    page.locator("#id_motivation").fill("Testing.")
    page.get_by_label("Computer vision").check()
    page.get_by_label("Testing early demonstrators").check()
    page.locator("#id_org_logo").set_input_files(str(probe))
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/network/applications/*/")
    application = MembershipApplication.objects.get()

    # The applicant sees the logo on the page and at its own address: a plain image.
    assert page.locator("img.organisation-logo-large").evaluate("img => img.naturalWidth") == 1
    response = page.goto(f"/network/applications/{application.pk}/logo/")
    assert response.all_headers()["content-type"] == "image/png"
    assert page.evaluate("() => window.pwned") is None
    # Nothing of it is public.
    assert page.goto(f"/media/{application.org_logo.name}").status == 404
    assert dialogs == []


@pytest.fixture
def portal_server(live_server):
    """The portal served as in production. Django's live server answers ``/media/`` itself,
    without the portal's view; this one sends every request through the portal."""
    from django.core.handlers.wsgi import WSGIHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_files_stored_before_uploads_were_checked_never_run(page, portal_server):
    dialogs = watch_for_scripts(page)
    as_image = default_storage.save("legacy/probe.png", io.BytesIO(HTML_PROBE))
    as_page = default_storage.save("legacy/probe.html", io.BytesIO(HTML_PROBE))
    as_svg = default_storage.save("legacy/probe.svg", io.BytesIO(SVG))

    # Content that is not an image, under an image's name: shown as a (broken) image.
    response = page.goto(f"{portal_server}/media/{as_image}")
    assert response.all_headers()["content-security-policy"].startswith("sandbox")
    assert page.evaluate("() => window.pwned") is None

    # A page or an SVG is downloaded, never opened.
    for name, download_name in [(as_page, "probe.bin"), (as_svg, "probe.bin")]:
        # The navigation turns into a download, which Playwright reports as an error.
        with page.expect_download() as download, contextlib.suppress(PlaywrightError):
            page.goto(f"{portal_server}/media/{name}")
        assert download.value.suggested_filename == download_name
    assert dialogs == []
    assert page.evaluate("() => window.pwned") is None


def test_autosave_after_the_session_ended_says_so_keeps_the_text_and_saves_later(page):
    proposal = complete_draft()
    sign_in(page, proposal.applicant, PASSWORD)
    page.goto(f"/calls/proposals/{proposal.pk}/edit/")
    page.locator("#id_title").fill("Before the session ended")
    page.locator("#id_title").blur()
    page.get_by_text("Draft saved at").wait_for()

    # The session ends (the cookie goes, as when it expires); the applicant keeps typing.
    page.context.clear_cookies(name="sessionid")
    page.locator("#id_abstract").fill("Typed while signed out: not to be lost.")
    page.locator("#id_abstract").blur()
    status = page.locator("#autosave-status")
    status.get_by_role("alert").wait_for()
    assert status.inner_text().strip() == (
        "Not saved: You are signed out. Sign in again in a new tab. What you typed stays on "
        "this page; it is saved as soon as you are back."
    )
    assert status.locator("form").count() == 0  # not the sign-in page squeezed into the box
    assert page.locator("#id_abstract").input_value() == "Typed while signed out: not to be lost."
    proposal.refresh_from_db()
    assert proposal.abstract != "Typed while signed out: not to be lost."

    # Signing in again in another tab, then coming back, saves what was typed.
    link = status.get_by_role("link", name="Sign in again in a new tab")
    assert link.get_attribute("target") == "_blank"
    with page.context.expect_page() as new_tab:
        link.click()
    other = new_tab.value
    other.wait_for_load_state()
    other.locator("#id_login").fill(proposal.applicant.email)
    other.locator("#id_password").fill(PASSWORD)
    other.get_by_role("button", name="Sign In").click()
    other.wait_for_url(f"**/calls/proposals/{proposal.pk}/edit/")
    other.close()
    page.bring_to_front()
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")
    page.get_by_text("Draft saved at").wait_for()
    proposal.refresh_from_db()
    assert proposal.abstract == "Typed while signed out: not to be lost."
    assert page.external_requests == []
