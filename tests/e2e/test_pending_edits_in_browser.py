"""No button drops what was just typed, and a refused submit says why at the top: the
proposal form in a real browser, JavaScript on."""

import pytest

from opencalls.enums import ProposalStatus
from opencalls.models import Proposal
from tests.factories import PASSWORD
from tests.opencalls.factories import MINIMAL_PDF, CallFactory, complete_draft, submitted

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_right_after_editing_keeps_the_new_title_and_abstract(page, tmp_path):
    proposal = complete_draft()
    pdf = tmp_path / "second.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    sign_in(page, proposal.applicant, PASSWORD)
    page.goto(f"/calls/proposals/{proposal.pk}/edit/")

    # Typed, then "Upload document" at once: no autosave has had time to run.
    page.locator("#id_title").fill("A title typed a second ago")
    page.locator("#id_abstract").fill("An abstract typed a second ago.")
    page.locator("#id_document").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload document").click()
    page.wait_for_url(f"**/calls/proposals/{proposal.pk}/edit/#document")

    assert page.locator("#id_title").input_value() == "A title typed a second ago"
    assert page.locator("#id_abstract").input_value() == "An abstract typed a second ago."
    assert "second.pdf" in page.locator("#document").inner_text()
    proposal.refresh_from_db()
    assert (proposal.title, proposal.abstract, proposal.document_name) == (
        "A title typed a second ago",
        "An abstract typed a second ago.",
        "second.pdf",
    )
    assert page.console_errors == []


def test_a_refused_submit_opens_on_the_summary_and_its_link_reaches_the_field(page):
    call = CallFactory()
    submitted(call=call, registration="BE 0123.456.789")
    colleague = complete_draft(call=call, registration="0123456789")
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit your proposal now?"
    sign_in(page, colleague.applicant, PASSWORD)
    page.goto(f"/calls/proposals/{colleague.pk}/edit/")

    page.get_by_role("button", name="Submit proposal").click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')") is True
    assert "Your proposal was not submitted." in summary.inner_text()
    summary.get_by_role("link", name="Registration number").click()
    assert page.evaluate("document.activeElement.id") == "id_organisation_registration_number"
    # The field is in view, not under the sticky Save/Submit bar.
    field = page.locator("#id_organisation_registration_number").bounding_box()
    bar = page.locator(".sticky-actions").bounding_box()
    assert field["y"] + field["height"] <= bar["y"]
    assert Proposal.objects.get(pk=colleague.pk).status == ProposalStatus.DRAFT
