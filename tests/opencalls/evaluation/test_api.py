"""The evaluation API: evaluators' assignments and reviews, managers' rankings."""

from decimal import Decimal

import pytest

from opencalls.evaluation.enums import ReviewStatus
from opencalls.evaluation.models import Review
from tests.utils import assert_constant_queries

from .factories import assign, call_under_evaluation, final_consensus, pool_evaluator, review

pytestmark = pytest.mark.django_db


def _criteria(call):
    return list(call.criteria.order_by("order", "pk"))


def test_assignments_carry_the_proposal_as_the_evaluator_may_read_it(api_client):
    call, (p0,), by = call_under_evaluation(proposals=1, blind=True)
    assignment = assign(p0, pool_evaluator(call), by)
    api_client.force_authenticate(assignment.evaluator)
    (row,) = api_client.get("/api/v1/evaluation/assignments/").json()["results"]
    assert row["id"] == assignment.pk
    assert row["call"] == call.number
    assert row["blind"] is True
    assert row["review"] is None
    proposal = row["proposal"]
    assert proposal["reference"] == p0.reference
    assert proposal["organisation"] == ""
    assert (
        proposal["document_url"]
        == f"http://testserver/calls/evaluation/proposals/{p0.pk}/document/"
    )
    assert "Org 0" not in str(row)
    assert "Ada Lovelace" not in str(row)
    assert p0.applicant.email not in str(row)


def test_api_lists_keep_a_constant_number_of_queries(api_client):
    call, proposals, by = call_under_evaluation(proposals=4)
    person = pool_evaluator(call)
    api_client.force_authenticate(person)
    spare = iter(proposals)
    assert_constant_queries(
        api_client, "/api/v1/evaluation/assignments/", lambda: assign(next(spare), person, by)
    )
    spare_assignments = iter(list(person.assignments.all()))
    Review.objects.all().delete()
    assert_constant_queries(
        api_client,
        "/api/v1/evaluation/reviews/",
        lambda: review(next(spare_assignments), submit=False),
    )


def test_a_review_is_written_as_a_draft_then_submitted(api_client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    excellence, impact, implementation = _criteria(call)
    api_client.force_authenticate(assignment.evaluator)
    response = api_client.post(
        "/api/v1/evaluation/reviews/",
        {"assignment": assignment.pk, "scores": {str(excellence.pk): "4.5"}},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["criteria"][0] == {
        "criterion": excellence.pk,
        "name": "Excellence",
        "score": "4.5",
        "comment": "",
    }
    url = f"/api/v1/evaluation/reviews/{body['id']}/"
    response = api_client.post(f"{url}submit/")
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {
        f"comment_{excellence.pk}",
        f"score_{impact.pk}",
        f"comment_{impact.pk}",
        f"score_{implementation.pk}",
        f"comment_{implementation.pk}",
    }
    response = api_client.patch(
        url,
        {
            "scores": {str(impact.pk): "4", str(implementation.pk): "3.5"},
            "comments": {str(c.pk): f"On {c.name}." for c in (excellence, impact, implementation)},
            "overall_comment": "Promising.",
        },
        format="json",
    )
    assert response.status_code == 200
    response = api_client.post(f"{url}submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["other_reviews"][0]["label"] == "A"
    assert response.json()["other_reviews"][0]["is_own"] is True
    assert Review.objects.get().status == ReviewStatus.SUBMITTED
    response = api_client.patch(url, {"overall_comment": "Changed"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == (
        "This review is submitted and can no longer change."
    )


def test_bad_scores_through_the_api_save_nothing_and_name_the_field(api_client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    excellence, impact, _implementation = _criteria(call)
    api_client.force_authenticate(assignment.evaluator)
    response = api_client.post(
        "/api/v1/evaluation/reviews/",
        {
            "assignment": assignment.pk,
            "scores": {str(excellence.pk): "2.3", str(impact.pk): "4"},
            "comments": {str(excellence.pk): "Fine."},
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "Scores go in half points, for example 3 or 3.5.",
            "attr": f"scores.{excellence.pk}",
        }
    ]
    assert not Review.objects.exists()


def test_nobody_writes_a_review_of_an_assignment_that_is_not_theirs(api_client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    other = pool_evaluator(call)
    api_client.force_authenticate(other)
    response = api_client.post(
        "/api/v1/evaluation/reviews/", {"assignment": assignment.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "assignment"
    assert not Review.objects.exists()


def test_declaring_a_conflict_through_the_api(api_client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    api_client.force_authenticate(assignment.evaluator)
    url = f"/api/v1/evaluation/assignments/{assignment.pk}/declare-conflict/"
    response = api_client.post(url, {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "reason"
    assert api_client.post(url, {"reason": "My employer."}, format="json").status_code == 204
    assert api_client.get("/api/v1/evaluation/assignments/").json()["results"] == []
    assert api_client.post(url, {"reason": "Again"}, format="json").status_code == 404


def test_managers_read_the_ranking(api_client):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call)
    for proposal, scores in ((p0, (4, 4, 4)), (p1, (2, 4, 4))):
        review(assign(proposal, person, by), scores)
        final_consensus(proposal, by, scores)
    api_client.force_authenticate(by)
    research, application = api_client.get(
        f"/api/v1/evaluation/calls/{call.number}/ranking/"
    ).json()
    assert research["track"] == "Research"
    assert application["ranked"] == []
    assert [(r["reference"], r["rank"], r["decision"]) for r in research["ranked"]] == [
        (p0.reference, 1, "fund")
    ]
    assert research["below_threshold"][0]["reasons"] == [
        "Excellence 2 is below the threshold of 3."
    ]
    assert Decimal(research["ranked"][0]["final_score"]) == Decimal(12)
    (whole,) = api_client.get(f"/api/v1/evaluation/calls/{call.number}/ranking/?view=call").json()
    assert whole["track"] is None
    api_client.force_authenticate(person)
    assert api_client.get(f"/api/v1/evaluation/calls/{call.number}/ranking/").status_code == 404


def test_an_unknown_ranking_view_is_refused(api_client):
    call, _proposals, by = call_under_evaluation(proposals=1)
    api_client.force_authenticate(by)
    response = api_client.get(f"/api/v1/evaluation/calls/{call.number}/ranking/?view=true")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "view"
