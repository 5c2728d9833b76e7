"""One writer per workflow: every move of a proposal's status and a call's stage goes through
it, is checked against the transition table, kept in the history and audited. Every table is
run both ways: each allowed move works, each other one is refused."""

import ast
from datetime import timedelta
from itertools import product
from pathlib import Path

import pytest
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from ai4media_portal.core.workflow import set_state
from network.enums import TRANSITIONS as APPLICATION_TRANSITIONS
from network.enums import ApplicationStatus
from network.models import ApplicationStatusChange
from network.services import _move as application_move
from opencalls import services
from opencalls.enums import (
    CALL_STAGE_TRANSITIONS,
    DELIVERABLE_TRANSITIONS,
    TRANCHE_TRANSITIONS,
    TRANSITIONS,
    CallStage,
    DeliverableStatus,
    ProposalStatus,
    TrancheStatus,
)
from opencalls.enums import ScreeningOutcome as Outcome
from opencalls.evaluation.enums import (
    CONSENSUS_TRANSITIONS,
    INTERVIEW_TRANSITIONS,
    INVITATION_TRANSITIONS,
    POOL_TRANSITIONS,
    REVIEW_TRANSITIONS,
    RUN_TRANSITIONS,
    ConsensusStatus,
    InterviewStatus,
    InvitationStatus,
    PoolStatus,
    ReviewStatus,
    RunStatus,
)
from opencalls.models import (
    Assignment,
    AssignmentRun,
    Call,
    CallStageChange,
    ConsensusReport,
    Deliverable,
    Interview,
    Invitation,
    PoolMember,
    Proposal,
    ProposalStatusChange,
    Review,
    Tranche,
)
from opencalls.services.workflow import call_write_stage
from tests.factories import UserFactory
from tests.network.factories import ApplicationFactory

from .factories import CallFactory, close, funded, manager, submitted

pytestmark = pytest.mark.django_db

PS = ProposalStatus


def _moves(table, states):
    return [
        pytest.param(current, target, target in table[current], id=f"{current}-{target}")
        for current, target in product(states, states)
    ]


def _audited(target) -> list[dict]:
    return list(
        AuditEntry.objects.filter(object_id=str(target.pk), data__has_key="from")
        .order_by("pk")
        .values_list("data", flat=True)
    )


@pytest.mark.parametrize(("current", "target", "allowed"), _moves(TRANSITIONS, ProposalStatus))
def test_proposal_status_moves_only_as_the_table_allows(current, target, allowed):
    proposal = Proposal.objects.create(
        call=CallFactory(structure=False), applicant=UserFactory(), status=current
    )
    actor = manager()
    if allowed:
        change = services.proposal_set_status(
            proposal=proposal, to=target, actor=actor, message="Because."
        )
        assert (change.from_status, change.to_status, change.actor, change.message) == (
            current,
            target,
            actor,
            "Because.",
        )
        assert _audited(proposal) == [{"from": current.value, "to": target.value}]
    else:
        with pytest.raises(PortalError) as error:
            services.proposal_set_status(proposal=proposal, to=target, actor=actor)
        assert error.value.code == "invalid_transition"
        assert (proposal.history.count(), _audited(proposal)) == (0, [])
    proposal.refresh_from_db()
    assert proposal.status == (target if allowed else current)


@pytest.mark.parametrize(
    ("current", "target", "allowed"), _moves(CALL_STAGE_TRANSITIONS, CallStage)
)
def test_call_stage_moves_only_as_the_table_allows(current, target, allowed):
    call = CallFactory(structure=False, stage=current)
    actor = manager()
    if allowed:
        change = call_write_stage(call=call, to=target, actor=actor)
        assert (change.from_stage, change.to_stage, change.actor) == (current, target, actor)
        assert _audited(call) == [{"from": current.value, "to": target.value}]
    else:
        with pytest.raises(PortalError) as error:
            call_write_stage(call=call, to=target, actor=actor)
        assert error.value.code == "invalid_transition"
        assert (call.stage_history.count(), _audited(call)) == (0, [])
    call.refresh_from_db()
    assert call.stage == (target if allowed else current)


