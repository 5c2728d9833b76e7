import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from opencalls import services
from opencalls.enums import (
    CallStage,
    CallStatus,
    DeliverableStatus,
    ProposalStatus,
    ScreeningOutcome,
    TrancheStatus,
)
from opencalls.models import Call, EvaluationSettings, Proposal, ProposalVersion

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
BRUSSELS = __import__("zoneinfo").ZoneInfo("Europe/Brussels")
# Open Call #1: 1 September 2021 – 1 December 2021, 17:00 CET (= 16:00 UTC).
OC1_OPENS = dt.datetime(2021, 9, 1, 0, 0, tzinfo=BRUSSELS)
OC1_CLOSES = dt.datetime(2021, 12, 1, 17, 0, tzinfo=BRUSSELS)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


# --- Calls ------------------------------------------------------------------------------------


def test_call_status_follows_the_dates():
    call = CallFactory(opens_at=OC1_OPENS, closes_at=OC1_CLOSES)
    assert call.status_at(OC1_OPENS - dt.timedelta(seconds=1)) == CallStatus.ANNOUNCED
    assert call.status_at(OC1_OPENS) == CallStatus.OPEN
    assert call.status_at(OC1_CLOSES - dt.timedelta(seconds=1)) == CallStatus.OPEN
    assert call.status_at(OC1_CLOSES) == CallStatus.CLOSED


def test_call_status_annotation_matches_the_property():
    now = timezone.now()
    upcoming = CallFactory(
        opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9)
    )
    running = CallFactory()
    past = CallFactory(opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1))
    draft = CallFactory(stage=CallStage.DRAFT)
    annotated = {c.pk: c.status for c in Call.objects.with_status()}
    assert annotated == {
        upcoming.pk: CallStatus.ANNOUNCED,
        running.pk: CallStatus.OPEN,
        past.pk: CallStatus.CLOSED,
        draft.pk: CallStatus.DRAFT,
    }
    assert [c.status for c in (upcoming, running, past, draft)] == [
        CallStatus.ANNOUNCED,
        CallStatus.OPEN,
        CallStatus.CLOSED,
        CallStatus.DRAFT,
    ]


def test_call_lifecycle_from_draft_to_results():
    boss = manager()
    call = services.call_create(
        actor=boss,
        data={
            "title": "New call",
            "description": "About it",
            "opens_at": OC1_OPENS,
            "closes_at": OC1_CLOSES,
            "timezone": "Europe/Brussels",
            "total_budget": Decimal(500000),
            "max_funding": Decimal(50000),
        },
    )
    assert call.status == CallStatus.DRAFT
    with pytest.raises(PortalError) as error:
        services.call_set_stage(call=call, actor=boss, stage=CallStage.PUBLISHED)
    assert error.value.message == (
        "Add at least one track. Add the evaluation criteria. Add the eligibility checklist."
    )
    services.call_save_structure(
        call=call,
        actor=boss,
        tracks=[{"kind": "research", "name": "Research", "duration_months": 12}],
        criteria=[{"name": "Excellence", "weight": 1, "threshold": 3, "max_score": 5}],
        checklist=[{"text": "Eligible country"}],
    )
    track = call.tracks.get()
    services.call_save_structure(
        call=call, actor=boss, challenges=[{"track": track, "code": "R1", "title": "Trust"}]
    )
    with time_machine.travel(OC1_OPENS - dt.timedelta(days=1), tick=False):
        services.call_set_stage(call=call, actor=boss, stage=CallStage.PUBLISHED)
        call.refresh_from_db()
        assert call.status == CallStatus.ANNOUNCED
        with pytest.raises(PortalError) as error:
            services.call_set_stage(call=call, actor=boss, stage=CallStage.UNDER_EVALUATION)
        assert error.value.message == "The evaluation starts after the deadline."
    with time_machine.travel(OC1_CLOSES + dt.timedelta(seconds=1), tick=False):
        assert call.status == CallStatus.CLOSED
        services.call_set_stage(call=call, actor=boss, stage=CallStage.UNDER_EVALUATION)
        services.call_set_stage(call=call, actor=boss, stage=CallStage.RESULTS_PUBLISHED)
    call.refresh_from_db()
    assert call.status == CallStatus.RESULTS_PUBLISHED
    assert list(
        AuditEntry.objects.filter(action="opencalls.call.stage").values_list("data", flat=True)
    ) == [
        {"stage": "results-published"},
        {"stage": "under-evaluation"},
        {"stage": "published"},
    ]


