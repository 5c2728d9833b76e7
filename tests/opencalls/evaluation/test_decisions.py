"""Decisions from the ranking and the publication of results."""

from decimal import Decimal

import pytest
from django.core import mail

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from opencalls.enums import ProposalStatus
from opencalls.evaluation import selectors, services
from opencalls.evaluation.models import Assignment
from opencalls.models import Proposal

from .factories import assign, call_under_evaluation, final_consensus, pool_evaluator, review
from .helpers import _evaluated

pytestmark = pytest.mark.django_db


def test_decisions_follow_the_ranking_and_applicants_get_their_report(
    django_capture_on_commit_callbacks,
):
    call, proposals, by = call_under_evaluation(proposals=3, total_budget=Decimal("100000"))
    for track in call.tracks.all():
        track.projects_to_fund = 1
        track.save()
    people = [pool_evaluator(call, full_name=f"Secret Expert {i}") for i in range(2)]
    for proposal, scores in zip(proposals, [(5, 5, 5), (4, 4, 4), (2, 2, 2)], strict=True):
        for person in people:
            review(assign(proposal, person, by), scores)
        final_consensus(proposal, by, scores, summary="Summary for the applicant.")
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.decisions_apply(call=call, actor=by, message="Thank you for applying.")
    assert counts == {"selected": 1, "reserve": 1, "rejected": 1}
    statuses = [Proposal.objects.get(pk=p.pk).status for p in proposals]
    assert statuses == [ProposalStatus.SELECTED, ProposalStatus.RESERVE, ProposalStatus.REJECTED]
    decision_mails = [m for m in mail.outbox if "Evaluation Summary Report" in m.body]
    assert len(decision_mails) == 3
    for message in mail.outbox:
        assert "Secret Expert" not in message.body
        assert people[0].email not in message.body
    assert f"/calls/evaluation/proposals/{proposals[0].pk}/summary/" in decision_mails[0].body
    assert AuditEntry.objects.filter(action="opencalls.proposal.decide").count() == 3
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.results_publish(call=call, actor=by)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.applicant.email for p in proposals)
    report = selectors.summary_report(Proposal.objects.get(pk=proposals[2].pk))
    assert report.passed is False
    assert report.decision == "Not selected"
    assert report.reasons[0] == "Excellence 2 is below the threshold of 3."


def test_decisions_wait_for_every_consensus_and_interview():
    call, proposals, by = call_under_evaluation(proposals=2, interviews_per_track=1)
    _evaluated(call, by, proposals[:1], [(4, 4, 4)])
    assign(proposals[1], pool_evaluator(call), by)
    with pytest.raises(PortalError) as error:
        services.decisions_apply(call=call, actor=by)
    assert error.value.message == "1 proposals have no final consensus yet: finish them first."
    Proposal.objects.filter(pk=proposals[1].pk).update(status=ProposalStatus.ELIGIBLE)
    Assignment.objects.filter(proposal=proposals[1]).delete()
    services.interviews_invite(call=call, actor=by)
    with pytest.raises(PortalError) as error:
        services.decisions_apply(call=call, actor=by)
    assert error.value.message == "1 interviews have not been recorded yet."


def test_results_cannot_be_published_before_every_outcome():
    call, (_p0,), by = call_under_evaluation(proposals=1)
    with pytest.raises(PortalError) as error:
        services.results_publish(call=call, actor=by)
    assert error.value.message == "1 proposals have no final outcome yet."
