"""The blind-review rule on every surface: nobody reads a proposal's reviews, or anything
derived from them, before submitting their own review of it, whatever role they also hold.
The case: a call manager who is also one of the proposal's evaluators, with a draft."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.roles import Role
from opencalls.evaluation import selectors, services
from opencalls.evaluation.models import ConsensusReport

from .factories import assign, call_under_evaluation, final_consensus, pool_evaluator, review

pytestmark = pytest.mark.django_db

SECRET = "Peer's secret view."


def _add_role(user, role):
    user.groups.add(Group.objects.get(name=str(role)))
    user.__dict__.pop("role_names", None)


@pytest.fixture
def case():
    """p0: two evaluators submitted (disagreeing, so p0 is flagged), its consensus is a draft,
    and a call manager who also evaluates it (staff too) holds a draft review. p1: evaluated
    and its consensus final."""
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    dual = pool_evaluator(call, is_staff=True, is_superuser=True)
    _add_role(dual, Role.CALL_MANAGER)
    first, second = pool_evaluator(call), pool_evaluator(call)
    review(assign(p0, first, by), (4.5, 4, 4), {"Excellence": SECRET})
    review(assign(p0, second, by), (2.5, 4, 4))
    own = assign(p0, dual, by)
    review(own, (3, 3, 3), submit=False)
    review(assign(p1, first, by), (4, 4, 4))
    final_consensus(p1, by)
    services.consensus_save(proposal=p0, actor=by, summary="Agreed so far on p0.")
    return {"call": call, "p0": p0, "p1": p1, "by": by, "dual": dual, "own": own}


def _csv(response) -> str:
    assert response.status_code == 200
    return (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else (response.content.decode())
    )


def test_blind_proposals_are_those_with_ones_own_review_unsubmitted(case):
    assert selectors.blind_proposal_ids(case["dual"], case["call"]) == {case["p0"].pk}
    assert selectors.blind_proposal_ids(case["by"], case["call"]) == frozenset()
    review(case["own"], (3, 3, 3))
    assert selectors.blind_proposal_ids(case["dual"], case["call"]) == frozenset()


def test_the_managers_proposal_page_hides_reviews_flags_and_consensus_until_own_review(
    client, case
):
    call, p0 = case["call"], case["p0"]
    url = f"/calls/evaluation/manage/{call.number}/proposals/{p0.pk}/"
    client.force_login(case["dual"])

    blind = client.get(url)

    html = blind.content.decode()
    assert SECRET.replace("'", "&#x27;") not in html
    assert blind.context["flags"] == []
    assert blind.context["suggestion"] is None
    assert blind.context["consensus_rows"] == []
    assert [row.hidden for row in blind.context["rows"]] == [True, True, True]
    assert [row.total for row in blind.context["rows"]] == [None, None, None]
    assert "its other reviews, flags, suggested and agreed scores stay hidden" in html
    assert f"/calls/evaluation/proposals/{p0.pk}/consensus/" not in html
    # A manager who does not evaluate it reads everything.
    client.force_login(case["by"])
    full = client.get(url)
    assert SECRET.replace("'", "&#x27;") in full.content.decode()
    assert len(full.context["flags"]) == 2
    review(case["own"], (3, 3, 3))
    client.force_login(case["dual"])
    after = client.get(url)
    assert SECRET.replace("'", "&#x27;") in after.content.decode()
    assert [row.hidden for row in after.context["rows"]] == [False, False, False]


def test_the_consensus_page_and_service_refuse_a_manager_with_their_review_pending(client, case):
    p0 = case["p0"]
    url = f"/calls/evaluation/proposals/{p0.pk}/consensus/"
    client.force_login(case["dual"])

    page = client.get(url)

    assert page.status_code == 200
    assert page.context["rows"] == []
    assert page.context["flags"] == []
    assert SECRET.replace("'", "&#x27;") not in page.content.decode()
    refused = client.post(url, {"summary": "Written blind"})
    assert refused.status_code == 422
    with pytest.raises(PortalError) as error:
        services.consensus_save(proposal=p0, actor=case["dual"], summary="Written blind")
    assert error.value.code == "own_review_pending"
    with pytest.raises(PortalError) as error:
        services.consensus_finalise(proposal=p0, actor=case["dual"])
    assert error.value.code == "own_review_pending"


def test_the_overview_leaves_the_blind_proposal_out_of_flags_and_tendencies(client, case):
    call = case["call"]
    url = f"/calls/evaluation/manage/{call.number}/"
    first = case["p0"].assignments.order_by("pk").first().evaluator_id

    def tendency(progress):
        return {row.evaluator.pk: row.tendency for row in progress.evaluators}[first]

    client.force_login(case["by"])
    full = client.get(url).context["progress"]
    assert full.totals["flagged"] == 1
    assert tendency(full) == "lenient"
    client.force_login(case["dual"])

    page = client.get(url)

    progress = page.context["progress"]
    assert progress.totals["flagged"] == 0
    assert [row.flags for row in progress.proposals] == [[], []]
    # Alone on p1, the first evaluator has nobody to be compared with once p0 is left out.
    assert tendency(progress) == "unknown"
    assert "You evaluate 1 proposal of this call" in page.content.decode()


@pytest.mark.parametrize("kind", ["scores", "consensus", "ranking"])
def test_exports_leave_out_the_proposal_whose_own_review_is_pending(client, case, kind):
    call, p0, p1 = case["call"], case["p0"], case["p1"]
    url = f"/calls/evaluation/manage/{call.number}/export/{kind}/?format=csv"
    client.force_login(case["by"])
    everyone = _csv(client.get(url))
    assert p0.reference in everyone
    client.force_login(case["dual"])

    blind = _csv(client.get(url))

    references = [row[0] if kind != "ranking" else row[2] for row in csv.reader(io.StringIO(blind))]
    assert p0.reference not in references
    assert p1.reference in references


def test_the_ranking_page_and_api_leave_out_the_blind_proposal(client, case):
    call, p0, p1 = case["call"], case["p0"], case["p1"]
    client.force_login(case["dual"])

    page = client.get(f"/calls/evaluation/manage/{call.number}/ranking/")
    api = client.get(f"/api/v1/evaluation/calls/{call.number}/ranking/?view=call").json()

    ranked = [row.proposal for tr in page.context["rankings"] for row in [*tr.rows, *tr.below]]
    assert p0 not in ranked
    assert p1 in ranked
    assert [p for tr in page.context["rankings"] for p in tr.hidden] == [p0]
    assert [row["reference"] for row in api[0]["ranked"] + api[0]["below_threshold"]] == [
        p1.reference
    ]
    assert api[0]["hidden"] == [p0.reference]
    # Withheld, not a conflict of interest: the two lists say different things.
    assert [p for tr in page.context["rankings"] for p in tr.conflicts] == []
    assert api[0]["conflict_of_interest"] == []
    client.force_login(case["by"])
    api = client.get(f"/api/v1/evaluation/calls/{call.number}/ranking/?view=call").json()
    assert api[0]["hidden"] == []
    assert p0.reference in [r["reference"] for r in api[0]["ranked"] + api[0]["below_threshold"]]


def test_decisions_wait_for_the_deciders_own_reviews(client, case):
    call = case["call"]
    client.force_login(case["dual"])
    page = client.get(f"/calls/evaluation/manage/{call.number}/decisions/")
    assert [p for p, _outcome, _row in page.context["plan"]] == [case["p1"]]
    assert page.context["blockers"][0] == (
        "You evaluate 1 proposals of this call and have not submitted your review: submit it "
        "before deciding."
    )
    with pytest.raises(PortalError) as error:
        services.decisions_apply(call=call, actor=case["dual"])
    assert "You evaluate 1 proposals" in error.value.message


def test_the_admin_hides_the_reviews_and_consensus_of_a_proposal_its_staff_user_evaluates(
    client, case
):
    p0, p1 = case["p0"], case["p1"]
    client.force_login(case["dual"])

    reviews = client.get("/admin/opencalls/review/")
    reports = client.get("/admin/opencalls/consensusreport/")

    shown = {r.assignment.proposal_id for r in reviews.context["cl"].result_list}
    assert shown == {p1.pk}
    assert {r.proposal_id for r in reports.context["cl"].result_list} == {p1.pk}
    other = p0.assignments.exclude(evaluator=case["dual"]).first().review
    assert client.get(f"/admin/opencalls/review/{other.pk}/change/").status_code == 302


def test_a_rapporteur_whose_review_is_a_draft_is_refused_beside_the_field(client, case):
    call, p0 = case["call"], case["p0"]
    url = f"/calls/evaluation/manage/{call.number}/proposals/{p0.pk}/"
    client.force_login(case["by"])
    form = client.get(url).context["rapporteur_form"]
    labels = [label for _value, label in form.fields["rapporteur"].choices]
    assert f"{case['dual'].display_name} (review not submitted yet)" in labels

    response = client.post(f"{url}rapporteur/", {"rapporteur": case["dual"].pk})

    assert response.status_code == 422
    assert response.context["rapporteur_form"].errors == {
        "rapporteur": [
            f"{case['dual'].display_name} has not submitted their review of this proposal yet: "
            "a rapporteur reads the other reviews, so choose them once their own is in."
        ]
    }
    assert 'id="id_rapporteur_error"' in response.content.decode()
    assert ConsensusReport.objects.filter(proposal=p0, rapporteur__isnull=False).count() == 0
    with pytest.raises(PortalError) as error:
        services.consensus_set_rapporteur(proposal=p0, actor=case["by"], rapporteur=case["dual"])
    assert (error.value.field, error.value.code) == ("rapporteur", "review_not_submitted")
    review(case["own"], (3, 3, 3))
    report = services.consensus_set_rapporteur(
        proposal=p0, actor=case["by"], rapporteur=case["dual"]
    )
    assert report.rapporteur == case["dual"]


def test_a_rapporteur_who_has_not_started_is_refused_too(case):
    call, p1 = case["call"], case["p1"]
    newcomer = pool_evaluator(call)
    services.consensus_reopen(proposal=p1, actor=case["by"])
    assign(p1, newcomer, case["by"])
    with pytest.raises(PortalError) as error:
        services.consensus_set_rapporteur(proposal=p1, actor=case["by"], rapporteur=newcomer)
    assert error.value.code == "review_not_submitted"