def test_call_cannot_publish_results_while_proposals_are_undecided():
    proposal = submitted()
    call = close(proposal.call)
    boss = manager()
    services.call_set_stage(call=call, actor=boss, stage=CallStage.UNDER_EVALUATION)
    with pytest.raises(PortalError) as error:
        services.call_set_stage(call=call, actor=boss, stage=CallStage.RESULTS_PUBLISHED)
    assert error.value.message == "1 proposals have no final outcome yet."


def test_call_back_to_draft_only_before_it_opens():
    call = CallFactory()
    with pytest.raises(PortalError) as error:
        services.call_set_stage(call=call, actor=manager(), stage=CallStage.DRAFT)
    assert error.value.message == "A call that has opened cannot go back to draft."


def test_call_number_is_fixed_once_proposals_have_references():
    proposal = submitted()
    with pytest.raises(PortalError) as error:
        services.call_update(call=proposal.call, actor=manager(), data={"number": 99})
    assert error.value.field == "number"


def test_call_services_refuse_non_managers():
    call = CallFactory()
    with pytest.raises(PermissionDenied):
        services.call_copy(call=call, actor=applicant())
    with pytest.raises(PermissionDenied):
        services.call_set_stage(call=call, actor=applicant(), stage=CallStage.UNDER_EVALUATION)


def test_call_copy_deep_copies_into_a_new_draft():
    call = CallFactory(opens_at=OC1_OPENS, closes_at=OC1_CLOSES)
    call.faqs.create(question="Who?", answer="Anyone.")
    with time_machine.travel(dt.datetime(2022, 6, 1, tzinfo=UTC), tick=False):
        copy = services.call_copy(call=call, actor=manager())
    assert copy.number == call.number + 1
    assert copy.stage == CallStage.DRAFT
    assert copy.title == f"Copy of {call.title}"
    assert copy.opens_at == dt.datetime(2022, 9, 1, 0, 0, tzinfo=BRUSSELS)
    assert copy.closes_at == dt.datetime(2022, 12, 1, 17, 0, tzinfo=BRUSSELS)

    def shape(c):
        return {
            "tracks": [
                (
                    t.kind,
                    t.name,
                    t.duration_months,
                    [(ch.code, ch.title) for ch in t.challenges.all()],
                )
                for t in c.tracks.all()
            ],
            "criteria": list(c.criteria.values_list("order", "name", "weight", "threshold")),
            "checklist": list(c.checklist.values_list("order", "text")),
            "faqs": list(c.faqs.values_list("question", "answer")),
        }

    assert shape(copy) == shape(call)
    assert not set(copy.tracks.values_list("pk", flat=True)) & set(
        call.tracks.values_list("pk", flat=True)
    )


def test_call_structure_cannot_remove_a_challenge_with_proposals():
    proposal = complete_draft()
    call = proposal.call
    challenge = proposal.challenge
    with pytest.raises(PortalError) as error:
        services.call_save_structure(
            call=call,
            actor=manager(),
            challenges=[{"id": challenge.pk, "DELETE": True, "track": challenge.track}],
        )
    assert error.value.message == f"“{challenge}” cannot be removed: proposals refer to it."


# --- Drafts and submission --------------------------------------------------------------------


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
        "fields": {f: getattr(proposal, f) for f in services.DRAFT_FIELDS},
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


# --- Documents --------------------------------------------------------------------------------


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


# --- One proposal per organisation and withdrawal ---------------------------------------------


