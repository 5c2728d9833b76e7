import csv
import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from opencalls import services
from opencalls.enums import (
    CallStage,
    DeliverableStatus,
    ProposalStatus,
    ScreeningOutcome,
    TrancheStatus,
)
from opencalls.models import Call, FundedProject, Proposal
from tests.utils import assert_constant_queries

from .factories import (
    MINIMAL_PDF,
    CallFactory,
    applicant,
    close,
    complete_draft,
    eligible,
    funded,
    manager,
    pdf_upload,
    selected,
    submitted,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def _edit_data(proposal, **overrides) -> dict:
    """What the edit page posts for ``proposal`` as it stands, with ``overrides``."""
    challenge = proposal.challenge_id or ""
    data = {
        "organisation_name": proposal.organisation_name,
        "organisation_type": proposal.organisation_type,
        "organisation_country": str(proposal.organisation_country),
        "organisation_registration_number": proposal.organisation_registration_number,
        "organisation_is_sme": {True: "yes", False: "no"}.get(proposal.organisation_is_sme, ""),
        "challenge": challenge,
        "acronym": proposal.acronym,
        "title": proposal.title,
        "abstract": proposal.abstract,
        "requested_funding": proposal.requested_funding or "",
        "duration_months": proposal.duration_months or "",
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-0-full_name": "Ada Lovelace",
        "team-0-email": "ada@example.org",
        "team-0-role": "Lead",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-month": "6",
        "milestones-0-title": "Prototype",
        "budget-personnel": "40000.00",
        "budget-personnel_note": "Staff",
        "budget-travel": "5000.00",
    }
    for name in ("declare_honour", "declare_no_double_funding", "declare_privacy"):
        if getattr(proposal, name):
            data[name] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Public pages -----------------------------------------------------------------------------


def test_calls_index_groups_calls_and_hides_drafts(client):
    now = timezone.now()
    CallFactory(title="Running call")
    CallFactory(
        title="Coming call",
        opens_at=now + dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=30),
    )
    CallFactory(
        title="Old call",
        opens_at=now - dt.timedelta(days=90),
        closes_at=now - dt.timedelta(days=30),
    )
    CallFactory(title="Secret draft", stage=CallStage.DRAFT)
    html = client.get("/calls/").content.decode()
    open_part, rest = html.split('id="upcoming-title"')
    upcoming_part, past_part = rest.split('id="past-title"')
    assert "Running call" in open_part
    assert "Coming call" in upcoming_part
    assert "Old call" in past_part
    assert "Secret draft" not in html
    assert "<time data-countdown datetime=" in open_part