@pytest.mark.parametrize(
    ("current", "target", "allowed"), _moves(APPLICATION_TRANSITIONS, ApplicationStatus)
)
def test_application_status_moves_only_as_the_table_allows(current, target, allowed):
    application = ApplicationFactory(status=current)
    actor = UserFactory()
    if allowed:
        application_move(application, target, actor=actor, action="test")
        change = ApplicationStatusChange.objects.get(application=application)
        assert (change.from_status, change.to_status, change.actor) == (current, target, actor)
    else:
        with pytest.raises(PortalError) as error:
            application_move(application, target, actor=actor, action="test")
        assert error.value.code == "invalid_transition"
        assert ApplicationStatusChange.objects.filter(application=application).count() == 0
    application.refresh_from_db()
    assert application.status == (target if allowed else current)


def _proposal():
    return Proposal.objects.create(call=CallFactory(structure=False), applicant=UserFactory())


def _pool_member(state):
    proposal = _proposal()
    return PoolMember.objects.create(
        call=proposal.call, evaluator=UserFactory(), status=state, terms_accepted_at=timezone.now()
    )


def _invitation(state):
    return Invitation.objects.create(
        call=_proposal().call,
        email="expert@example.org",
        token_hash=f"hash-{state}",
        expires_at=timezone.now() + timedelta(days=30),
        status=state,
    )


def _assignment():
    proposal = _proposal()
    return Assignment.objects.create(
        call=proposal.call, proposal=proposal, evaluator=UserFactory(), source="manual"
    )


def _project_row(model, state):
    project = funded(registration=f"FUNDED-{model.__name__}")
    if model is Tranche:
        return Tranche.objects.create(project=project, name="Final", amount=1000, status=state)
    return Deliverable.objects.create(
        project=project, kind="report", title="Final", due_date=timezone.localdate(), status=state
    )


# Each table without a history of its own, with a row of its model in a given state.
SIMPLE_TABLES = {
    "pool": (POOL_TRANSITIONS, PoolStatus, _pool_member),
    "invitation": (INVITATION_TRANSITIONS, InvitationStatus, _invitation),
    "run": (
        RUN_TRANSITIONS,
        RunStatus,
        lambda state: AssignmentRun.objects.create(call=_proposal().call, status=state),
    ),
    "review": (
        REVIEW_TRANSITIONS,
        ReviewStatus,
        lambda state: Review.objects.create(
            assignment=_assignment(), status=state, submitted_at=timezone.now()
        ),
    ),
    "consensus": (
        CONSENSUS_TRANSITIONS,
        ConsensusStatus,
        lambda state: ConsensusReport.objects.create(
            proposal=(p := _proposal()), call=p.call, status=state
        ),
    ),
    "interview": (
        INTERVIEW_TRANSITIONS,
        InterviewStatus,
        lambda state: Interview.objects.create(
            proposal=(p := _proposal()), call=p.call, status=state
        ),
    ),
    "tranche": (TRANCHE_TRANSITIONS, TrancheStatus, lambda state: _project_row(Tranche, state)),
    "deliverable": (
        DELIVERABLE_TRANSITIONS,
        DeliverableStatus,
        lambda state: _project_row(Deliverable, state),
    ),
}


@pytest.mark.parametrize(
    ("table", "current", "target", "allowed"),
    [
        pytest.param(
            name, current, target, target in table[current], id=f"{name}-{current}-{target}"
        )
        for name, (table, states, _make) in SIMPLE_TABLES.items()
        for current, target in product(states, states)
    ],
)
def test_every_other_workflow_moves_only_as_its_table_allows(table, current, target, allowed):
    transitions, _states, make = SIMPLE_TABLES[table]
    row = make(current)
    also = [f for f in ("updated_at",) if hasattr(row, f)]
    if allowed:
        assert set_state(row, target, transitions, also=also) == current
    else:
        with pytest.raises(PortalError) as error:
            set_state(row, target, transitions, also=also)
        assert error.value.code == "invalid_transition"
    row.refresh_from_db()
    assert row.status == (target if allowed else current)


