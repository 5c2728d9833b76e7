"""A call manager's decision on a proposal."""

import pytest
from django.core import mail

from ai4media_portal.core.exceptions import PortalError
from opencalls import services
from opencalls.enums import ProposalStatus

from .factories import close, eligible, manager, submitted

pytestmark = pytest.mark.django_db


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