def test_one_submitted_proposal_per_organisation_whatever_the_spelling():
    call = CallFactory()
    submitted(call=call, registration="BE 0123.456.789")
    colleague = complete_draft(call=call, registration="0123456789")
    with pytest.raises(PortalError) as error:
        services.proposal_submit(proposal=colleague, actor=colleague.applicant)
    assert error.value.field == "organisation_registration_number"
    assert error.value.message == (
        "Your organisation (registration number 0123456789) already has a proposal submitted "
        "in this call, and this call accepts only one proposal per organisation."
    )
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


# --- Eligibility ------------------------------------------------------------------------------


def _checks(proposal, failed=None, reason=""):
    return [
        services.CheckInput(item.pk, item.pk != failed, reason if item.pk == failed else "")
        for item in proposal.call.checklist.all()
    ]


def test_screening_waits_for_the_deadline():
    proposal = submitted()
    with pytest.raises(PortalError) as error:
        services.proposal_screen(proposal=proposal, actor=manager(), checks=_checks(proposal))
    assert error.value.message == "Eligibility checks start after the deadline."


def test_screening_eligible_when_every_item_passes(django_capture_on_commit_callbacks):
    proposal = submitted()
    close(proposal.call)
    with django_capture_on_commit_callbacks(execute=True):
        eligible(proposal, manager())
    assert proposal.status == ProposalStatus.ELIGIBLE
    assert proposal.screening.outcome == ScreeningOutcome.ELIGIBLE
    assert mail.outbox[-1].subject == f"[AI4Media] Your proposal {proposal.reference} is eligible"


def test_screening_eligible_refused_with_an_unchecked_item():
    proposal = submitted()
    close(proposal.call)
    first = proposal.call.checklist.first()
    with pytest.raises(PortalError) as error:
        services.proposal_screen(
            proposal=proposal,
            actor=manager(),
            checks=[services.CheckInput(first.pk, True)],
            outcome=ScreeningOutcome.ELIGIBLE,
        )
    assert error.value.message == (
        "Every criterion must be met for an eligible proposal; not met: One challenge; Budget cap."
    )


def test_screening_failed_item_needs_a_reason():
    proposal = submitted()
    close(proposal.call)
    item = proposal.call.checklist.first()
    with pytest.raises(ValidationError) as error:
        services.proposal_screen(
            proposal=proposal, actor=manager(), checks=_checks(proposal, failed=item.pk)
        )
    assert error.value.message_dict == {f"check_{item.pk}": ["Say why this criterion is not met."]}


