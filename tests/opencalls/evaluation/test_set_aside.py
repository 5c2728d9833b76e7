"""Reviews set aside: a conflict confirmed after the review was submitted, or a call manager's
decision with a reason. The review stays, marked, for the record and counts nowhere; its
assignment counts as missing so the proposal takes a replacement evaluator."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.audit import audit_trail
from ai4media_portal.core.exceptions import PortalError
from opencalls.evaluation import selectors, services
from opencalls.evaluation.enums import ConflictSource, RunStatus
from opencalls.evaluation.models import AssignmentRun, Conflict, Review

from .factories import assign, call_under_evaluation, pool_evaluator, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    """p0 with three submitted reviews: two that agree on 4 for Excellence and a late one at 1
    whose author turns out to be conflicted."""
    call, (p0,), by = call_under_evaluation(proposals=1)
    first, second, late = (pool_evaluator(call) for _ in range(3))
    review(assign(p0, first, by), (4, 4, 4))
    review(assign(p0, second, by), (4, 4, 3))
    late_assignment = assign(p0, late, by)
    review(late_assignment, (1, 4, 4), {"Excellence": "The conflicted view."})
    return {"call": call, "p0": p0, "by": by, "late": late, "late_assignment": late_assignment}


def _detected_conflict(case):
    return Conflict.objects.create(
        call=case["call"],
        proposal=case["p0"],
        evaluator=case["late"],
        source=ConflictSource.DETECTED,
        reasons=["same-organisation"],
        reason="same organisation (Org 0)",
    )


def test_a_conflict_confirmed_after_submission_sets_the_review_aside_and_out_of_every_computation(
    case,
):
    call, p0, by, late = case["call"], case["p0"], case["by"], case["late"]
    before = selectors.call_analysis(call)
    assert before.suggestions[p0.pk].scores[str(call.criteria.order_by("order").first().pk)] == (
        Decimal(3)
    )
    assert before.flag_texts(p0.pk) != []
    assert late.pk in before.calibration

    services.conflict_confirm(conflict=_detected_conflict(case), actor=by)

    kept = Review.objects.get(assignment=case["late_assignment"])
    assert kept.is_set_aside
    assert kept.set_aside_by == by
    assert kept.set_aside_reason == "Conflict of interest: same organisation (Org 0)"
    after = selectors.call_analysis(call)
    excellence = str(call.criteria.order_by("order").first().pk)
    assert after.suggestions[p0.pk].scores[excellence] == Decimal(4)
    assert after.flag_texts(p0.pk) == []
    assert late.pk not in after.calibration
    assert {r.evaluator_id for r in after.reviews} == {
        a.evaluator_id for a in p0.assignments.exclude(evaluator=late)
    }
    progress = selectors.call_progress(call)
    row = progress.proposals[0]
    assert (row.assigned, row.submitted, row.set_aside) == (2, 2, 1)
    assert progress.totals["submitted"] == 2
    late_row = next(r for r in progress.evaluators if r.evaluator == late)
    assert (late_row.submitted, late_row.set_aside) == (0, 1)
    assert [e.action for e in audit_trail(p0)][:2] == [
        "opencalls.evaluation.review.set_aside",
        "opencalls.evaluation.conflict.confirm",
    ]
    # Kept for the record: the assignment cannot be removed.
    with pytest.raises(PortalError):
        services.assignment_remove(assignment=case["late_assignment"], actor=by)
    assert Review.objects.filter(pk=kept.pk).exists()


def test_the_assignment_of_a_review_set_aside_counts_as_missing_so_a_replacement_is_assigned(
    case,
):
    call, p0, by = case["call"], case["p0"], case["by"]
    extra = pool_evaluator(call)
    with pytest.raises(PortalError) as error:
        assign(p0, extra, by)
    assert error.value.code == "proposal_full"
    services.conflict_confirm(conflict=_detected_conflict(case), actor=by)
    assert selectors.reviews_complete(p0) is True

    replacement = assign(p0, extra, by)

    assert replacement.evaluator == extra
    assert selectors.reviews_complete(p0) is False
    assert p0.assignments.counted().count() == 3


def test_an_automatic_run_gives_the_proposal_a_replacement_and_keeps_the_review_set_aside(case):
    call, p0, by, late = case["call"], case["p0"], case["by"], case["late"]
    extra = pool_evaluator(call)
    services.review_set_aside(
        assignment=case["late_assignment"], actor=by, reason="Did not assess the proposal."
    )
    run = AssignmentRun.objects.create(call=call, actor=by)

    run = services.assignment_run_execute(run_id=run.pk)

    assert run.status == RunStatus.SUCCEEDED
    assert set(p0.assignments.values_list("evaluator_id", flat=True)) == {
        *[a.evaluator_id for a in p0.assignments.exclude(evaluator__in=[late, extra])],
        late.pk,
        extra.pk,
    }
    assert Review.objects.get(assignment__evaluator=late).is_set_aside


def test_a_manager_sets_a_review_aside_with_a_reason_and_bad_requests_are_refused(case):
    call, p0, by = case["call"], case["p0"], case["by"]
    draft_holder = pool_evaluator(call)
    with pytest.raises(PermissionDenied):
        services.review_set_aside(
            assignment=case["late_assignment"], actor=case["late"], reason="Mine"
        )
    with pytest.raises(PortalError) as error:
        services.review_set_aside(assignment=case["late_assignment"], actor=by, reason="  ")
    assert error.value.field == "reason"
    services.review_set_aside(
        assignment=case["late_assignment"], actor=by, reason="Copied another proposal's review."
    )
    with pytest.raises(PortalError) as error:
        services.review_set_aside(assignment=case["late_assignment"], actor=by, reason="Again")
    assert error.value.code == "already_set_aside"
    draft = assign(p0, draft_holder, by)
    review(draft, submit=False)
    with pytest.raises(PortalError) as error:
        services.review_set_aside(assignment=draft, actor=by, reason="Not yet")
    assert error.value.code == "not_submitted"
    entry = audit_trail(p0).filter(action="opencalls.evaluation.review.set_aside").get()
    assert entry.data == {
        "evaluator": case["late"].pk,
        "reason": "Copied another proposal's review.",
        "why": "manager",
        "rapporteur_dropped": False,
    }


def test_the_evaluator_set_aside_no_longer_sees_the_proposal_nor_do_peers_see_their_review(case):
    call, p0, by, late = case["call"], case["p0"], case["by"], case["late"]
    services.review_set_aside(assignment=case["late_assignment"], actor=by, reason="Conflict")
    assert selectors.evaluator_assignment(user=late, proposal_id=p0.pk) is None
    peer = p0.assignments.exclude(evaluator=late).select_related("review").first()
    criteria = list(call.criteria.order_by("order", "pk"))
    peers = selectors.peer_reviews(assignment=peer, criteria=criteria)
    assert len(peers) == 2
    assert all(scores[0][2] != "The conflicted view." for scores in [p.scores for p in peers])


def test_a_rapporteur_whose_review_is_set_aside_stops_being_rapporteur(case):
    p0, by, late = case["p0"], case["by"], case["late"]
    services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=late)

    services.review_set_aside(assignment=case["late_assignment"], actor=by, reason="Conflict")

    assert p0.consensus.__class__.objects.get(proposal=p0).rapporteur is None
    assert late not in selectors.rapporteur_candidates(p0)
    with pytest.raises(PortalError) as error:
        services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=late)
    assert error.value.field == "rapporteur"


def test_a_conflict_the_evaluator_declares_after_submitting_sets_their_review_aside(case):
    call, late = case["call"], case["late"]
    services.conflict_declare_organisation(call=call, actor=late, organisation="Org 0")
    review_row = Review.objects.get(assignment=case["late_assignment"])
    assert review_row.is_set_aside
    assert review_row.set_aside_reason == "Conflict of interest: declared a conflict with Org 0"


def test_the_managers_page_marks_the_review_set_aside_and_the_form_refuses_a_missing_reason(
    client, case
):
    call, p0, by = case["call"], case["p0"], case["by"]
    url = f"/calls/evaluation/manage/{call.number}/proposals/{p0.pk}/"
    client.force_login(by)

    refused = client.post(f"{url}set-aside/", {"assignment": case["late_assignment"].pk})

    assert refused.status_code == 422
    assert refused.context["set_aside_form"].errors == {"reason": ["This field is required."]}
    assert Review.objects.get(assignment=case["late_assignment"]).is_set_aside is False
    done = client.post(
        f"{url}set-aside/",
        {"assignment": case["late_assignment"].pk, "reason": "Conflict found later."},
    )
    assert done.status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert "Set aside: not counted" in html
    assert "Conflict found later." in html
    rows = {row.assignment.evaluator_id: row for row in page.context["rows"]}
    marked = rows[case["late"].pk]
    assert (marked.set_aside, marked.z_score, marked.tendency) == (True, None, "")
    assert marked.total == Decimal(9)
    overview = client.get(f"/calls/evaluation/manage/{call.number}/")
    assert "1 set aside" in overview.content.decode()


def test_the_scores_export_marks_the_review_set_aside(client, case):
    call, by = case["call"], case["by"]
    services.review_set_aside(assignment=case["late_assignment"], actor=by, reason="Conflict")
    client.force_login(by)

    response = client.get(f"/calls/evaluation/manage/{call.number}/export/scores/?format=csv")

    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    marks = sorted(
        (row["evaluator_email"], row["set_aside"], row["set_aside_reason"]) for row in rows
    )
    late_email = case["late"].email
    assert [m for m in marks if m[0] == late_email] == [(late_email, "yes", "Conflict")]
    assert [m[1:] for m in marks if m[0] != late_email] == [("", ""), ("", "")]
