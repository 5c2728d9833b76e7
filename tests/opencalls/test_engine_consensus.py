import math
from decimal import Decimal

import pytest

from opencalls.engine.consensus import (
    Review,
    Tendency,
    calibrate_evaluators,
    find_disagreements,
    suggest_consensus,
)
from opencalls.engine.scoring import eu_rules

D = Decimal
RULES = eu_rules()


def review(proposal, evaluator, excellence, impact, implementation):
    scores = {"excellence": D(excellence), "impact": D(impact), "implementation": D(implementation)}
    return Review(proposal, evaluator, scores)


def test_spread_of_exactly_two_points_is_flagged():
    # 5 and 3: both reach the threshold, so the spread is the only reason.
    flags = find_disagreements([review(1, "a", 5, 4, 4), review(1, "b", 3, 4, 4)], RULES)
    assert list(flags) == [1]
    assert [(r.code, r.criterion) for r in flags[1]] == [("spread", "excellence")]
    assert flags[1][0].message == "Excellence: scores range from 3 to 5, a spread of 2."
    assert flags[1][0].params == {"low": D(3), "high": D(5), "spread": D(2)}


def test_spread_of_one_and_a_half_points_is_not_flagged():
    flags = find_disagreements([review(1, "a", "4.5", 4, 4), review(1, "b", 3, 4, 4)], RULES)
    assert flags == {}


def test_spread_limit_is_configurable():
    reviews = [review(1, "a", "4.5", 4, 4), review(1, "b", "3", 4, 4)]
    flags = find_disagreements(reviews, RULES, spread_limit=D("1.5"))
    assert [r.code for r in flags[1]] == ["spread"]


def test_scores_on_both_sides_of_a_criterion_threshold_are_flagged():
    # Impact 3 reaches the threshold, 2.5 does not: a spread of only 0.5, still flagged.
    reviews = [review(7, "a", 4, 3, 4), review(7, "b", 4, "2.5", 4), review(7, "c", 4, 3, 4)]
    flags = find_disagreements(reviews, RULES)
    assert [(r.code, r.criterion) for r in flags[7]] == [
        ("straddles_criterion_threshold", "impact")
    ]
    assert flags[7][0].message == (
        "Impact: 2 evaluators at or above the threshold of 3 and 1 evaluator below it."
    )


def test_scores_at_or_above_a_threshold_do_not_straddle_it():
    reviews = [review(7, "a", 4, 3, 4), review(7, "b", 4, "3.5", 4)]
    assert find_disagreements(reviews, RULES) == {}


def test_totals_on_both_sides_of_the_overall_threshold_are_flagged():
    # Totals 10.5 and 9.5: every criterion spread ≤ 1, every criterion at least 3.
    reviews = [review(2, "a", "3.5", "3.5", "3.5"), review(2, "b", 3, "3.5", 3)]
    flags = find_disagreements(reviews, RULES)
    assert [(r.code, r.criterion) for r in flags[2]] == [("straddles_overall_threshold", None)]
    assert flags[2][0].message == (
        "Total: 1 evaluator at or above the threshold of 10 and 1 evaluator below it."
    )


def test_flags_list_every_reason_in_criterion_order_then_overall():
    reviews = [review(3, "a", 5, 5, 5), review(3, "b", "2.5", 5, 2)]
    flags = find_disagreements(reviews, RULES)
    assert [(r.code, r.criterion) for r in flags[3]] == [
        ("spread", "excellence"),
        ("straddles_criterion_threshold", "excellence"),
        ("spread", "implementation"),
        ("straddles_criterion_threshold", "implementation"),
        ("straddles_overall_threshold", None),
    ]


def test_a_single_review_is_never_a_disagreement():
    assert find_disagreements([review(1, "a", 0, 5, 0)], RULES) == {}


