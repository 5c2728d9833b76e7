"""From individual reviews to a consensus: disagreements, evaluator calibration and a
suggested starting point for the rapporteur.

- ``find_disagreements`` flags a proposal when, on any criterion, the scores spread by two
  points or more, or when evaluators fall on both sides of a threshold (per criterion and
  overall); each flag says why.
- ``calibrate_evaluators`` puts each evaluator's totals on their own scale (z-scores) and
  compares them with their co-evaluators', to spot harsh or lenient evaluators.
- ``suggest_consensus`` averages the scores per criterion, rounded to half points.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .scoring import (
    Reason,
    ScoreOutcome,
    ScoringRules,
    evaluate,
    format_score,
    round_half_points,
    weighted_total,
)
from .types import Id

DEFAULT_SPREAD_LIMIT = Decimal(2)
DEFAULT_OFFSET_LIMIT = 1.5


@dataclass(frozen=True)
class Review:
    """One evaluator's (valid) scores for one proposal, keyed by criterion."""

    proposal_id: Id
    evaluator_id: Id
    scores: Mapping[str, Decimal]


def _by_proposal(reviews: Iterable[Review]) -> dict[Id, list[Review]]:
    grouped: dict[Id, list[Review]] = defaultdict(list)
    for review in reviews:
        grouped[review.proposal_id].append(review)
    return grouped


def find_disagreements(
    reviews: Iterable[Review],
    rules: ScoringRules,
    *,
    spread_limit: Decimal = DEFAULT_SPREAD_LIMIT,
) -> dict[Id, tuple[Reason, ...]]:
    """Proposals whose evaluators disagree, each with the reasons (proposals in the order
    their first review appears; reasons in criterion order, then overall). A score at a
    threshold counts as reaching it."""
    flagged = {}
    for proposal_id, group in _by_proposal(reviews).items():
        if len(group) < 2:
            continue
        reasons = []
        for criterion in rules.criteria:
            scores = [r.scores[criterion.key] for r in group if criterion.key in r.scores]
            if len(scores) < 2:
                continue
            low, high = min(scores), max(scores)
            if high - low >= spread_limit:
                reasons.append(
                    Reason(
                        "spread",
                        f"{criterion.name}: scores range from {format_score(low)} to "
                        f"{format_score(high)}, a spread of {format_score(high - low)}.",
                        criterion.key,
                        {"low": low, "high": high, "spread": high - low},
                    )
                )
            if criterion.threshold is not None:
                reasons.extend(
                    _straddle(scores, criterion.threshold, criterion.key, criterion.name)
                )
        if rules.overall_threshold is not None:
            totals = [weighted_total(r.scores, rules) for r in group]
            reasons.extend(_straddle(totals, rules.overall_threshold, None, "Total"))
        if reasons:
            flagged[proposal_id] = tuple(reasons)
    return flagged


def _straddle(
    values: list[Decimal], threshold: Decimal, key: str | None, name: str
) -> list[Reason]:
    above = sum(1 for value in values if value >= threshold)
    below = len(values) - above
    if not above or not below:
        return []
    code = "straddles_criterion_threshold" if key else "straddles_overall_threshold"
    return [
        Reason(
            code,
            f"{name}: {_evaluators(above)} at or above the threshold of "
            f"{format_score(threshold)} and {_evaluators(below)} below it.",
            key,
            {"above": above, "below": below, "threshold": threshold},
        )
    ]


def _evaluators(count: int) -> str:
    return f"{count} evaluator{'s' if count != 1 else ''}"


