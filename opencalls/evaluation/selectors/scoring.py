"""A call's evaluation settings, criteria and scoring rules, and the outcome of a set of scores."""

from ...engine.scoring import Criterion, ScoreOutcome, ScoringRules, evaluate
from ...models import Call, EvaluationCriterion
from ..models import EvaluationSettings


def settings_for(call: Call) -> EvaluationSettings:
    """The call's evaluation settings, or the defaults (unsaved) when none were set."""
    try:
        return call.evaluation_settings
    except EvaluationSettings.DoesNotExist:
        return EvaluationSettings(call=call)


def criteria_of(call: Call) -> list[EvaluationCriterion]:
    return list(call.criteria.order_by("order", "pk"))


def scoring_rules(call: Call, *, criteria=None, settings=None) -> ScoringRules:
    """The call's criteria, weights and thresholds for the engine. Criteria are keyed by
    their primary key; ties are broken by the criteria in their order, then by the call's last
    tie-break (earlier submission or smaller request)."""
    criteria = criteria if criteria is not None else criteria_of(call)
    settings = settings or settings_for(call)
    keys = [str(c.pk) for c in criteria]
    return ScoringRules(
        criteria=tuple(
            Criterion(
                key=str(c.pk),
                name=c.name,
                weight=c.weight,
                threshold=c.threshold,
                max_score=c.max_score,
            )
            for c in criteria
        ),
        overall_threshold=call.overall_threshold,
        tie_break=(*keys, settings.tie_break_last),
    )


def criterion_names(criteria) -> dict[str, str]:
    return {str(c.pk): c.name for c in criteria}


def score_outcome(values: dict, criteria, rules: ScoringRules) -> ScoreOutcome:
    """The outcome of a review's or a consensus report's scores: the weighted total and each
    threshold met or missed (``passed``, ``reasons``), by the engine's ``evaluate``.
    ``values`` maps a criterion id to its score row; rows without a score count as missing.
    Every page, export and report that shows a total or a pass/fail asks this."""
    given = {
        str(c.pk): values[c.pk].score
        for c in criteria
        if c.pk in values and values[c.pk].score is not None
    }
    return evaluate(given, rules)