def test_z_scores_have_known_values():
    # Totals 9, 12 and 15: mean 12, population standard deviation √6.
    reviews = [review(1, "e", 3, 3, 3), review(2, "e", 4, 4, 4), review(3, "e", 5, 5, 5)]
    calibration = calibrate_evaluators(reviews, RULES)["e"]
    assert calibration.reviews == 3
    assert calibration.mean == 12.0
    assert calibration.std == pytest.approx(math.sqrt(6))
    assert calibration.z_scores[1] == pytest.approx(-3 / math.sqrt(6))
    assert calibration.z_scores[2] == 0.0
    assert calibration.z_scores[3] == pytest.approx(3 / math.sqrt(6))
    assert calibration.offset is None
    assert calibration.tendency == Tendency.UNKNOWN


def test_z_score_of_an_evaluator_with_one_review_is_unknown():
    calibration = calibrate_evaluators([review(1, "e", 3, 3, 3)], RULES)["e"]
    assert calibration.z_scores == {1: None}
    assert calibration.std == 0.0


def test_z_scores_of_an_evaluator_who_always_gives_the_same_total_are_zero():
    reviews = [review(1, "e", 3, 4, 5), review(2, "e", 4, 4, 4)]
    calibration = calibrate_evaluators(reviews, RULES)["e"]
    assert calibration.z_scores == {1: 0.0, 2: 0.0}


def test_calibration_spots_harsh_and_lenient_evaluators():
    reviews = [
        review(1, "harsh", 2, 2, 2),  # total 6
        review(1, "typical", 4, 4, 4),  # 12
        review(1, "lenient", 5, 5, 5),  # 15
        review(2, "harsh", 3, 3, 3),  # 9
        review(2, "typical", 4, 4, 4),  # 12
        review(2, "lenient", 5, 5, "4.5"),  # 14.5
    ]
    calibration = calibrate_evaluators(reviews, RULES)
    assert list(calibration) == ["harsh", "typical", "lenient"]
    # Harsh: 6 − 13.5 = −7.5 on proposal 1, 9 − 13.25 = −4.25 on proposal 2.
    assert calibration["harsh"].offset == pytest.approx(-5.875)
    assert calibration["harsh"].shared_proposals == 2
    assert calibration["harsh"].tendency == Tendency.HARSH
    assert calibration["lenient"].tendency == Tendency.LENIENT
    # Typical: 12 − 10.5 = 1.5 and 12 − 11.75 = 0.25: mean 0.875, under the 1.5 limit.
    assert calibration["typical"].offset == pytest.approx(0.875)
    assert calibration["typical"].tendency == Tendency.TYPICAL


def test_suggested_consensus_is_the_mean_rounded_to_half_points():
    reviews = [
        review(1, "a", 4, 3, "2.5"),
        review(1, "b", "4.5", 3, 3),
        review(1, "c", 4, 4, 3),
        review(1, "d", 4, 3, "2.5"),
    ]
    # Means: excellence 4.125 → 4; impact 3.25 → 3.5; implementation 2.75 → 3.
    suggestion = suggest_consensus(reviews, RULES)[1]
    assert suggestion.reviews == 4
    assert suggestion.scores == {"excellence": D(4), "impact": D("3.5"), "implementation": D(3)}
    assert suggestion.total == D("10.5")
    assert suggestion.outcome.passed is True


def test_suggested_consensus_reports_thresholds_missed():
    reviews = [review(5, "a", 2, 4, 4), review(5, "b", "2.5", 4, 4)]
    suggestion = suggest_consensus(reviews, RULES)[5]
    assert suggestion.scores["excellence"] == D("2.5")  # 2.25 rounds up to 2.5
    assert suggestion.outcome.passed is False
    assert [r.code for r in suggestion.outcome.reasons] == ["below_criterion_threshold"]


def test_suggested_consensus_keeps_proposals_apart_in_first_seen_order():
    reviews = [review(9, "a", 5, 5, 5), review(4, "a", 1, 1, 1), review(9, "b", 4, 4, 4)]
    suggestions = suggest_consensus(reviews, RULES)
    assert list(suggestions) == [9, 4]
    assert suggestions[9].scores["excellence"] == D("4.5")
    assert suggestions[4].total == D(3)
