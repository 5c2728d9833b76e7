"""The limits that exist hold under 50 requests at the same moment (``tests.concurrency``):
one proposal per organisation and call, an evaluator's maximum load, a tranche released once
(through a real server), one membership application per form.

``CONCURRENCY`` (default 50) sets how many run at once; each holds a database connection."""

import os
import uuid

import pytest
from django.core.exceptions import ValidationError

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry, OutboundEmail
from network import services as network
from network.models import MembershipApplication
from opencalls import services
from opencalls.enums import ProposalStatus, TrancheStatus
from opencalls.evaluation import services as evaluation
from opencalls.evaluation.models import Assignment
from opencalls.models import Proposal, ProposalVersion, Tranche
from tests.concurrency import live_sessions, run_in_parallel
from tests.factories import UserFactory
from tests.network.factories import topic
from tests.network.test_services import GOOD_DATA
from tests.opencalls.evaluation.factories import call_under_evaluation, pool_evaluator
from tests.opencalls.factories import CallFactory, complete_draft, funded

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

N = int(os.environ.get("CONCURRENCY", "50"))


def _outcome(call):
    def attempt(i):
        try:
            return call(i)
        except (ValidationError, PortalError) as refusal:
            return refusal

    return attempt


def test_one_proposal_per_organisation_and_call_under_load():
    """Ten colleagues of one organisation (its registration number typed two ways) each
    submit their draft from five tabs at the same moment."""
    call = CallFactory()
    drafts = [
        complete_draft(call=call, registration="0123.456.789" if i % 2 else "0123456789")
        for i in range(10)
    ]
    outcomes = run_in_parallel(
        N,
        _outcome(
            lambda i: services.proposal_submit(
                proposal=drafts[i % 10], actor=drafts[i % 10].applicant
            )
        ),
    )
    assert not [
        o for o in outcomes if not isinstance(o, ProposalVersion | ValidationError | PortalError)
    ]
    assert Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED).count() == 1
    assert ProposalVersion.objects.filter(proposal__call=call).count() == 1


def test_an_evaluators_maximum_load_holds_under_load():
    call, proposals, manager = call_under_evaluation(proposals=10)
    evaluator = pool_evaluator(call, max_proposals=3)
    outcomes = run_in_parallel(
        N,
        _outcome(
            lambda i: evaluation.assignment_add(
                proposal=proposals[i % 10], evaluator=evaluator, actor=manager
            )
        ),
    )
    assert sum(isinstance(o, Assignment) for o in outcomes) == 3
    assert {o.code for o in outcomes if isinstance(o, PortalError)} <= {"overloaded", "duplicate"}
    assert Assignment.objects.filter(call=call, evaluator=evaluator).count() == 3


def test_a_tranche_is_released_once_when_50_requests_reach_the_server_at_once(live_server):
    project = funded()
    tranche = project.tranches.get(status=TrancheStatus.REQUESTED)
    manager = UserFactory(roles=["call-manager"])
    sessions = live_sessions(N, manager)
    url = f"{live_server.url}/calls/tranches/{tranche.pk}/release/"
    responses = run_in_parallel(N, lambda i: sessions[i].post(url, allow_redirects=False))
    assert [r.status_code for r in responses] == [302] * N
    assert Tranche.objects.get(pk=tranche.pk).status == TrancheStatus.RELEASED
    assert AuditEntry.objects.filter(action="opencalls.tranche.release").count() == 1
    assert OutboundEmail.objects.filter(template="opencalls/tranche_released").count() == 1


def test_one_membership_application_per_form_under_load():
    applicant = UserFactory()
    areas = [topic()]
    token = uuid.uuid4()
    outcomes = run_in_parallel(
        N,
        lambda i: network.application_create(
            applicant=applicant,
            data=GOOD_DATA,
            areas_of_interest=areas,
            accept_terms=True,
            form_token=token,
        ),
    )
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert sum(created for _, created in outcomes) == 1
    assert {application.pk for application, _ in outcomes} == {
        MembershipApplication.objects.get(applicant=applicant).pk
    }
