"""Nobody decides on their own case: a call manager who applied for a proposal, is in its team
or speaks for its organisation in the network directory does not screen, evaluate, assign,
rank, interview-score or decide it, and does not read its evaluation. Call-wide pages,
exports and the API show it as a conflict of interest, without scores."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from ai4media_portal.core.permissions import can
from ai4media_portal.core.roles import Role
from opencalls import services as call_services
from opencalls.enums import ProposalStatus, ScreeningOutcome
from opencalls.evaluation import services
from opencalls.evaluation.enums import ConflictSource
from opencalls.evaluation.models import Conflict, Interview
from opencalls.models import Proposal, ProposalTeamMember
from tests.factories import UserFactory
from tests.network.factories import ContactFactory, OrganisationFactory
from tests.opencalls.factories import close, eligible, manager, submitted

from .factories import assign, call_under_evaluation, final_consensus, pool_evaluator, review

pytestmark = pytest.mark.django_db

HIDDEN = "Conflict of interest: hidden"


def _party_in_team(proposal, email="Pat.Party@Example.org"):
    """A call manager named (by email, in another case) in ``proposal``'s team."""
    ProposalTeamMember.objects.create(proposal=proposal, full_name="Pat Party", email=email)
    return UserFactory(roles=[Role.CALL_MANAGER], email=email.lower())


@pytest.fixture
def case():
    """A call under evaluation: ``own`` (the party's case) and ``other``, both reviewed with
    a final consensus, and a call manager who is in ``own``'s team."""
    call, (own, other), by = call_under_evaluation(proposals=2)
    party = _party_in_team(own)
    expert = pool_evaluator(call, full_name="Named Expert")
    for proposal, word in ((own, "Owncase"), (other, "Othercase")):
        review(assign(proposal, expert, by), (4, 4, 4), {"Excellence": f"{word} review."})
        final_consensus(proposal, by, summary=f"{word} consensus.")
    return call, own, other, by, party


def test_parties_are_the_applicant_the_team_and_the_organisations_contacts(
    django_assert_num_queries,
):
    call, (p0, p1), _by = call_under_evaluation(proposals=2)
    in_team = _party_in_team(p0)
    contact = UserFactory(roles=[Role.CALL_MANAGER])
    # The directory writes the organisation differently: a legal form, capitals.
    ContactFactory(organisation=OrganisationFactory(name="ORG 1 GmbH", role=None), user=contact)
    stranger = manager()
    assert [p0.is_party(p0.applicant), p1.is_party(p0.applicant)] == [True, False]
    assert [p0.is_party(in_team), p1.is_party(in_team)] == [True, False]
    assert [p0.is_party(contact), p1.is_party(contact)] == [False, True]
    assert [p0.is_party(stranger), p0.is_party(None)] == [False, False]
    proposals = Proposal.objects.filter(call=call)
    with django_assert_num_queries(3):
        assert proposals.party_ids(contact) == {p1.pk}
    with django_assert_num_queries(2):  # no directory organisation: no third query
        assert proposals.party_ids(in_team) == {p0.pk}


