"""Proposals: drafts, deadlines, submission, documents, one proposal per organisation and
withdrawal."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from opencalls import services
from opencalls.enums import ProposalStatus
from opencalls.models import Challenge, Proposal, ProposalVersion

from .factories import (
    MINIMAL_PDF,
    CallFactory,
    applicant,
    close,
    complete_draft,
    manager,
    pdf_upload,
    submitted,
)
from .helpers import OC1_CLOSES, OC1_OPENS, UTC, _png

pytestmark = pytest.mark.django_db


def test_proposal_start_refused_when_call_not_open():
    call = CallFactory(
        opens_at=timezone.now() + dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    with pytest.raises(PortalError) as error:
        services.proposal_start(call=call, actor=applicant())
    assert error.value.code == "call_not_open"


def test_proposal_start_copies_organisation_from_previous_proposal():
    first = complete_draft()
    other_call = CallFactory()
    second = services.proposal_start(call=other_call, actor=first.applicant)
    assert (second.organisation_name, second.organisation_registration_number) == (
        "Lumen Labs",
        "0123.456.789",
    )
    assert second.acronym == ""


def test_draft_saves_only_for_its_owner():
    proposal = complete_draft()
    with pytest.raises(PermissionDenied):
        services.proposal_save_draft(proposal=proposal, actor=applicant(), fields={"title": "X"})
    with pytest.raises(PermissionDenied):
        services.proposal_save_draft(proposal=proposal, actor=manager(), fields={"title": "X"})


def test_submission_creates_version_with_reference_hash_and_receipt(
    django_capture_on_commit_callbacks,
):
    proposal = complete_draft()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.proposal_submit(proposal=proposal, actor=proposal.applicant)
    proposal.refresh_from_db()
    call = proposal.call
    assert version.reference == f"AI4M-OC{call.number}-0001-v1"
    assert proposal.reference == f"AI4M-OC{call.number}-0001"
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.current_version == version
    assert version.document_sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    with version.document.open("rb") as handle:
        assert handle.read() == MINIMAL_PDF
    assert version.data["acronym"] == "LUMEN"
    assert version.data["budget"] == [
        {"category": "personnel", "amount": "40000.00", "justification": "Staff"},
        {"category": "travel", "amount": "5000.00", "justification": "Bootcamps"},
    ]
    assert version.data["organisation"]["registration_number"] == "0123.456.789"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [proposal.applicant.email]
    assert mail.outbox[0].subject == f"[AI4Media] Proposal received: {version.reference}"
    assert version.document_sha256 in mail.outbox[0].body


def test_resubmission_creates_a_new_version_and_the_latest_counts():
    proposal = submitted()
    first = proposal.current_version
    services.proposal_save_draft(
        proposal=proposal, actor=proposal.applicant, fields={"title": "A better title"}
    )
    second = services.proposal_submit(proposal=proposal, actor=proposal.applicant)
    proposal.refresh_from_db()
    assert second.reference == proposal.reference + "-v2"
    assert proposal.current_version == second
    assert second.data["title"] == "A better title"
    first.refresh_from_db()
    assert first.data["title"] == "Provenance for news images"
    assert list(proposal.versions.values_list("number", flat=True)) == [2, 1]


def test_proposal_numbers_are_sequential_per_call():
    call = CallFactory()
    first = submitted(call=call, registration="BE1")
    second = submitted(call=call, registration="BE2")
    other = submitted(registration="BE3")
    assert (first.reference, second.reference) == (
        f"AI4M-OC{call.number}-0001",
        f"AI4M-OC{call.number}-0002",
    )
    assert other.reference == f"AI4M-OC{other.call.number}-0001"


@pytest.fixture
def brussels_draft():
    """A complete draft in a call that closes on 1 December 2021 at 17:00 Brussels time."""
    call = CallFactory(opens_at=OC1_OPENS, closes_at=OC1_CLOSES, timezone="Europe/Brussels")
    with time_machine.travel(dt.datetime(2021, 11, 30, 12, 0, tzinfo=UTC), tick=False):
        return complete_draft(call=call)


def test_deadline_is_17_cet_that_is_16_utc(brussels_draft):
    assert brussels_draft.call.closes_at == dt.datetime(2021, 12, 1, 16, 0, tzinfo=UTC)


def test_submission_one_second_before_the_deadline_is_accepted(brussels_draft):
    with time_machine.travel(dt.datetime(2021, 12, 1, 15, 59, 59, tzinfo=UTC), tick=False):
        version = services.proposal_submit(proposal=brussels_draft, actor=brussels_draft.applicant)
    assert version.submitted_at == dt.datetime(2021, 12, 1, 15, 59, 59, tzinfo=UTC)


def _draft_state(proposal: Proposal) -> dict:
    proposal = Proposal.objects.get(pk=proposal.pk)
    return {
        "fields": {f: getattr(proposal, f) for f in Proposal.DRAFT_FIELDS},
        "status": proposal.status,
        "document": proposal.document.name,
        "team": list(proposal.team.values_list("full_name", "email", "role")),
        "budget": list(proposal.budget_lines.values_list("category", "amount")),
        "milestones": list(proposal.milestones.values_list("month", "title")),
        "versions": ProposalVersion.objects.filter(proposal=proposal).count(),
        "updated_at": proposal.updated_at,
    }


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2021, 12, 1, 16, 0, 0, tzinfo=UTC),  # exactly at the deadline
        dt.datetime(2021, 12, 1, 16, 0, 1, tzinfo=UTC),  # one second late
    ],
)
def test_submission_at_or_after_the_deadline_is_refused_and_draft_intact(brussels_draft, moment):
    before = _draft_state(brussels_draft)
    with time_machine.travel(moment, tick=False), pytest.raises(PortalError) as error:
        services.proposal_submit(proposal=brussels_draft, actor=brussels_draft.applicant)
    assert error.value.code == "deadline_passed"
    assert error.value.message == (
        "The call closed on 1 December 2021, 17:00 CET. "
        "Submissions and changes are no longer accepted."
    )
    assert _draft_state(brussels_draft) == before


def test_draft_cannot_change_after_the_deadline(brussels_draft):
    before = _draft_state(brussels_draft)
    late = OC1_CLOSES + dt.timedelta(seconds=1)
    with time_machine.travel(late, tick=False), pytest.raises(PortalError):
        services.proposal_save_draft(
            proposal=brussels_draft, actor=brussels_draft.applicant, fields={"title": "Late"}
        )
    assert _draft_state(brussels_draft) == before


def test_submission_lists_every_missing_item():
    user = applicant()
    proposal = services.proposal_start(call=CallFactory(), actor=user)
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, actor=user)
    assert set(error.value.message_dict) == {
        "organisation_name",
        "organisation_type",
        "organisation_country",
        "organisation_registration_number",
        "organisation_is_sme",
        "challenge",
        "acronym",
        "title",
        "abstract",
        "requested_funding",
        "duration_months",
        "document",
        "budget",
        "team",
        "milestones",
        "declare_honour",
        "declare_no_double_funding",
        "declare_privacy",
    }
    assert error.value.message_dict["declare_privacy"] == ["Accept the privacy notice."]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.versions.count() == 0


def test_submission_refuses_missing_declarations_all_listed():
    proposal = complete_draft(
        declare_honour=False, declare_no_double_funding=False, declare_privacy=False
    )
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, actor=proposal.applicant)
    assert error.value.message_dict == {
        "declare_honour": ["Sign the declaration of honour."],
        "declare_no_double_funding": [
            "Declare that the project receives no other funding for the same work."
        ],
        "declare_privacy": ["Accept the privacy notice."],
    }


def test_submission_refuses_budget_that_does_not_add_up():
    proposal = complete_draft(requested_funding=Decimal("46000.00"))
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, actor=proposal.applicant)
    assert error.value.message_dict == {
        "budget": [
            "The budget lines add up to €45,000.00 but you request €46,000.00; they must be equal."
        ]
    }
    proposal.refresh_from_db()
    assert proposal.requested_funding == Decimal("46000.00")


def test_submission_refuses_funding_over_the_cap():
    proposal = complete_draft(requested_funding=Decimal("60000.00"))
    services.proposal_save_draft(
        proposal=proposal,
        actor=proposal.applicant,
        budget=[{"category": "personnel", "amount": Decimal("60000.00")}],
    )
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, actor=proposal.applicant)
    assert error.value.message_dict == {
        "requested_funding": [
            "You request €60,000.00; this call funds at most €50,000.00 per project."
        ]
    }


def test_submission_refuses_duration_longer_than_the_track():
    proposal = complete_draft(duration_months=14)
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, actor=proposal.applicant)
    assert error.value.message_dict == {
        "duration_months": ["Projects in the Research track last at most 12 months."]
    }


def test_draft_refuses_a_challenge_of_another_call():
    proposal = complete_draft()
    foreign = CallFactory().tracks.first().challenges.first()
    with pytest.raises(PortalError) as error:
        services.proposal_save_draft(
            proposal=proposal, actor=proposal.applicant, fields={"challenge": foreign}
        )
    assert error.value.field == "challenge"


def test_document_accepts_a_real_pdf():
    proposal = complete_draft()
    assert proposal.document_name == "proposal.pdf"
    with proposal.document.open("rb") as handle:
        assert handle.read() == MINIMAL_PDF


def test_document_refuses_an_image_renamed_to_pdf_and_keeps_the_previous_one():
    proposal = complete_draft()
    previous = proposal.document.name
    with pytest.raises(PortalError) as error:
        services.proposal_save_draft(
            proposal=proposal, actor=proposal.applicant, document=pdf_upload("cv.pdf", _png())
        )
    assert error.value.field == "document"
    assert error.value.code == "not_pdf"
    proposal.refresh_from_db()
    assert proposal.document.name == previous


def test_document_refuses_a_file_over_the_calls_limit():
    call = CallFactory(max_document_mb=1)
    proposal = complete_draft(call=call)
    big = MINIMAL_PDF[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    with pytest.raises(PortalError) as error:
        services.proposal_save_draft(
            proposal=proposal, actor=proposal.applicant, document=pdf_upload("big.pdf", big)
        )
    assert error.value.code == "file_too_large"
    assert error.value.message == "The file is 1.0\xa0MB; the limit is 1.0\xa0MB."


def test_one_submitted_proposal_per_organisation_whatever_the_spelling():
    call = CallFactory()
    submitted(call=call, registration="BE 0123.456.789")
    colleague = complete_draft(call=call, registration="0123456789")
    refusal = (
        "Your organisation (registration number 0123456789) already has a proposal submitted "
        "in this call, and this call accepts only one proposal per organisation."
    )
    # The checklist says so before submit does: one function decides both.
    assert services.proposal_problems(colleague) == {"organisation_registration_number": [refusal]}
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=colleague, actor=colleague.applicant)
    assert error.value.message_dict == {"organisation_registration_number": [refusal]}
    colleague.refresh_from_db()
    assert colleague.status == ProposalStatus.DRAFT


def test_one_proposal_rule_ignores_withdrawn_and_other_countries():
    call = CallFactory()
    first = submitted(call=call)
    submitted(call=call, country="NL")  # same number, other country: another organisation
    services.proposal_withdraw(proposal=first, actor=first.applicant)
    again = submitted(call=call)
    assert again.status == ProposalStatus.SUBMITTED


def test_one_proposal_rule_is_off_when_the_call_allows_several():
    call = CallFactory(one_proposal_per_organisation=False)
    submitted(call=call)
    assert submitted(call=call).status == ProposalStatus.SUBMITTED


def test_withdraw_records_who_and_when(django_capture_on_commit_callbacks):
    proposal = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_withdraw(proposal=proposal, actor=proposal.applicant, reason="Funded")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.withdrawn_by == proposal.applicant
    assert proposal.withdrawn_at is not None
    assert mail.outbox[-1].subject == f"[AI4Media] Proposal withdrawn: {proposal.reference}"
    with pytest.raises(PortalError):
        services.proposal_submit(proposal=proposal, actor=proposal.applicant)


def test_withdraw_refused_after_the_deadline():
    proposal = submitted()
    close(proposal.call)
    with pytest.raises(PortalError) as error:
        services.proposal_withdraw(proposal=proposal, actor=proposal.applicant)
    assert error.value.code == "deadline_passed"


def test_draft_save_records_the_challenges_track_and_refuses_fields_outside_the_draft():
    proposal = complete_draft()
    other = Challenge.objects.filter(track__call=proposal.call, track__kind="application").first()
    services.proposal_save_draft(
        proposal=proposal, actor=proposal.applicant, fields={"challenge": other}
    )
    proposal.refresh_from_db()
    assert (proposal.challenge, proposal.track) == (other, other.track)
    with pytest.raises(ValueError, match="are not draft fields"):
        services.proposal_save_draft(
            proposal=proposal, actor=proposal.applicant, fields={"status": "selected"}
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
