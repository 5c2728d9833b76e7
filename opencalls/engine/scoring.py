"""Scores, weighted totals and thresholds, the way EU evaluations use them.

Each criterion (e.g. Excellence, Impact, Implementation) is scored from 0 to its maximum
(5 by default) in half points; the total is the weighted sum; a proposal passes when every
criterion reaches its threshold and the total reaches the overall threshold (e.g. 3 per
criterion and 10 of 15 overall). All arithmetic is ``Decimal``, so 3.5 stays 3.5.

Errors and reasons carry a stable ``code`` and the numbers in ``params`` besides an English
``message``, so the web layer can show its own (translated) wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HALF = Decimal("0.5")
SUBMISSION_TIME = "submitted_at"
REQUESTED_FUNDING = "requested_funding"


class ScoreError(ValueError):
    """A score that cannot be accepted, with a message for the person who typed it."""

    def __init__(self, message: str, *, code: str, criterion: str | None = None, **params):
        super().__init__(message)
        self.message = message
        self.code = code
        self.criterion = criterion
        self.params = params


@dataclass(frozen=True)
class Criterion:
    """One evaluation criterion of a call. ``key`` is how scores refer to it."""

    key: str
    name: str
    weight: Decimal = Decimal(1)
    threshold: Decimal | None = None
    max_score: Decimal = Decimal(5)

    def __post_init__(self):
        # Accept ints and numeric strings from configuration; keep Decimal arithmetic exact.
        for name in ("weight", "threshold", "max_score"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                object.__setattr__(self, name, Decimal(str(value)))


@dataclass(frozen=True)
class ScoringRules:
    """A call's criteria and thresholds.

    ``tie_break`` orders the keys that separate proposals with equal totals: criterion keys
    (higher score first), ``"submitted_at"`` (earlier submission first) and
    ``"requested_funding"`` (smaller request first). Whatever is still tied after them is
    ordered by proposal id, so a ranking never depends on input order.
    """

    criteria: tuple[Criterion, ...]
    overall_threshold: Decimal | None = None
    tie_break: tuple[str, ...] = ()

    def __post_init__(self):
        threshold = self.overall_threshold
        if threshold is not None and not isinstance(threshold, Decimal):
            object.__setattr__(self, "overall_threshold", Decimal(str(threshold)))
        object.__setattr__(self, "criteria", tuple(self.criteria))
        object.__setattr__(self, "tie_break", tuple(self.tie_break))
        keys = [criterion.key for criterion in self.criteria]
        if not keys:
            raise ValueError("A call needs at least one criterion.")
        if len(set(keys)) != len(keys):
            raise ValueError("Criterion keys must be unique.")
        for key in self.tie_break:
            if key not in keys and key not in (SUBMISSION_TIME, REQUESTED_FUNDING):
                raise ValueError(f"Unknown tie-break key {key!r}.")
        for criterion in self.criteria:
            if criterion.weight < 0:
                raise ValueError(f"Criterion {criterion.key!r} has a negative weight.")
            if criterion.max_score <= 0 or criterion.max_score % HALF:
                raise ValueError(f"Criterion {criterion.key!r} needs a maximum in half points.")

    @property
    def max_total(self) -> Decimal:
        return sum((c.weight * c.max_score for c in self.criteria), Decimal(0))

    def criterion(self, key: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)


@dataclass(frozen=True)
class Reason:
    """Why a proposal fails (or is flagged): stable ``code``, English ``message``."""

    code: str
    message: str
    criterion: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreOutcome:
    """The weighted total of one set of scores and whether it passes every threshold."""

    scores: Mapping[str, Decimal]
    total: Decimal
    passed: bool
    reasons: tuple[Reason, ...] = ()


def validate_score(value: object, *, max_score: Decimal = Decimal(5)) -> Decimal:
    """Return ``value`` as a ``Decimal`` if it is a score from 0 to ``max_score`` in half
    points; raise ``ScoreError`` otherwise (missing, not a number, out of range, not a
    half point). Accepts ``Decimal``, ``int``, ``float`` and numeric strings."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ScoreError("A score is required.", code="required")
    if isinstance(value, bool):
        raise ScoreError("A score must be a number.", code="not_a_number")
    try:
        # str() keeps floats such as 2.3 as typed instead of their binary expansion.
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ScoreError("A score must be a number.", code="not_a_number") from None
    if not number.is_finite():
        raise ScoreError("A score must be a number.", code="not_a_number")
    if number < 0 or number > max_score:
        raise ScoreError(
            f"Scores go from 0 to {format_score(max_score)}.",
            code="out_of_range",
            max_score=max_score,
        )
    if number % HALF:
        raise ScoreError("Scores go in half points (for example 3 or 3.5).", code="not_half_point")
    return number.normalize() if number else Decimal(0)