def test_a_party_neither_screens_nor_decides_through_the_service_or_the_page(client):
    proposal = submitted(organisation_name="Party Org")
    party = _party_in_team(proposal)
    colleague = manager()
    close(proposal.call)
    checks = [call_services.CheckInput(i.pk, True) for i in proposal.call.checklist.all()]
    with pytest.raises(PermissionDenied):
        call_services.proposal_screen(
            proposal=proposal, actor=party, checks=checks, outcome=ScreeningOutcome.ELIGIBLE
        )
    client.force_login(party)
    assert client.get(f"/calls/proposals/{proposal.pk}/screening/").status_code == 403
    # The proposal's page shows them the applicant's view, without the screening tools.
    page = client.get(f"/calls/proposals/{proposal.pk}/")
    assert (page.status_code, page.context["is_manager"], page.context["audit"]) == (200, False, [])
    eligible(proposal, colleague)
    with pytest.raises(PermissionDenied):
        call_services.proposal_decide(
            proposal=proposal, actor=party, outcome=ProposalStatus.SELECTED
        )
    response = client.post(f"/calls/proposals/{proposal.pk}/decision/", {"outcome": "selected"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ELIGIBLE
    client.force_login(colleague)
    assert client.get(f"/calls/proposals/{proposal.pk}/decision/").status_code == 200


def test_a_party_touches_nothing_of_their_cases_evaluation(case):
    call, own, other, by, party = case
    expert = pool_evaluator(call)
    assignment = own.assignments.get()
    conflict = Conflict.objects.create(
        call=call, proposal=own, evaluator=expert, source=ConflictSource.DETECTED, reason="Same"
    )
    interview = Interview.objects.create(proposal=own, call=call, invited_by=by)
    audited = AuditEntry.objects.count()
    refused = {
        "assign": lambda: services.assignment_add(proposal=own, evaluator=expert, actor=party),
        "remove": lambda: services.assignment_remove(assignment=assignment, actor=party),
        "lock": lambda: services.assignment_lock(assignment=assignment, actor=party, locked=True),
        "extend": lambda: services.assignment_extend(
            assignment=assignment, actor=party, until=timezone.now() + timezone.timedelta(days=3)
        ),
        "rapporteur": lambda: services.consensus_set_rapporteur(
            proposal=own, actor=party, rapporteur=expert
        ),
        "reopen": lambda: services.consensus_reopen(proposal=own, actor=party),
        "consensus": lambda: services.consensus_save(proposal=own, actor=party, summary="Mine"),
        "confirm": lambda: services.conflict_confirm(conflict=conflict, actor=party),
        "dismiss": lambda: services.conflict_dismiss(conflict=conflict, actor=party, reason="No"),
        "interview": lambda: services.interview_record(interview=interview, actor=party, score=5),
        "set aside": lambda: services.review_set_aside(
            assignment=assignment, actor=party, reason="Biased"
        ),
    }
    outcomes = {}
    for name, action in refused.items():
        try:
            action()
        except PermissionDenied:
            outcomes[name] = "refused"
        else:
            outcomes[name] = "done"
    assert outcomes == dict.fromkeys(refused, "refused")
    assert AuditEntry.objects.count() == audited
    assert (own.consensus.summary, own.consensus.status) == ("Owncase consensus.", "final")
    # The same manager works on the other proposal, which is not their case.
    assert can(party, "opencalls.evaluate_proposal", other) is True
    services.consensus_reopen(proposal=other, actor=party)


def test_a_party_opens_none_of_their_cases_evaluation_pages(client, case):
    call, own, other, _by, party = case
    base = f"/calls/evaluation/manage/{call.number}/proposals"
    client.force_login(party)
    statuses = {
        "manager page": client.get(f"{base}/{own.pk}/").status_code,
        "rapporteur": client.post(f"{base}/{own.pk}/rapporteur/", {}).status_code,
        "extend": client.post(f"{base}/{own.pk}/extend/", {}).status_code,
        "reopen": client.post(f"{base}/{own.pk}/reopen/").status_code,
        "consensus": client.get(f"/calls/evaluation/proposals/{own.pk}/consensus/").status_code,
        "report preview": client.get(f"/calls/evaluation/proposals/{own.pk}/summary/").status_code,
        "other's page": client.get(f"{base}/{other.pk}/").status_code,
        "other's consensus": client.get(
            f"/calls/evaluation/proposals/{other.pk}/consensus/"
        ).status_code,
    }
    assert statuses == {
        "manager page": 403,
        "rapporteur": 403,
        "extend": 403,
        "reopen": 403,
        "consensus": 403,
        "report preview": 404,
        "other's page": 200,
        "other's consensus": 200,
    }
    own.consensus.refresh_from_db()
    assert own.consensus.status == "final"


def test_call_wide_pages_show_their_case_as_a_conflict_without_scores(client, case):
    call, own, other, by, party = case
    Interview.objects.create(proposal=own, call=call, invited_by=by)
    Conflict.objects.create(
        call=call,
        proposal=own,
        evaluator=pool_evaluator(call, full_name="Conflicted Expert"),
        source=ConflictSource.DETECTED,
        reason="Same organisation",
    )
    own_name = own.current_version.acronym
    client.force_login(party)
    pages = {
        page: client.get(f"/calls/evaluation/manage/{call.number}/{page}").content.decode()
        for page in ("", "ranking/", "assignments/", "conflicts/", "interviews/", "decisions/")
    }
    assert [page for page, html in pages.items() if HIDDEN not in html] == []
    # Only the reference stands for their case: no acronym, flags, scores or evaluators.
    assert [
        page for page in ("", "ranking/", "assignments/", "conflicts/") if own_name in pages[page]
    ] == []
    assert "Conflicted Expert" not in pages["conflicts/"]
    ranking = client.get(f"/calls/evaluation/manage/{call.number}/ranking/").context["rankings"]
    shown = [row.proposal.pk for tr in ranking for row in [*tr.rows, *tr.below]]
    assert shown == [other.pk]
    assert [p.pk for tr in ranking for p in tr.hidden] == [own.pk]
    # Another call manager sees the whole evaluation.
    client.force_login(by)
    html = client.get(f"/calls/evaluation/manage/{call.number}/ranking/").content.decode()
    assert (HIDDEN in html, own_name in html) == (False, True)


def test_exports_and_the_api_show_their_case_without_scores(client, api_client, case):
    call, own, other, _by, party = case
    client.force_login(party)
    base = f"/calls/evaluation/manage/{call.number}/export"
    texts = {}
    for kind in ("scores", "consensus", "ranking"):
        response = client.get(f"{base}/{kind}/?format=csv")
        text = texts[kind] = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        own_rows = [row for row in rows if own.reference in row]
        assert len(own_rows) == 1, kind
        assert "conflict of interest: hidden" in own_rows[0], kind
        assert set(own_rows[0][own_rows[0].index(own.reference) + 3 :]) == {""}
        assert "Owncase" not in text, kind
        assert other.reference in text, kind
    assert (
        "Othercase review." in texts["scores"],
        "Othercase consensus." in texts["consensus"],
    ) == (
        True,
        True,
    )
    api_client.force_authenticate(party)
    tracks = api_client.get(f"/api/v1/evaluation/calls/{call.number}/ranking/").json()
    assert [r["reference"] for t in tracks for r in t["ranked"] + t["below_threshold"]] == [
        other.reference
    ]
    assert [ref for t in tracks for ref in t["conflict_of_interest"]] == [own.reference]
    assert [ref for t in tracks for ref in t["hidden"]] == []


@pytest.mark.parametrize("action", ["run", "interviews", "decisions"])
def test_call_wide_actions_are_refused_to_a_party(case, action):
    call, own, _other, _by, party = case
    call.interviews_per_track = 1
    call.save(update_fields=["interviews_per_track"])
    act = {
        "run": lambda: services.assignment_run_start(call=call, actor=party),
        "interviews": lambda: services.interviews_invite(call=call, actor=party),
        "decisions": lambda: services.decisions_apply(call=call, actor=party),
    }[action]
    with pytest.raises(PortalError) as error:
        act()
    assert (error.value.code, error.value.message) == (
        "own_case",
        f"You are a party to {own.reference}: another call manager does this for the whole call.",
    )
    own.refresh_from_db()
    assert own.status == ProposalStatus.UNDER_EVALUATION
