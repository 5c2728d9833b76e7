"""The account journey in a real browser: keyboard access, sign-up, verification, API token."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db(transaction=True)


def test_skip_link_is_the_first_stop_for_keyboard_users(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.external_requests == []
    assert page.console_errors == []


def test_sign_up_verify_and_create_a_token_in_the_browser(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("browser.user@example.org")
    page.get_by_label("Full name").fill("Bruno Browser")
    page.locator("#id_password1").fill("short")
    page.locator("#id_password2").fill("short")
    page.get_by_role("button", name="Sign Up").click()

    # The weak password is refused beside the field; what was typed is still there.
    error = page.locator("#id_password1_error")
    assert "too short" in error.inner_text()
    assert page.get_by_label("Full name").input_value() == "Bruno Browser"
    assert page.locator("#id_password1").get_attribute("aria-invalid") == "true"

    page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")

    confirm_path = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[-1].body).group(0)
    page.goto(confirm_path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/me/profile/")

    page.get_by_role("textbox", name="Name", exact=True).fill("Harvester")
    page.get_by_role("button", name="Create token").click()
    key = page.locator("#new-token").inner_text().strip()
    assert len(key) >= 40
    assert page.get_by_role("cell", name="Harvester", exact=True).is_visible()

    response = page.request.get("/api/v1/me/", headers={"Authorization": f"Token {key}"})
    assert response.status == 200
    assert response.json()["email"] == "browser.user@example.org"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke Harvester").click()
    page.wait_for_load_state()
    response = page.request.get("/api/v1/me/", headers={"Authorization": f"Token {key}"})
    assert response.status == 401
    assert page.external_requests == []
    assert page.console_errors == []
