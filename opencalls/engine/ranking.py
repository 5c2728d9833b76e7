"""Ranking a call (or one of its tracks) and drawing the budget line.

Proposals below any threshold are out, each with its reasons. The rest are ordered by
final score (the consensus total, or the written/interview combination), ties broken by
the call's configured order and, last, by proposal id, so the ranking never depends on
input order. Walking down the ranking, a proposal is funded while the cumulative requested
funding stays within the budget; the first one that passes it, and every one after, forms
the ordered reserve list.

Interviews: with ``InterviewPolicy(weight=w)``, an interviewed proposal's final score is
``(1 − w) × written total + w × interview score`` (the interview rescaled to the written
total's scale when the policy gives the interview's own maximum). A proposal without an
interview keeps its written total as final score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from .scoring import (
    REQUESTED_FUNDING,
    SUBMISSION_TIME,
    Reason,
    ScoringRules,
    evaluate,
)
from .types import Id


@dataclass(frozen=True)
class Candidate:
    """A proposal as the ranking sees it: its consensus scores per criterion, what it asks
    for, when it was submitted, its track and (optionally) its interview score."""

    proposal_id: Id
    scores: Mapping[str, Decimal]
    requested_funding: Decimal
    submitted_at: datetime | None = None
    track: str | None = None
    interview_score: Decimal | None = None


@dataclass(frozen=True)
class InterviewPolicy:
    """``weight`` is the interview's share of the final score (0–1). ``max_score`` is the
    interview's scale; ``None`` means it is scored on the written total's scale."""

    weight: Decimal
    max_score: Decimal | None = None

    def __post_init__(self):
        if not Decimal(0) <= self.weight <= Decimal(1):
            raise ValueError("The interview weight must be between 0 and 1.")
        if self.max_score is not None and self.max_score <= 0:
            raise ValueError("The interview's maximum score must be positive.")


class Decision(StrEnum):
    FUND = "fund"
    RESERVE = "reserve"
    BELOW_THRESHOLD = "below_threshold"


@dataclass(frozen=True)
class RankedProposal:
    """One proposal's place. ``rank`` (1-based) and ``cumulative_funding`` are ``None``
    for proposals below a threshold. ``tie_broken_by`` names what put it after the
    previous proposal when their final scores were equal (a criterion key,
    ``"submitted_at"``, ``"requested_funding"`` or ``"proposal_id"``)."""

    proposal_id: Id
    decision: Decision
    written_total: Decimal
    final_score: Decimal
    requested_funding: Decimal
    rank: int | None = None
    interview_score: Decimal | None = None
    cumulative_funding: Decimal | None = None
    tie_broken_by: str | None = None
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Ranking:
    """The ranking of one call or track: ``ranked`` above every threshold, in order;
    ``below_threshold`` in proposal id order, each with reasons."""

    track: str | None
    budget: Decimal
    ranked: tuple[RankedProposal, ...]
    below_threshold: tuple[RankedProposal, ...]

    @property
    def funded(self) -> tuple[RankedProposal, ...]:
        return tuple(r for r in self.ranked if r.decision == Decision.FUND)

    @property
    def reserve(self) -> tuple[RankedProposal, ...]:
        return tuple(r for r in self.ranked if r.decision == Decision.RESERVE)

    @property
    def funded_total(self) -> Decimal:
        return sum((r.requested_funding for r in self.funded), Decimal(0))

    @property
    def budget_left(self) -> Decimal:
        return self.budget - self.funded_total


def final_score(
    written_total: Decimal,
    interview_score: Decimal | None,
    rules: ScoringRules,
    interview: InterviewPolicy | None,
) -> Decimal:
    """The score a proposal is ranked by (see the module docstring)."""
    if interview is None or interview_score is None:
        return written_total
    scale = interview.max_score or rules.max_total
    if not Decimal(0) <= interview_score <= scale:
        raise ValueError(f"Interview score {interview_score} is outside 0–{scale}.")
    rescaled = interview_score * rules.max_total / scale
    return (1 - interview.weight) * written_total + interview.weight * rescaled


def rank_proposals(
    candidates: Iterable[Candidate],
    rules: ScoringRules,
    *,
    budget: Decimal,
    interview: InterviewPolicy | None = None,
    track: str | None = None,
) -> Ranking:
    """Rank ``candidates`` as one list against one ``budget`` (a call, or one track when
    the caller has already picked its candidates). Deterministic; see the module
    docstring for the rules."""
    if budget < 0:
        raise ValueError("The budget cannot be negative.")
    above, below = [], []
    for candidate in candidates:
        outcome = evaluate(candidate.scores, rules)
        if outcome.passed:
            final = final_score(outcome.total, candidate.interview_score, rules, interview)
            above.append((candidate, outcome.total, final))
        else:
            below.append(
                RankedProposal(
                    proposal_id=candidate.proposal_id,
                    decision=Decision.BELOW_THRESHOLD,
                    written_total=outcome.total,
                    final_score=outcome.total,
                    requested_funding=candidate.requested_funding,
                    interview_score=candidate.interview_score,
                    reasons=outcome.reasons,
                )
            )
    order = _tie_break_keys(rules)
    above.sort(key=lambda entry: _sort_key(entry, order))

    ranked = []
    cumulative = Decimal(0)
    line_passed = False
    previous = None
    for position, (candidate, written, final) in enumerate(above, start=1):
        cumulative += candidate.requested_funding
        line_passed = line_passed or cumulative > budget
        ranked.append(
            RankedProposal(
                proposal_id=candidate.proposal_id,
                decision=Decision.RESERVE if line_passed else Decision.FUND,
                written_total=written,
                final_score=final,
                requested_funding=candidate.requested_funding,
                rank=position,
                interview_score=candidate.interview_score,
                cumulative_funding=cumulative,
                tie_broken_by=_what_broke_the_tie(previous, (candidate, written, final), order),
            )
        )
        previous = (candidate, written, final)
    below.sort(key=lambda r: r.proposal_id)
    return Ranking(track, budget, tuple(ranked), tuple(below))


def rank_by_track(
    candidates: Iterable[Candidate],
    rules: ScoringRules,
    *,
    budgets: Mapping[str, Decimal],
    interview: InterviewPolicy | None = None,
) -> dict[str, Ranking]:
    """One ranking per track, each against its own budget (in ``budgets`` order). Every
    candidate's track must have a budget."""
    grouped: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.track not in budgets:
            raise ValueError(
                f"Proposal {candidate.proposal_id} is in track {candidate.track!r}, "
                f"which has no budget."
            )
        grouped[candidate.track].append(candidate)
    return {
        track: rank_proposals(
            grouped.get(track, ()), rules, budget=budget, interview=interview, track=track
        )
        for track, budget in budgets.items()
    }


def _tie_break_keys(rules: ScoringRules) -> tuple[str, ...]:
    return (*rules.tie_break, "proposal_id")


def _key_value(candidate: Candidate, key: str):
    """A value that sorts the preferred proposal first for one tie-break key."""
    if key == SUBMISSION_TIME:
        # Earlier first; a proposal without a submission time goes after those with one.
        return (candidate.submitted_at is None, candidate.submitted_at or datetime.min)
    if key == REQUESTED_FUNDING:
        return candidate.requested_funding
    if key == "proposal_id":
        return candidate.proposal_id
    return -candidate.scores.get(key, Decimal(0))


def _sort_key(entry, order: Sequence[str]):
    candidate, _written, final = entry
    return (-final, *(_key_value(candidate, key) for key in order))


def _what_broke_the_tie(previous, current, order: Sequence[str]) -> str | None:
    if previous is None or previous[2] != current[2]:
        return None
    for key in order:
        if _key_value(previous[0], key) != _key_value(current[0], key):
            return key
    return "proposal_id"