def test_screening_ineligible_tells_the_applicant_why(django_capture_on_commit_callbacks):
    proposal = submitted()
    close(proposal.call)
    item = proposal.call.checklist.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_screen(
            proposal=proposal,
            actor=manager(),
            checks=_checks(proposal, failed=item.pk, reason="Registered in Switzerland."),
            outcome=ScreeningOutcome.INELIGIBLE,
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INELIGIBLE
    message = mail.outbox[-1]
    assert message.to == [proposal.applicant.email]
    assert message.subject == f"[AI4Media] Your proposal {proposal.reference} is not eligible"
    assert "- Legal entity in the EU: Registered in Switzerland." in message.body


def test_screening_clarification_round_trip(django_capture_on_commit_callbacks):
    proposal = submitted()
    close(proposal.call)
    screener = manager()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_screen(
            proposal=proposal,
            actor=screener,
            checks=[],
            outcome=ScreeningOutcome.CLARIFICATION,
            message="Which register is your number from?",
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CLARIFICATION_REQUESTED
    assert "Which register is your number from?" in mail.outbox[-1].body
    with pytest.raises(PortalError) as error:
        services.clarification_answer(proposal=proposal, actor=proposal.applicant, answer=" ")
    assert error.value.field == "answer"
    with pytest.raises(PermissionDenied):
        services.clarification_answer(proposal=proposal, actor=applicant(), answer="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(
            proposal=proposal, actor=proposal.applicant, answer="The Belgian register."
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SCREENING
    assert proposal.screening.clarification_answer == "The Belgian register."
    assert mail.outbox[-1].to == [screener.email]
    eligible(proposal, screener)
    assert proposal.status == ProposalStatus.ELIGIBLE


def test_screening_clarification_needs_a_question():
    proposal = submitted()
    close(proposal.call)
    with pytest.raises(PortalError) as error:
        services.proposal_screen(
            proposal=proposal, actor=manager(), checks=[], outcome=ScreeningOutcome.CLARIFICATION
        )
    assert error.value.field == "message"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_screening_only_by_managers():
    proposal = submitted()
    close(proposal.call)
    with pytest.raises(PermissionDenied):
        services.proposal_screen(proposal=proposal, actor=proposal.applicant, checks=[])


# --- Decisions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "subject"),
    [
        (ProposalStatus.SELECTED, "Congratulations: {ref} is selected for funding"),
        (ProposalStatus.RESERVE, "Your proposal {ref} is on the reserve list"),
        (ProposalStatus.REJECTED, "Outcome of your proposal {ref}"),
    ],
)
def test_decision_emails_the_applicant(django_capture_on_commit_callbacks, outcome, subject):
    boss = manager()
    proposal = submitted()
    close(proposal.call)
    eligible(proposal, boss)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(
            proposal=proposal, actor=boss, outcome=outcome, message="Well done"
        )
    proposal.refresh_from_db()
    assert proposal.status == outcome
    assert proposal.decided_by == boss
    assert mail.outbox[-1].subject == "[AI4Media] " + subject.format(ref=proposal.reference)
    assert "Well done" in mail.outbox[-1].body


def test_decision_refused_before_eligibility():
    proposal = submitted()
    close(proposal.call)
    with pytest.raises(PortalError) as error:
        services.proposal_decide(
            proposal=proposal, actor=manager(), outcome=ProposalStatus.SELECTED
        )
    assert error.value.message == "Only eligible proposals can be decided; this one is submitted."


def test_reserve_can_later_be_selected():
    boss = manager()
    proposal = submitted()
    close(proposal.call)
    eligible(proposal, boss)
    services.proposal_decide(proposal=proposal, actor=boss, outcome=ProposalStatus.RESERVE)
    services.proposal_decide(proposal=proposal, actor=boss, outcome=ProposalStatus.SELECTED)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SELECTED
    with pytest.raises(PortalError):
        services.proposal_decide(proposal=proposal, actor=boss, outcome=ProposalStatus.REJECTED)


# --- Funded projects --------------------------------------------------------------------------


def test_funded_project_created_from_the_submitted_version(django_capture_on_commit_callbacks):
    boss = manager()
    proposal = selected(by=boss)
    with django_capture_on_commit_callbacks(execute=True):
        project = services.funded_project_create(
            proposal=proposal,
            actor=boss,
            agreement_reference="GA-1",
            start_date=dt.date(2022, 3, 1),
        )
    assert (project.acronym, project.funding_amount, project.end_date) == (
        "LUMEN",
        Decimal("45000.00"),
        dt.date(2023, 3, 1),
    )
    assert project.beneficiary == proposal.applicant
    assert list(project.tranches.values_list("name", "amount", "status")) == [
        ("Pre-financing", Decimal("18000.00"), TrancheStatus.REQUESTED),
        ("Interim payment", Decimal("13500.00"), TrancheStatus.PENDING),
        ("Final payment", Decimal("13500.00"), TrancheStatus.PENDING),
    ]
    assert mail.outbox[-1].subject == "[AI4Media] Your funded project LUMEN is set up"


def test_funded_project_deliverables_are_tied_to_tranches():
    project = funded(start=dt.date(2022, 3, 1))
    rows = {
        title: (due, tranche)
        for title, due, tranche in project.deliverables.values_list(
            "title", "due_date", "tranche__name"
        )
    }
    assert rows == {
        "Prototype": (dt.date(2022, 9, 1), "Interim payment"),
        "Interim report": (dt.date(2022, 9, 1), "Interim payment"),
        "Release": (dt.date(2023, 3, 1), "Final payment"),
        "Final report": (dt.date(2023, 3, 1), "Final payment"),
    }


def test_funded_project_only_for_selected_proposals():
    boss = manager()
    proposal = submitted()
    close(proposal.call)
    eligible(proposal, boss)
    with pytest.raises(PortalError):
        services.funded_project_create(
            proposal=proposal, actor=boss, agreement_reference="X", start_date=dt.date(2022, 1, 1)
        )


def test_tranche_released_once_its_deliverables_are_approved(django_capture_on_commit_callbacks):
    boss = manager()
    project = funded(by=boss)
    interim = project.tranches.get(name="Interim payment")
    with pytest.raises(PortalError) as error:
        services.tranche_release(tranche=interim, actor=boss)
    assert error.value.message == (
        "“Interim payment” cannot be released: its deliverables are not all approved yet."
    )
    team = project.beneficiary
    for deliverable in interim.deliverables.all():
        services.deliverable_submit(deliverable=deliverable, actor=team, upload=pdf_upload())
        services.deliverable_review(deliverable=deliverable, actor=boss, approve=True)
    interim.refresh_from_db()
    assert interim.status == TrancheStatus.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        services.tranche_release(tranche=interim, actor=boss)
    interim.refresh_from_db()
    assert (interim.status, interim.released_by) == (TrancheStatus.RELEASED, boss)
    assert mail.outbox[-1].subject == "[AI4Media] LUMEN: Interim payment released"
    assert mail.outbox[-1].to == [team.email]


def test_deliverable_change_request_and_reupload(django_capture_on_commit_callbacks):
    boss = manager()
    project = funded(by=boss)
    deliverable = project.deliverables.get(title="Interim report")
    team = project.beneficiary
    with pytest.raises(PermissionDenied):
        services.deliverable_submit(deliverable=deliverable, actor=applicant(), upload=pdf_upload())
    with pytest.raises(PortalError) as error:
        services.deliverable_submit(
            deliverable=deliverable, actor=team, upload=pdf_upload("r.pdf", _png())
        )
    assert error.value.field == "file"
    services.deliverable_submit(deliverable=deliverable, actor=team, upload=pdf_upload())
    with pytest.raises(PortalError) as error:
        services.deliverable_review(deliverable=deliverable, actor=boss, approve=False)
    assert error.value.field == "message"
    with django_capture_on_commit_callbacks(execute=True):
        services.deliverable_review(
            deliverable=deliverable, actor=boss, approve=False, message="Add the KPIs."
        )
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.CHANGES_REQUESTED
    assert mail.outbox[-1].subject == "[AI4Media] Changes requested on “Interim report”"
    assert "Add the KPIs." in mail.outbox[-1].body
    services.deliverable_submit(deliverable=deliverable, actor=team, upload=pdf_upload("v2.pdf"))
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.SUBMITTED
    assert list(deliverable.submissions.values_list("file_name", flat=True)) == [
        "v2.pdf",
        "proposal.pdf",
    ]


def test_approved_tranche_goes_back_to_pending_when_a_new_deliverable_is_added():
    boss = manager()
    project = funded(by=boss)
    pre = project.tranches.get(name="Pre-financing")
    assert pre.status == TrancheStatus.REQUESTED
    services.deliverable_add(
        project=project,
        actor=boss,
        kind="deliverable",
        title="Kick-off report",
        due_date=dt.date(2030, 1, 1),
        tranche=pre,
    )
    pre.refresh_from_db()
    assert pre.status == TrancheStatus.PENDING


def test_output_links_accept_a_doi_url():
    project = funded()
    link = services.output_link_add(
        project=project,
        actor=project.beneficiary,
        kind="publication",
        title="Paper",
        doi="https://doi.org/10.5281/zenodo.123",
    )
    assert (link.doi, link.href) == ("10.5281/zenodo.123", "https://doi.org/10.5281/zenodo.123")
    with pytest.raises(PortalError):
        services.output_link_add(project=project, actor=project.beneficiary, kind="demo", title="X")
    with pytest.raises(PermissionDenied):
        services.output_link_add(
            project=project, actor=applicant(), kind="demo", title="X", url="https://x.org"
        )


def test_team_may_update_outcomes_but_not_status():
    project = funded()
    services.funded_project_update(
        project=project,
        actor=project.beneficiary,
        data={"outcomes": "A tool", "status": "completed"},
    )
    project.refresh_from_db()
    assert (project.outcomes, project.status) == ("A tool", "running")


# --- Reminders --------------------------------------------------------------------------------


def test_reminders_are_sent_once_to_the_team_and_overdue_digest_to_managers(
    django_capture_on_commit_callbacks,
):
    from opencalls.tasks import send_reminders

    boss = manager()
    project = funded(by=boss, start=dt.date(2030, 1, 1))
    project.members.add(member := applicant())
    interim_report = project.deliverables.get(title="Interim report")  # due 2030-07-01
    prototype = project.deliverables.get(title="Prototype")  # due 2030-07-01 too
    # A week before: "due soon".
    with time_machine.travel(dt.datetime(2030, 6, 24, 6, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 2, "due_tomorrow": 0, "overdue": 0}
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    assert sorted(m.subject for m in mail.outbox) == [
        "[AI4Media] Due in 7 days: Interim report",
        "[AI4Media] Due in 7 days: Prototype",
    ]
    assert mail.outbox[0].to == [project.beneficiary.email, member.email]
    mail.outbox.clear()
    # The day before: the last reminder, once.
    with time_machine.travel(dt.datetime(2030, 6, 30, 6, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 2, "overdue": 0}
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    assert sorted(m.subject for m in mail.outbox) == [
        "[AI4Media] Due tomorrow: Interim report",
        "[AI4Media] Due tomorrow: Prototype",
    ]
    # Late: a submitted item is not overdue; the other goes to call managers, once.
    services.deliverable_submit(
        deliverable=prototype, actor=project.beneficiary, upload=pdf_upload()
    )
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2030, 7, 3, 6, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 1}
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [boss.email]
    assert digest.subject == "[AI4Media] 1 deliverable is newly overdue"
    assert "* LUMEN — Interim report — due 1 Jul 2030, 2 days late" in digest.body
    assert interim_report.reminders.count() == 3


def test_reminders_skip_completed_projects():
    project = funded(start=dt.date(2030, 1, 1))
    project.status = "completed"
    project.save()
    with time_machine.travel(dt.datetime(2030, 6, 25, 6, 0, tzinfo=UTC), tick=False):
        assert services.reminders_send() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}


def test_reminder_schedule_is_registered(settings):
    assert settings.CELERY_BEAT_SCHEDULE["opencalls-reminders"]["task"] == (
        "opencalls.send_reminders"
    )


def test_demo_data_loads_twice_without_duplicates():
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-accounts")
    counts = (Call.objects.count(), Proposal.objects.count(), ProposalVersion.objects.count())
    call_command("seed_demo", "--quiet-accounts")
    assert (Call.objects.count(), Proposal.objects.count(), ProposalVersion.objects.count()) == (
        counts
    )
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses >= set(ProposalStatus.values) - {"under-evaluation", "interview"}
    assert Call.objects.open_at().count() == 1


def test_call_copy_carries_the_evaluation_settings_a_year_on():
    call = CallFactory(opens_at=OC1_OPENS, closes_at=OC1_CLOSES)
    EvaluationSettings.objects.create(
        call=call,
        hide_applicant_identity=True,
        review_deadline=dt.datetime(2022, 1, 20, 17, 0, tzinfo=BRUSSELS),
        interview_weight=Decimal("0.40"),
    )
    with time_machine.travel(dt.datetime(2022, 6, 1, tzinfo=UTC), tick=False):
        copy = services.call_copy(call=call, actor=manager())
    copied = EvaluationSettings.objects.get(call=copy)
    assert (copied.hide_applicant_identity, copied.interview_weight) == (True, Decimal("0.40"))
    assert copied.review_deadline == dt.datetime(2023, 1, 20, 17, 0, tzinfo=BRUSSELS)
    assert EvaluationSettings.objects.get(call=call).review_deadline.year == 2022


def test_call_copy_without_evaluation_settings_creates_none():
    call = CallFactory()
    copy = services.call_copy(call=call, actor=manager())
    assert not EvaluationSettings.objects.filter(call=copy).exists()