def test_call_page_shows_deadline_in_call_and_viewer_timezone(client):
    call = CallFactory(
        closes_at=dt.datetime(2031, 12, 1, 17, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    )
    client.force_login(applicant(timezone="Asia/Tokyo"))
    html = client.get(f"/calls/{call.number}/").content.decode()
    assert "1 December 2031, 17:00 CET" in html
    assert "Your time: 2 December 2031, 01:00 JST" in html
    assert 'datetime="2031-12-02T01:00:00+09:00"' in html
    assert "Start a proposal" in html


def test_draft_call_page_is_hidden_from_the_public(client):
    call = CallFactory(stage=CallStage.DRAFT)
    assert client.get(f"/calls/{call.number}/").status_code == 404
    client.force_login(applicant())
    assert client.get(f"/calls/{call.number}/").status_code == 404
    client.force_login(manager())
    assert client.get(f"/calls/{call.number}/").status_code == 200


def test_calls_index_constant_queries(client):
    assert_constant_queries(client, "/calls/", lambda: CallFactory())


def test_projects_catalogue_filters_and_constant_queries(client):
    count = assert_constant_queries(client, "/calls/projects/", lambda: funded())
    assert count > 0
    project = FundedProject.objects.first()
    html = client.get(f"/calls/projects/?call={project.call.number}&track=research&country=BE")
    assert project.acronym in html.content.decode()
    html = client.get("/calls/projects/?track=application").content.decode()
    assert "LUMEN" not in html


def test_project_page_public_part_only_for_visitors(client):
    project = funded()
    html = client.get(f"/calls/projects/{project.pk}/").content.decode()
    assert "LUMEN" in html
    assert "Follow-up" not in html
    assert project.agreement_reference not in html
    client.force_login(project.beneficiary)
    html = client.get(f"/calls/projects/{project.pk}/").content.decode()
    assert "Follow-up" in html
    assert project.agreement_reference in html


def test_project_page_never_shows_non_funded_proposals(client):
    proposal = submitted(title="Hidden idea")
    assert "Hidden idea" not in client.get("/calls/projects/").content.decode()
    assert client.get(f"/calls/projects/{proposal.pk}/").status_code == 404


# --- Applicant portal -------------------------------------------------------------------------


def test_start_a_proposal_from_the_call_page(client):
    call = CallFactory()
    user = applicant()
    client.force_login(user)
    response = client.post(f"/calls/{call.number}/start/")
    proposal = Proposal.objects.get(applicant=user)
    assert response.status_code == 302
    assert response["Location"] == f"/calls/proposals/{proposal.pk}/edit/"


def test_edit_page_saves_valid_fields_and_reports_invalid_ones(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    data = _edit_data(
        proposal, title="New title", requested_funding="lots", **{"team-0-email": "nope"}
    )
    response = client.post(f"/calls/proposals/{proposal.pk}/edit/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_requested_funding_error">Enter a number.</div>' in html
    assert 'value="lots"' in html  # what was typed is shown again
    assert "Enter a valid email address." in html
    proposal.refresh_from_db()
    assert proposal.title == "New title"
    assert proposal.requested_funding == Decimal("45000.00")


def test_edit_page_submit_shows_every_problem_beside_its_field(client):
    proposal = complete_draft(declare_privacy=False)
    client.force_login(proposal.applicant)
    data = _edit_data(proposal, requested_funding="46000", acronym="")
    response = client.post(f"/calls/proposals/{proposal.pk}/submit/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Your proposal was not submitted. Please fix:" in html
    assert 'id="id_acronym_error">Give your project an acronym.</div>' in html
    assert 'id="id_declare_privacy_error">Accept the privacy notice.</div>' in html
    assert "The budget lines add up to €45,000.00 but you request €46,000.00" in html
    proposal.refresh_from_db()
    assert (proposal.status, proposal.requested_funding) == ("draft", Decimal("46000.00"))


def test_a_submit_before_any_document_is_uploaded_says_so_beside_the_file_field(client):
    proposal = complete_draft()
    Proposal.objects.filter(pk=proposal.pk).update(document="", document_name="")
    client.force_login(proposal.applicant)

    response = client.post(f"/calls/proposals/{proposal.pk}/submit/", _edit_data(proposal))

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_document_error">' in html
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_edit_page_submit_succeeds(client, django_capture_on_commit_callbacks):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/calls/proposals/{proposal.pk}/submit/", _edit_data(proposal))
    assert response.status_code == 302, response.context and response.context["problems"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.current_version.reference.endswith("-v1")
    assert len(mail.outbox) == 1


def test_edit_page_submit_after_deadline_refused_and_draft_intact(client):
    call = CallFactory(
        opens_at=dt.datetime(2021, 9, 1, tzinfo=UTC),
        closes_at=dt.datetime(2021, 12, 1, 16, 0, tzinfo=UTC),
    )
    with time_machine.travel(dt.datetime(2021, 11, 1, tzinfo=UTC), tick=False):
        proposal = complete_draft(call=call)
    client.force_login(proposal.applicant)
    with time_machine.travel(dt.datetime(2021, 12, 1, 16, 0, 1, tzinfo=UTC), tick=False):
        response = client.post(
            f"/calls/proposals/{proposal.pk}/submit/",
            _edit_data(proposal, title="Changed at the last second"),
        )
    assert response.status_code == 422
    assert "The call closed on 1 December 2021, 17:00 CET." in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status, proposal.versions.count()) == (
        "Provenance for news images",
        "draft",
        0,
    )


def test_autosave_saves_and_reports(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    data = _edit_data(proposal, title="Autosaved", duration_months="many")
    response = client.post(
        f"/calls/proposals/{proposal.pk}/autosave/", data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved at" in html
    assert "<li>Duration (months): Enter a whole number.</li>" in html
    proposal.refresh_from_db()
    assert (proposal.title, proposal.duration_months) == ("Autosaved", 12)


def test_autosave_with_everything_valid(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    response = client.post(f"/calls/proposals/{proposal.pk}/autosave/", _edit_data(proposal))
    assert "Draft saved at" in response.content.decode()


def test_edit_form_uses_htmx_autosave_and_works_without_it(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    html = client.get(f"/calls/proposals/{proposal.pk}/edit/").content.decode()
    assert f'hx-post="/calls/proposals/{proposal.pk}/autosave/"' in html
    assert 'hx-trigger="change delay:800ms' in html
    assert (
        f'<form method="post" enctype="multipart/form-data" '
        f'action="/calls/proposals/{proposal.pk}/edit/"' in html
    )
    assert 'hx-params="not document"' in html  # autosaves never resend the file
    assert f'formaction="/calls/proposals/{proposal.pk}/submit/"' in html
    # The upload is a button of the same form: it sends every answer with the file.
    form = html[
        html.index('id="proposal-form"') : html.index("</form>", html.index('id="proposal-form"'))
    ]
    assert f'formaction="/calls/proposals/{proposal.pk}/upload/"' in form
    assert 'type="file" name="document"' in form


def test_upload_view_refuses_renamed_image_and_oversized_file(client):
    proposal = complete_draft(call=CallFactory(max_document_mb=1))
    client.force_login(proposal.applicant)
    url = f"/calls/proposals/{proposal.pk}/upload/"
    response = client.post(url, {"document": pdf_upload("proposal.pdf", _png())})
    assert response.status_code == 422
    assert (
        'id="id_document_error">This file is not a PDF document. Export or print your document '
        "as PDF.</div>" in response.content.decode()
    )
    big = MINIMAL_PDF[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    response = client.post(url, {"document": pdf_upload("big.pdf", big)})
    assert response.status_code == 422
    assert "the limit is 1.0\xa0MB." in response.content.decode()
    response = client.post(url, {"document": pdf_upload("final.pdf")})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.document_name == "final.pdf"


def test_document_is_served_only_by_the_checked_view(client):
    proposal = submitted()
    client.force_login(proposal.applicant)
    response = client.get(f"/calls/proposals/{proposal.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == f'attachment; filename="{proposal.reference}.pdf"'
    response = client.get(f"/calls/proposals/{proposal.pk}/versions/1/document/")
    assert response.status_code == 200
    # Nothing of it sits under the public media root or its URL.
    assert not proposal.document.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{proposal.document.name}").status_code == 404
    assert client.get(f"/media/{proposal.current_version.document.name}").status_code == 404


def test_withdraw_page(client):
    proposal = submitted()
    client.force_login(proposal.applicant)
    response = client.post(f"/calls/proposals/{proposal.pk}/withdraw/", {"reason": "Oops"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_clarification_answer_page(client):
    proposal = submitted()
    close(proposal.call)
    services.proposal_screen(
        proposal=proposal,
        actor=manager(),
        checks=[],
        outcome=ScreeningOutcome.CLARIFICATION,
        message="Which register?",
    )
    client.force_login(proposal.applicant)
    html = client.get(f"/calls/proposals/{proposal.pk}/").content.decode()
    assert "Which register?" in html
    response = client.post(f"/calls/proposals/{proposal.pk}/clarification/", {"answer": ""})
    assert response.status_code == 422
    assert 'id="id_answer_error">This field is required.</div>' in response.content.decode()
    response = client.post(f"/calls/proposals/{proposal.pk}/clarification/", {"answer": "BE"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SCREENING


def test_my_proposals_lists_only_mine_with_constant_queries(client):
    user = applicant()
    client.force_login(user)
    other = submitted(acronym="NOTMINE")
    assert_constant_queries(client, "/calls/my/", lambda: complete_draft(user=user))
    html = client.get("/calls/my/").content.decode()
    assert "LUMEN" in html
    assert "NOTMINE" not in html
    assert other.reference not in html


def test_dashboard_panels(client):
    proposal = submitted()
    client.force_login(proposal.applicant)
    html = client.get("/me/").content.decode()
    assert "My proposals" in html
    assert proposal.reference in html
    client.force_login(manager())
    html = client.get("/me/").content.decode()
    assert "Open calls: to do" in html


# --- Call managers ----------------------------------------------------------------------------


def test_manager_creates_a_call_in_its_timezone(client):
    boss = manager()
    client.force_login(boss)
    response = client.post(
        "/calls/manage/new/",
        {
            "title": "Fresh call",
            "summary": "",
            "description": "About",
            "timezone": "Europe/Brussels",
            "opens_at": "2031-09-01T00:00",
            "closes_at": "2031-12-01T17:00",
            "total_budget": "500000",
            "max_funding": "50000",
            "evaluators_per_proposal": "3",
            "overall_threshold": "10",
            "interviews_per_track": "5",
            "max_document_mb": "10",
            "one_proposal_per_organisation": "on",
        },
    )
    call = Call.objects.get(title="Fresh call")
    assert response.status_code == 302
    assert call.closes_at == dt.datetime(2031, 12, 1, 16, 0, tzinfo=UTC)
    assert call.stage == CallStage.DRAFT


def test_manager_call_form_errors_beside_fields(client):
    client.force_login(manager())
    response = client.post(
        "/calls/manage/new/",
        {
            "title": "",
            "timezone": "Europe/Brussels",
            "opens_at": "2031-12-01T00:00",
            "closes_at": "2031-09-01T00:00",
            "total_budget": "10",
            "max_funding": "50000",
            "evaluators_per_proposal": "3",
            "overall_threshold": "10",
            "interviews_per_track": "0",
            "max_document_mb": "10",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_title_error">This field is required.</div>' in html
    assert "The call must close after it opens." in html


def test_manager_edits_structure_and_copies_a_call(client):
    call = CallFactory()
    client.force_login(manager())
    response = client.get(f"/calls/manage/{call.number}/")
    assert response.status_code == 200
    form = response.context["form"]
    formsets = response.context["formsets"]
    data = {name: form.initial.get(name, "") for name in form.fields if name != "guide"}
    data["opens_at"] = form["opens_at"].value().strftime("%Y-%m-%dT%H:%M")
    data["closes_at"] = form["closes_at"].value().strftime("%Y-%m-%dT%H:%M")
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    for prefix, formset in formsets.items():
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(formset.initial_forms)),
                f"{prefix}-INITIAL_FORMS": str(len(formset.initial_forms)),
            }
        )
        for i, sub in enumerate(formset.initial_forms):
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and value is not False:
                    data[f"{prefix}-{i}-{name}"] = value
    data["faqs-TOTAL_FORMS"] = "1"
    data["faqs-0-question"] = "Can SMEs apply?"
    data["faqs-0-answer"] = "Yes."
    response = client.post(f"/calls/manage/{call.number}/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert list(call.faqs.values_list("question", flat=True)) == ["Can SMEs apply?"]
    response = client.post(f"/calls/manage/{call.number}/copy/")
    copy = Call.objects.get(number=call.number + 1)
    assert response["Location"] == f"/calls/manage/{copy.number}/"
    assert copy.faqs.count() == 1


def test_manager_publish_stage_reports_problems(client):
    call = CallFactory(stage=CallStage.DRAFT, structure=False)
    client.force_login(manager())
    response = client.post(
        f"/calls/manage/{call.number}/stage/", {"stage": "published"}, follow=True
    )
    assert "Add at least one track." in response.content.decode()
    call.refresh_from_db()
    assert call.stage == CallStage.DRAFT


def test_manager_lists_constant_queries(client):
    call = CallFactory()
    client.force_login(manager())
    counter = iter(range(1000))
    assert_constant_queries(client, "/calls/manage/", lambda: CallFactory())
    assert_constant_queries(
        client,
        f"/calls/manage/{call.number}/proposals/",
        lambda: submitted(call=call, registration=f"R{next(counter)}"),
    )
    assert_constant_queries(client, "/calls/manage/projects/", lambda: funded())


def test_manager_proposals_filters(client):
    call = CallFactory()
    first = submitted(call=call, registration="1", acronym="ALPHA")
    application = call.tracks.get(kind="application").challenges.first()
    submitted(
        call=call,
        registration="2",
        acronym="BETA",
        challenge=application,
        country="NL",
        duration_months=9,
        milestones=[{"month": 9, "title": "Release"}],
    )
    complete_draft(call=call, registration="3", acronym="GAMMA")
    client.force_login(manager())
    url = f"/calls/manage/{call.number}/proposals/"
    html = client.get(url).content.decode()
    assert "ALPHA" in html
    assert "BETA" in html
    assert "GAMMA" not in html  # drafts are the applicant's own business
    html = client.get(f"{url}?country=NL").content.decode()
    assert "BETA" in html
    assert "ALPHA" not in html
    html = client.get(f"{url}?track={application.track_id}&sort=-funding").content.decode()
    assert "ALPHA" not in html
    close(call)
    eligible(first, manager())
    html = client.get(f"{url}?eligibility=eligible").content.decode()
    assert "ALPHA" in html
    assert "BETA" not in html


def test_exports_csv_and_excel(client):
    call = CallFactory()
    proposal = submitted(call=call)
    client.force_login(manager())
    response = client.get(f"/calls/manage/{call.number}/proposals/?format=csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="AI4M-OC{call.number}-proposals.csv"'
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["reference"], row["acronym"], row["country"], row["requested_funding"]) == (
        proposal.reference,
        "LUMEN",
        "BE",
        "45000.00",
    )
    assert (row["budget_personnel"], row["budget_travel"], row["budget_equipment"]) == (
        "40000.00",
        "5000.00",
        "",
    )
    assert row["team_size"] == "1"
    response = client.get(f"/calls/manage/{call.number}/proposals/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert values[0][:3] == ["reference", "version", "status"]
    assert values[1][0] == proposal.reference
    assert values[1][14] == 45000


def test_screening_decision_and_funding_pages(client, django_capture_on_commit_callbacks):
    proposal = submitted()
    close(proposal.call)
    boss = manager()
    client.force_login(boss)
    items = list(proposal.call.checklist.all())
    url = f"/calls/proposals/{proposal.pk}/screening/"
    assert client.get(url).status_code == 200
    data = {f"check_{item.pk}": "pass" for item in items}
    data[f"check_{items[0].pk}"] = "fail"
    data["outcome"] = "ineligible"
    response = client.post(url, data)
    assert response.status_code == 422
    assert f'id="id_check_{items[0].pk}_error">Say why this criterion is not met.' in (
        response.content.decode()
    )
    data[f"check_{items[0].pk}"] = "pass"
    data["outcome"] = "eligible"
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ELIGIBLE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/calls/proposals/{proposal.pk}/decision/", {"outcome": "selected", "message": "Yes"}
        )
    assert response["Location"] == f"/calls/proposals/{proposal.pk}/fund/"
    assert mail.outbox[-1].subject.startswith("[AI4Media] Congratulations")
    response = client.get(f"/calls/proposals/{proposal.pk}/fund/")
    assert response.context["form"].initial["funding_amount"] == Decimal("45000.00")
    response = client.post(
        f"/calls/proposals/{proposal.pk}/fund/",
        {
            "agreement_reference": "GA-42",
            "start_date": "2031-03-01",
            "funding_amount": "45000",
            "summary": "Public summary",
        },
    )
    project = FundedProject.objects.get(proposal=proposal)
    assert response["Location"] == f"/calls/projects/{project.pk}/"
    assert project.summary == "Public summary"


def test_funded_project_follow_up_pages(client):
    boss = manager()
    project = funded(by=boss)
    deliverable = project.deliverables.get(title="Interim report")
    client.force_login(project.beneficiary)
    url = f"/calls/deliverables/{deliverable.pk}/upload/"
    response = client.post(url, {"file": pdf_upload("r.pdf", _png())})
    assert response.status_code == 422
    assert "This file is not a PDF document." in response.content.decode()
    assert client.post(url, {"file": pdf_upload("report.pdf")}).status_code == 302
    submission = deliverable.submissions.get()
    assert (
        client.get(f"/calls/deliverables/{deliverable.pk}/files/{submission.pk}/").status_code
        == 200
    )
    client.force_login(boss)
    response = client.post(
        f"/calls/deliverables/{deliverable.pk}/review/", {"decision": "changes", "message": ""}
    )
    assert response.status_code == 422
    assert "Say what needs to change." in response.content.decode()
    client.post(f"/calls/deliverables/{deliverable.pk}/review/", {"decision": "approve"})
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.APPROVED
    pre = project.tranches.get(name="Pre-financing")
    client.post(f"/calls/tranches/{pre.pk}/release/")
    pre.refresh_from_db()
    assert pre.status == TrancheStatus.RELEASED
    response = client.post(
        f"/calls/projects/{project.pk}/support/",
        {"kind": "coaching", "date": "2031-01-10", "coach": "Eva", "topic": "Pitch"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/calls/projects/{project.pk}/demoday/",
        {"event": "DemoDay", "date": "", "pitch_title": "LUMEN"},
    )
    assert response.status_code == 422
    assert 'id="id_demoday_date_error">This field is required.' in response.content.decode()
    html = client.get(f"/calls/projects/{project.pk}/").content.decode()
    assert "Pitch" in html
    assert "Eva" in html


def test_selected_proposal_page_for_manager(client):
    proposal = selected()
    client.force_login(manager())
    html = client.get(f"/calls/proposals/{proposal.pk}/").content.decode()
    assert f"Submitted version {proposal.current_version.reference}" in html
    assert "Funded project" in html


def test_proposal_page_says_when_the_draft_differs_from_the_submission(client):
    proposal = submitted()
    client.force_login(proposal.applicant)
    banner = "You changed your draft after your last submission."
    assert banner not in client.get(f"/calls/proposals/{proposal.pk}/").content.decode()
    services.proposal_save_draft(
        proposal=proposal, actor=proposal.applicant, fields={"title": "Changed"}
    )
    assert banner in client.get(f"/calls/proposals/{proposal.pk}/").content.decode()


# --- Refused submissions say so at the top ----------------------------------------------------


def test_a_second_proposal_of_the_same_organisation_is_refused_with_a_summary_at_the_top(client):
    call = CallFactory()
    submitted(call=call, registration="BE 0123.456.789")
    colleague = complete_draft(call=call, registration="0123456789")
    client.force_login(colleague.applicant)
    edit = client.get(f"/calls/proposals/{colleague.pk}/edit/").content.decode()
    # The checklist runs the checks of submission: it does not say "ready".
    assert "Everything is in place" not in edit
    assert (
        '<a href="#id_organisation_registration_number">Your organisation (registration '
        "number 0123456789) already has a proposal submitted" in edit
    )

    response = client.post(f"/calls/proposals/{colleague.pk}/submit/", _edit_data(colleague))

    assert response.status_code == 422
    html = response.content.decode()
    summary = html.index("data-error-summary")
    assert summary < html.index('id="proposal-form"')
    assert 'role="alert" tabindex="-1" autofocus data-error-summary' in html
    assert "Your proposal was not submitted. Please fix:" in html
    assert (
        '<li><a href="#id_organisation_registration_number">Registration number: '
        "Your organisation (registration number 0123456789) already has a proposal submitted"
    ) in html
    assert 'id="id_organisation_registration_number_error"' in html
    colleague.refresh_from_db()
    assert colleague.status == ProposalStatus.DRAFT


def test_every_refused_submit_lists_each_problem_as_a_link_to_its_field(client):
    proposal = complete_draft(declare_privacy=False)
    client.force_login(proposal.applicant)
    data = _edit_data(proposal, acronym="")
    data["team-0-full_name"] = ""
    data["team-0-email"] = ""
    data["team-0-role"] = ""

    response = client.post(f"/calls/proposals/{proposal.pk}/submit/", data)

    items = [(item.text, item.anchor) for item in response.context["summary"]]
    assert ("Acronym: Give your project an acronym.", "#id_acronym") in items
    assert ("Name at least one team member.", "#team") in items
    assert any(anchor == "#id_declare_privacy" for _text, anchor in items)
    checklist = [(item.text, item.anchor) for item in response.context["checklist"]]
    assert ("Name at least one team member.", "#team") in checklist


def test_the_call_editor_opens_a_refused_save_with_the_summary(client):
    call = CallFactory()
    client.force_login(manager())
    response = client.post(f"/calls/manage/{call.number}/", {"title": ""})
    html = response.content.decode()
    assert response.status_code == 422
    assert "The call was not saved. Please fix:" in html
    assert html.index("data-error-summary") < html.index('id="id_title"')


# --- No button drops pending edits --------------------------------------------------------------


def test_upload_document_saves_the_answers_typed_with_it(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    data = _edit_data(proposal, title="Edited just before uploading", abstract="A new abstract.")

    response = client.post(
        f"/calls/proposals/{proposal.pk}/upload/", {**data, "document": pdf_upload("v2.pdf")}
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.abstract, proposal.document_name) == (
        "Edited just before uploading",
        "A new abstract.",
        "v2.pdf",
    )


def test_a_refused_upload_still_saves_the_answers_and_says_why_at_the_top(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    data = _edit_data(proposal, title="Kept although the file is refused")

    response = client.post(
        f"/calls/proposals/{proposal.pk}/upload/",
        {**data, "document": pdf_upload("photo.pdf", _png())},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "The document was not uploaded. Please fix:" in html
    assert '<a href="#id_document">Proposal document (PDF): This file is not a PDF' in html
    proposal.refresh_from_db()
    assert proposal.title == "Kept although the file is refused"
    assert proposal.document_name == "proposal.pdf"


def test_a_bare_upload_changes_the_document_only(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    response = client.post(
        f"/calls/proposals/{proposal.pk}/upload/", {"document": pdf_upload("final.pdf")}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.document_name) == ("Provenance for news images", "final.pdf")


def test_submit_with_a_document_chosen_uploads_it_before_submitting(client):
    proposal = complete_draft()
    client.force_login(proposal.applicant)
    data = _edit_data(proposal, title="Submitted title")
    response = client.post(
        f"/calls/proposals/{proposal.pk}/submit/", {**data, "document": pdf_upload("last.pdf")}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.current_version.title, proposal.current_version.document_name) == (
        "Submitted title",
        "last.pdf",
    )


def _editor_data(call, **changes) -> dict:
    from opencalls.forms import CallForm, structure_formsets

    data = {}
    form = CallForm(instance=call)
    for name in form.fields:
        value = form[name].value()
        if name == "guide" or value is None:
            continue
        if hasattr(value, "isoformat"):
            value = value.strftime("%Y-%m-%dT%H:%M")
        data[name] = "on" if value is True else ("" if value is False else value)
    data = {k: v for k, v in data.items() if v != ""}
    for prefix, formset in structure_formsets(call).items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, member in enumerate(formset.forms):
            for name in member.fields:
                value = member[name].value()
                if value is None or value is False:
                    continue
                data[f"{prefix}-{i}-{name}"] = "on" if value is True else value
    data.update(changes)
    return data


def test_the_call_editors_stage_and_copy_buttons_save_the_edits_first(client):
    call = CallFactory(stage="draft", title="Old title")
    client.force_login(manager())
    edit = client.get(f"/calls/manage/{call.number}/").content.decode()
    assert 'form="call-form" formaction="/calls/manage/' in edit

    published = client.post(
        f"/calls/manage/{call.number}/stage/",
        _editor_data(call, title="Title typed before publishing", stage="published"),
    )

    assert published.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.stage) == ("Title typed before publishing", "published")
    client.post(f"/calls/manage/{call.number}/copy/", _editor_data(call, title="Copied title"))
    call.refresh_from_db()
    assert call.title == "Copied title"


def test_a_refused_edit_stops_the_stage_change_and_is_shown(client):
    call = CallFactory(stage="draft")
    client.force_login(manager())

    response = client.post(
        f"/calls/manage/{call.number}/stage/", _editor_data(call, title="", stage="published")
    )

    assert response.status_code == 422
    assert "The call was not saved. Please fix:" in response.content.decode()
    call.refresh_from_db()
    assert call.stage == "draft"