def validate_scores(scores: Mapping[str, object], rules: ScoringRules) -> dict[str, Decimal]:
    """Validate one evaluator's scores for every criterion of ``rules``. Raises the first
    ``ScoreError`` (its ``criterion`` names the field); unknown keys are refused too."""
    unknown = sorted(set(scores) - {c.key for c in rules.criteria})
    if unknown:
        raise ScoreError(
            f"Unknown criterion {unknown[0]!r}.", code="unknown_criterion", criterion=unknown[0]
        )
    valid = {}
    for criterion in rules.criteria:
        try:
            valid[criterion.key] = validate_score(
                scores.get(criterion.key), max_score=criterion.max_score
            )
        except ScoreError as error:
            raise ScoreError(
                f"{criterion.name}: {error.message}",
                code=error.code,
                criterion=criterion.key,
                **error.params,
            ) from None
    return valid


def weighted_total(scores: Mapping[str, Decimal], rules: ScoringRules) -> Decimal:
    """Σ weight × score over the criteria (a missing score counts as 0)."""
    return sum((c.weight * scores.get(c.key, Decimal(0)) for c in rules.criteria), Decimal(0))


def evaluate(scores: Mapping[str, Decimal], rules: ScoringRules) -> ScoreOutcome:
    """The weighted total of ``scores`` and every threshold it misses, in criterion order
    then overall. Scores must already be valid (see ``validate_scores``); a missing score
    is a reason to fail."""
    reasons = []
    for criterion in rules.criteria:
        score = scores.get(criterion.key)
        if score is None:
            reasons.append(
                Reason(
                    "missing_score",
                    f"{criterion.name} has no score.",
                    criterion.key,
                )
            )
        elif criterion.threshold is not None and score < criterion.threshold:
            reasons.append(
                Reason(
                    "below_criterion_threshold",
                    f"{criterion.name} {format_score(score)} is below the threshold of "
                    f"{format_score(criterion.threshold)}.",
                    criterion.key,
                    {"score": score, "threshold": criterion.threshold},
                )
            )
    total = weighted_total(scores, rules)
    if rules.overall_threshold is not None and total < rules.overall_threshold:
        reasons.append(
            Reason(
                "below_overall_threshold",
                f"Total {format_score(total)} is below the overall threshold of "
                f"{format_score(rules.overall_threshold)} "
                f"(out of {format_score(rules.max_total)}).",
                params={"total": total, "threshold": rules.overall_threshold},
            )
        )
    return ScoreOutcome(dict(scores), total, not reasons, tuple(reasons))


def round_half_points(value: Decimal) -> Decimal:
    """Round to the nearest half point, halves away from zero (3.25 → 3.5, 3.74 → 3.5)."""
    doubled = (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (doubled / 2).normalize() if doubled else Decimal(0)


def eu_rules(*, threshold: Decimal = Decimal(3), overall: Decimal = Decimal(10)) -> ScoringRules:
    """Excellence, Impact and Implementation, 0–5 each, thresholds 3 and 10 of 15, ties
    broken by Excellence then Impact then earlier submission: the EU's default."""
    return ScoringRules(
        criteria=(
            Criterion("excellence", "Excellence", threshold=threshold),
            Criterion("impact", "Impact", threshold=threshold),
            Criterion("implementation", "Implementation", threshold=threshold),
        ),
        overall_threshold=overall,
        tie_break=("excellence", "impact", SUBMISSION_TIME),
    )


def format_score(value: Decimal) -> str:
    """3 → "3", 3.50 → "3.5", 10.25 → "10.25" (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")
