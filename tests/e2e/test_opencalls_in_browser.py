"""An applicant's proposal in a real browser, JavaScript on: the draft saves itself while
they type, a wrong upload is refused, what is missing is listed, and submitting gives a
reference number and a receipt."""

import re

import pytest
from django.core import mail

from opencalls.models import Proposal
from tests.factories import PASSWORD, UserFactory
from tests.opencalls.factories import MINIMAL_PDF, CallFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_proposal_autosaves_and_submits_in_the_browser(page, tmp_path):
    call = CallFactory(title="Open Call #9", one_proposal_per_organisation=True)
    applicant = UserFactory(email="ines@example.pt", full_name="Inês Applicant")
    not_a_pdf = tmp_path / "proposal.pdf"
    not_a_pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    real_pdf = tmp_path / "real.pdf"
    real_pdf.write_bytes(MINIMAL_PDF)

    page.on("dialog", lambda dialog: dialog.accept())  # "Submit your proposal now?"
    sign_in(page, applicant, PASSWORD)
    page.goto(f"/calls/{call.number}/")
    page.get_by_role("button", name="Start a proposal").click()
    page.wait_for_url("**/calls/proposals/*/edit/")
    proposal = Proposal.objects.get(applicant=applicant)

    # Typing is enough: the draft saves itself.
    page.locator("#id_acronym").fill("TIDE")
    page.locator("#id_title").fill("Tracing images in the news")
    page.locator("#id_title").blur()
    page.get_by_text("Draft saved at").wait_for()
    proposal.refresh_from_db()
    assert (proposal.acronym, proposal.title) == ("TIDE", "Tracing images in the news")

    # A file that only pretends to be a PDF is refused beside the field.
    page.locator("#id_document").set_input_files(str(not_a_pdf))
    page.get_by_role("button", name="Upload document").click()
    page.wait_for_load_state()
    assert "This file is not a PDF document." in page.locator("#id_document_error").inner_text()
    assert page.locator("#id_title").input_value() == "Tracing images in the news"
    page.locator("#id_document").set_input_files(str(real_pdf))
    page.get_by_role("button", name="Upload document").click()
    page.wait_for_load_state()

    # Fill in the rest; the budget does not add up yet and the list says so.
    page.locator("#id_organisation_name").fill("Maré Media Lab")
    page.locator("#id_organisation_type").select_option("sme")
    page.locator("#id_organisation_country").select_option("PT")
    page.locator("#id_organisation_registration_number").fill("PT509876543")
    page.locator("#id_organisation_is_sme").select_option(label="Yes")
    page.locator("#id_challenge").select_option(index=1)
    page.locator("#id_abstract").fill("We trace where news images come from.")
    page.locator("#id_duration_months").fill("12")
    page.locator("#id_team-0-full_name").fill("Inês Applicant")
    page.locator("#id_team-0-email").fill("ines@example.pt")
    page.locator("#id_team-0-role").fill("Project lead")
    page.locator("#id_requested_funding").fill("45000")
    page.locator("#id_budget-personnel").fill("40000")
    page.locator("#id_milestones-0-month").fill("6")
    page.locator("#id_milestones-0-title").fill("Prototype")
    page.locator("#id_declare_honour").check()
    page.locator("#id_declare_no_double_funding").check()
    page.locator("#id_declare_privacy").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "€40,000.00 but you request €45,000.00" in page.content()

    page.locator("#id_budget-travel").fill("5000")
    page.get_by_role("button", name="Submit proposal").click()
    page.wait_for_url(f"**/calls/proposals/{proposal.pk}/")
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    reference = proposal.current_version.reference
    assert re.fullmatch(rf"AI4M-OC{call.number}-\d{{4}}-v1", reference)
    assert reference in page.content()
    assert any(reference in message.body for message in mail.outbox)
    assert page.external_requests == []
    assert page.console_errors == []