def test_a_proposals_history_follows_every_service_that_moves_it():
    proposal = submitted()
    by = manager()
    close(proposal.call)
    services.proposal_screen(
        proposal=proposal, actor=by, checks=[], outcome=Outcome.CLARIFICATION, message="Which?"
    )
    services.clarification_answer(proposal=proposal, actor=proposal.applicant, answer="BE")
    checks = [services.CheckInput(i.pk, True) for i in proposal.call.checklist.all()]
    services.proposal_screen(proposal=proposal, actor=by, checks=checks, outcome=Outcome.ELIGIBLE)
    services.proposal_decide(proposal=proposal, actor=by, outcome=PS.RESERVE, message="Wait.")
    steps = [
        (s.from_status, s.to_status, s.actor, s.message)
        for s in ProposalStatusChange.objects.filter(proposal=proposal)
    ]
    me = proposal.applicant
    assert steps == [
        ("", PS.DRAFT, me, ""),
        (PS.DRAFT, PS.SUBMITTED, me, ""),
        (PS.SUBMITTED, PS.CLARIFICATION_REQUESTED, by, "Which?"),
        (PS.CLARIFICATION_REQUESTED, PS.SCREENING, me, ""),
        (PS.SCREENING, PS.ELIGIBLE, by, ""),
        (PS.ELIGIBLE, PS.RESERVE, by, "Wait."),
    ]


def test_a_withdrawal_and_a_resubmission_are_steps_of_the_history():
    proposal = submitted()
    me = proposal.applicant
    # Only a changed proposal is resubmitted: an unchanged one stands as it was.
    services.proposal_submit(proposal=proposal, actor=me)
    services.proposal_save_draft(proposal=proposal, actor=me, fields={"title": "Better"})
    services.proposal_submit(proposal=proposal, actor=me)
    services.proposal_withdraw(proposal=proposal, actor=me, reason="Merged with another one.")
    assert [(s.from_status, s.to_status, s.message) for s in proposal.history.all()] == [
        ("", PS.DRAFT, ""),
        (PS.DRAFT, PS.SUBMITTED, ""),
        (PS.SUBMITTED, PS.SUBMITTED, ""),
        (PS.SUBMITTED, PS.WITHDRAWN, "Merged with another one."),
    ]


def test_a_calls_history_starts_at_its_creation_and_follows_its_stages():
    boss = manager()
    call = CallFactory(stage=CallStage.DRAFT)
    copy = services.call_copy(call=call, actor=boss)
    services.call_set_stage(call=copy, actor=boss, stage=CallStage.PUBLISHED, message="Go.")
    assert [
        (s.from_stage, s.to_stage, s.actor, s.message)
        for s in CallStageChange.objects.filter(call=copy)
    ] == [("", CallStage.DRAFT, boss, ""), (CallStage.DRAFT, CallStage.PUBLISHED, boss, "Go.")]
    assert Call.objects.get(pk=copy.pk).stage == CallStage.PUBLISHED


def test_the_proposal_page_shows_the_history_naming_the_call_team_only_to_managers(client):
    proposal = submitted()
    by = manager()
    close(proposal.call)
    checks = [services.CheckInput(i.pk, True) for i in proposal.call.checklist.all()]
    services.proposal_screen(proposal=proposal, actor=by, checks=checks, outcome=Outcome.ELIGIBLE)
    client.force_login(proposal.applicant)
    html = client.get(f"/calls/proposals/{proposal.pk}/").content.decode()
    assert (html.count("by you"), html.count("by the call team")) == (2, 1)
    assert by.display_name not in html
    client.force_login(by)
    html = client.get(f"/calls/proposals/{proposal.pk}/").content.decode()
    assert f"by {by.display_name}" in html
    assert f"by {proposal.applicant.display_name}" in html


def test_no_queryset_update_writes_a_state_in_open_calls():
    """States change only through their writer: no ``update(status=...)`` or
    ``update(stage=...)`` outside the demo data (which says why it writes in bulk)."""
    root = Path(__file__).resolve().parents[2] / "opencalls"
    found = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path.name == "demo.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update"
                and {k.arg for k in node.keywords} & {"status", "stage"}
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []
