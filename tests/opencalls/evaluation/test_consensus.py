"""Consensus reports: the rapporteur, drafts, finalising and reopening."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ai4media_portal.core.exceptions import PortalError
from opencalls.evaluation import selectors, services

from .factories import assign, call_under_evaluation, final_consensus, pool_evaluator, review
from .helpers import _criteria

pytestmark = pytest.mark.django_db


def test_disagreements_are_flagged_and_evaluators_calibrated():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    people = [pool_evaluator(call) for _ in range(3)]
    for person, scores in zip(people, [(4.5, 4, 4), (2.5, 4, 4), (4, 4, 4)], strict=True):
        review(assign(p0, person, by), scores)
    for person, scores in zip(people, [(4, 4, 4), (3.5, 3.5, 4), (4, 4, 4.5)], strict=True):
        review(assign(p1, person, by), scores)
    analysis = selectors.call_analysis(call)
    assert analysis.flag_texts(p0.pk) == [
        "Excellence: scores range from 2.5 to 4.5, a spread of 2.",
        "Excellence: 2 evaluators at or above the threshold of 3 and 1 evaluator below it.",
    ]
    assert analysis.flag_texts(p1.pk) == []
    harsh = analysis.calibration[people[1].pk]
    assert harsh.tendency.value == "harsh"
    assert harsh.z_scores == {p0.pk: -1.0, p1.pk: 1.0}
    progress = selectors.call_progress(call)
    assert [row.proposal for row in progress.proposals] == [p0, p1]  # flagged first
    assert progress.totals["flagged"] == 1


def test_the_rapporteur_is_one_of_the_evaluators_without_a_conflict():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    outsider = pool_evaluator(call)
    with pytest.raises(PortalError) as error:
        services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=outsider)
    assert error.value.field == "rapporteur"
    with pytest.raises(PermissionDenied):
        services.consensus_set_rapporteur(
            proposal=p0, actor=assignment.evaluator, rapporteur=assignment.evaluator
        )


def test_the_rapporteur_writes_the_consensus_once_every_review_is_in():
    call, (p0,), by = call_under_evaluation(proposals=1)
    first, second = (assign(p0, pool_evaluator(call), by) for _ in range(2))
    review(first)
    services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=first.evaluator)
    with pytest.raises(PortalError) as error:
        services.consensus_save(proposal=p0, actor=first.evaluator, summary="Early")
    assert error.value.code == "reviews_pending"
    with pytest.raises(PermissionDenied):
        services.consensus_save(proposal=p0, actor=second.evaluator, summary="Not mine")
    review(second)
    criteria = _criteria(call)
    outcome = services.consensus_save(
        proposal=p0,
        actor=first.evaluator,
        scores={criteria[0].pk: "4.5", criteria[1].pk: "6"},
        comments={criteria[0].pk: "Agreed: excellent."},
        summary="A strong proposal.",
    )
    assert outcome.errors == {f"score_{criteria[1].pk}": ["Scores go from 0 to 5."]}
    with pytest.raises(ValidationError) as error:
        services.consensus_finalise(proposal=p0, actor=first.evaluator)
    assert sorted(error.value.message_dict) == [
        f"comment_{criteria[1].pk}",
        f"comment_{criteria[2].pk}",
        f"score_{criteria[1].pk}",
        f"score_{criteria[2].pk}",
    ]
    report = final_consensus(p0, first.evaluator)
    assert report.is_final
    with pytest.raises(PortalError):
        services.consensus_save(proposal=p0, actor=by, summary="Too late")
    services.consensus_reopen(proposal=p0, actor=by)
    with pytest.raises(PermissionDenied):
        services.consensus_reopen(proposal=p0, actor=first.evaluator)
