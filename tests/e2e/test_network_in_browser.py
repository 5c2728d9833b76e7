"""The associate-membership journey in a real browser, as the applicant and the network
manager make it: apply → information requested → resubmit → approve → listed → edited."""

import pytest

from ai4media_portal.core.roles import Role
from network.models import MembershipApplication
from tests.factories import PASSWORD, UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_membership_journey_in_the_browser(page):
    applicant = UserFactory(email="lena@lumina.example.be", full_name="Lena Lumina")
    manager = UserFactory(email="manager@example.org", roles=[Role.NETWORK_MANAGER])
    page.on("dialog", lambda dialog: dialog.accept())

    # The applicant applies; a bad website is refused beside the field, nothing is lost.
    sign_in(page, applicant, PASSWORD)
    page.goto("/network/apply/")
    page.locator("#id_org_name").fill("Lumina Media Labs")
    page.locator("#id_org_type").select_option("sme")
    page.locator("#id_org_country").select_option("BE")
    page.locator("#id_org_city").fill("Ghent")
    page.locator("#id_org_website").fill("not a website")
    page.locator("#id_org_description").fill("Tools that help newsrooms verify images.")
    page.locator("#id_contact_position").fill("Chief executive")
    page.locator("#id_motivation").fill("We want to test early demonstrators.")
    page.get_by_label("Computer vision").check()
    page.get_by_label("Testing early demonstrators").check()
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Submit application").first.click()
    assert page.locator("#id_org_website_error").inner_text() == "Enter a valid URL."
    assert page.locator("#id_org_name").input_value() == "Lumina Media Labs"
    assert page.get_by_label("Computer vision").is_checked()
    page.locator("#id_org_website").fill("https://lumina.example.be")
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Submit application").first.click()
    page.wait_for_url("**/network/applications/*/")
    application = MembershipApplication.objects.get()
    assert application.status == "submitted"

    # The manager finds it in the queue and asks for more information.
    sign_in(page, manager, PASSWORD)
    page.goto("/network/manage/applications/")
    page.get_by_role("link", name="Lumina Media Labs").click()
    page.get_by_role("button", name="Start the review").click()
    page.locator("#id_request-message").fill("Which newsrooms use your tools?")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "information-requested"

    # The applicant reads the question, edits and sends the application back.
    sign_in(page, applicant, PASSWORD)
    page.goto(f"/network/applications/{application.pk}/edit/")
    assert "Which newsrooms use your tools?" in page.content()
    page.locator("#id_motivation").fill("Three newsrooms in Flanders use our tools.")
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Save and send back").first.click()
    page.wait_for_url(f"**/network/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.status == "resubmitted"

    # The manager approves.
    sign_in(page, manager, PASSWORD)
    page.goto(f"/network/applications/{application.pk}/")
    page.locator("#id_approve-message").fill("Welcome aboard!")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "approved"

    # Anyone finds the organisation in the directory.
    page.context.clear_cookies()
    page.goto("/network/?q=lumin")
    page.get_by_role("link", name="Lumina Media Labs").click()
    assert "Associate member" in page.content()

    # Its new contact edits the public profile.
    sign_in(page, applicant, PASSWORD)
    page.goto(f"/network/organisations/{application.organisation.slug}/edit/")
    page.locator("#id_description").fill("Image verification for newsrooms across Europe.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Image verification for newsrooms across Europe." in page.content()
    assert page.external_requests == []
    assert page.console_errors == []
