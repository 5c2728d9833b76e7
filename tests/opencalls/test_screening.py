"""Eligibility screening and the applicant's answers to clarifications."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ai4media_portal.core.exceptions import PortalError
from opencalls import services
from opencalls.enums import ProposalStatus, ScreeningOutcome

from .factories import applicant, close, eligible, manager, submitted

pytestmark = pytest.mark.django_db


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