class Tendency(StrEnum):
    HARSH = "harsh"
    LENIENT = "lenient"
    TYPICAL = "typical"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class EvaluatorCalibration:
    """How one evaluator scores.

    ``mean`` and ``std`` are over their weighted totals (population standard deviation).
    ``z_scores`` maps proposal id → (total − mean) / std: ``None`` when the evaluator has a
    single review (nothing to compare with), 0.0 for every review when all their totals
    are equal. ``offset`` is the mean of (their total − the mean total of the other
    evaluators of the same proposal) over proposals they share; ``None`` when they share
    none. ``tendency`` is HARSH / LENIENT when the offset reaches the limit, UNKNOWN
    without an offset.
    """

    evaluator_id: Id
    reviews: int
    mean: float
    std: float
    z_scores: Mapping[Id, float | None] = field(default_factory=dict)
    offset: float | None = None
    shared_proposals: int = 0
    tendency: Tendency = Tendency.UNKNOWN


def calibrate_evaluators(
    reviews: Iterable[Review],
    rules: ScoringRules,
    *,
    offset_limit: float = DEFAULT_OFFSET_LIMIT,
) -> dict[Id, EvaluatorCalibration]:
    """Per-evaluator statistics, in the order evaluators first appear in ``reviews``."""
    reviews = list(reviews)
    totals = [float(weighted_total(review.scores, rules)) for review in reviews]
    per_proposal: dict[Id, list[float]] = defaultdict(list)
    for review, total in zip(reviews, totals, strict=True):
        per_proposal[review.proposal_id].append(total)
    proposal_sum = {p: math.fsum(values) for p, values in per_proposal.items()}

    per_evaluator: dict[Id, list[tuple[Id, float]]] = defaultdict(list)
    for review, total in zip(reviews, totals, strict=True):
        per_evaluator[review.evaluator_id].append((review.proposal_id, total))

    result = {}
    for evaluator_id, own in per_evaluator.items():
        values = [total for _, total in own]
        mean = math.fsum(values) / len(values)
        std = math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))
        if len(values) == 1:
            z_scores = {own[0][0]: None}
        elif std <= 1e-12:
            z_scores = {proposal_id: 0.0 for proposal_id, _ in own}
        else:
            z_scores = {proposal_id: (total - mean) / std for proposal_id, total in own}
        differences = []
        for proposal_id, total in own:
            others = len(per_proposal[proposal_id]) - 1
            if others:
                differences.append(total - (proposal_sum[proposal_id] - total) / others)
        offset = math.fsum(differences) / len(differences) if differences else None
        if offset is None:
            tendency = Tendency.UNKNOWN
        elif offset <= -offset_limit:
            tendency = Tendency.HARSH
        elif offset >= offset_limit:
            tendency = Tendency.LENIENT
        else:
            tendency = Tendency.TYPICAL
        result[evaluator_id] = EvaluatorCalibration(
            evaluator_id=evaluator_id,
            reviews=len(values),
            mean=mean,
            std=std,
            z_scores=z_scores,
            offset=offset,
            shared_proposals=len(differences),
            tendency=tendency,
        )
    return result


@dataclass(frozen=True)
class ConsensusSuggestion:
    """A starting point for the consensus report: per criterion, the mean of the
    evaluators' scores rounded to half points; ``outcome`` is its total and thresholds."""

    proposal_id: Id
    reviews: int
    scores: Mapping[str, Decimal]
    outcome: ScoreOutcome

    @property
    def total(self) -> Decimal:
        return self.outcome.total


def suggest_consensus(
    reviews: Iterable[Review], rules: ScoringRules
) -> dict[Id, ConsensusSuggestion]:
    """One suggestion per reviewed proposal, in the order proposals first appear. A
    criterion nobody scored stays out of ``scores`` (and the outcome says so)."""
    result = {}
    for proposal_id, group in _by_proposal(reviews).items():
        scores = {}
        for criterion in rules.criteria:
            given = [r.scores[criterion.key] for r in group if criterion.key in r.scores]
            if given:
                scores[criterion.key] = round_half_points(sum(given, Decimal(0)) / len(given))
        result[proposal_id] = ConsensusSuggestion(
            proposal_id, len(group), scores, evaluate(scores, rules)
        )
    return result
