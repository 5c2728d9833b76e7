from decimal import Decimal

import pytest

from opencalls.engine.scoring import (
    Criterion,
    ScoreError,
    ScoringRules,
    eu_rules,
    evaluate,
    format_score,
    round_half_points,
    validate_score,
    validate_scores,
    weighted_total,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, D(0)),
        (D("0.5"), D("0.5")),
        (5, D(5)),
        ("3.5", D("3.5")),
        (" 4 ", D(4)),
        (D("4.00"), D(4)),
        (2.5, D("2.5")),
        (D("-0"), D(0)),
    ],
)
def test_validate_score_accepts_half_points_from_0_to_5(value, expected):
    assert validate_score(value) == expected
    assert str(validate_score(value)) == str(expected)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (D("5.5"), "out_of_range", "Scores go from 0 to 5."),
        (-0.5, "out_of_range", "Scores go from 0 to 5."),
        (2.3, "not_half_point", "Scores go in half points (for example 3 or 3.5)."),
        (D("4.25"), "not_half_point", "Scores go in half points (for example 3 or 3.5)."),
        (None, "required", "A score is required."),
        ("", "required", "A score is required."),
        (float("nan"), "not_a_number", "A score must be a number."),
        (D("NaN"), "not_a_number", "A score must be a number."),
        (float("inf"), "not_a_number", "A score must be a number."),
        ("three", "not_a_number", "A score must be a number."),
        (True, "not_a_number", "A score must be a number."),
    ],
)
def test_validate_score_refuses_with_a_message(value, code, message):
    with pytest.raises(ScoreError) as caught:
        validate_score(value)
    assert caught.value.code == code
    assert caught.value.message == message
    assert str(caught.value) == message


def test_validate_score_follows_the_criterion_maximum():
    assert validate_score(D("9.5"), max_score=D(10)) == D("9.5")
    with pytest.raises(ScoreError) as caught:
        validate_score(D("10.5"), max_score=D(10))
    assert caught.value.message == "Scores go from 0 to 10."
    assert caught.value.params == {"max_score": D(10)}


def test_validate_scores_names_the_criterion_in_error():
    rules = eu_rules()
    with pytest.raises(ScoreError) as caught:
        validate_scores({"excellence": 4, "impact": "6", "implementation": 3}, rules)
    assert caught.value.criterion == "impact"
    assert caught.value.message == "Impact: Scores go from 0 to 5."

    with pytest.raises(ScoreError) as caught:
        validate_scores({"excellence": 4, "impact": 3}, rules)
    assert caught.value.criterion == "implementation"
    assert caught.value.code == "required"

    with pytest.raises(ScoreError) as caught:
        validate_scores({"excellence": 4, "impact": 3, "implementation": 3, "ethics": 1}, rules)
    assert caught.value.code == "unknown_criterion"
    assert caught.value.criterion == "ethics"


def test_validate_scores_returns_decimals_per_criterion():
    scores = validate_scores({"excellence": "4.5", "impact": 3, "implementation": 0.5}, eu_rules())
    assert scores == {"excellence": D("4.5"), "impact": D(3), "implementation": D("0.5")}


def test_weighted_total_applies_the_weights():
    rules = ScoringRules(
        criteria=(
            Criterion("excellence", "Excellence"),
            Criterion("impact", "Impact", weight=D("1.5")),
            Criterion("implementation", "Implementation", weight=D("0.5")),
        )
    )
    scores = {"excellence": D(4), "impact": D("3.5"), "implementation": D(3)}
    assert weighted_total(scores, rules) == D("10.75")
    assert rules.max_total == D(15)


def test_evaluate_passes_at_the_thresholds_exactly():
    outcome = evaluate(
        {"excellence": D(3), "impact": D("3.5"), "implementation": D("3.5")}, eu_rules()
    )
    assert outcome.total == D(10)
    assert outcome.passed is True
    assert outcome.reasons == ()


def test_evaluate_lists_every_threshold_missed():
    outcome = evaluate({"excellence": D("2.5"), "impact": D(4), "implementation": D(3)}, eu_rules())
    assert outcome.passed is False
    assert outcome.total == D("9.5")
    assert [(r.code, r.criterion) for r in outcome.reasons] == [
        ("below_criterion_threshold", "excellence"),
        ("below_overall_threshold", None),
    ]
    assert [r.message for r in outcome.reasons] == [
        "Excellence 2.5 is below the threshold of 3.",
        "Total 9.5 is below the overall threshold of 10 (out of 15).",
    ]


def test_evaluate_fails_a_proposal_with_high_criteria_but_low_total():
    # Every criterion at its threshold of 3, total 9 < 10.
    outcome = evaluate({"excellence": D(3), "impact": D(3), "implementation": D(3)}, eu_rules())
    assert outcome.passed is False
    assert [r.code for r in outcome.reasons] == ["below_overall_threshold"]


def test_evaluate_counts_a_missing_score_as_a_reason():
    outcome = evaluate({"excellence": D(5), "impact": D(5)}, eu_rules())
    assert outcome.passed is False
    assert outcome.total == D(10)
    assert [(r.code, r.message) for r in outcome.reasons] == [
        ("missing_score", "Implementation has no score.")
    ]


def test_evaluate_without_thresholds_always_passes():
    rules = ScoringRules(criteria=(Criterion("quality", "Quality"),))
    assert evaluate({"quality": D(0)}, rules).passed is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3.25", "3.5"), ("3.24", "3"), ("3.75", "4"), ("3.74", "3.5"), ("0.2", "0"), ("5", "5")],
)
def test_round_half_points_rounds_halves_up(value, expected):
    assert round_half_points(D(value)) == D(expected)


def test_format_score_drops_trailing_zeros_without_exponent():
    assert [format_score(D(x)) for x in ("10", "3.50", "10.25", "0")] == ["10", "3.5", "10.25", "0"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"criteria": ()}, "A call needs at least one criterion."),
        (
            {"criteria": (Criterion("a", "A"), Criterion("a", "A again"))},
            "Criterion keys must be unique.",
        ),
        (
            {"criteria": (Criterion("a", "A"),), "tie_break": ("b",)},
            "Unknown tie-break key 'b'.",
        ),
        (
            {"criteria": (Criterion("a", "A", weight=D(-1)),)},
            "Criterion 'a' has a negative weight.",
        ),
        (
            {"criteria": (Criterion("a", "A", max_score=D("4.2")),)},
            "Criterion 'a' needs a maximum in half points.",
        ),
    ],
)
def test_scoring_rules_refuse_inconsistent_configuration(kwargs, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        ScoringRules(**kwargs)


def test_rules_accept_plain_numbers_from_configuration():
    rules = ScoringRules(
        criteria=[Criterion("a", "A", weight=1.5, threshold=3, max_score="5")],
        overall_threshold=4,
        tie_break=["a"],
    )
    assert rules.criteria[0].weight == D("1.5")
    assert rules.criteria[0].threshold == D(3)
    assert rules.overall_threshold == D(4)
    assert rules.tie_break == ("a",)
    assert weighted_total({"a": D(4)}, rules) == D(6)
