"""Reviews: the evaluator's own and their peers', progress, disagreement flags and z-scores."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from ...engine.consensus import Review as EngineReview
from ...engine.consensus import calibrate_evaluators, find_disagreements, suggest_consensus
from ...engine.scoring import ScoringRules
from ...models import Call, Proposal
from ..enums import PoolStatus, ReviewStatus
from ..models import Assignment, ConsensusReport, PoolMember, Review, ReviewScore
from ..predicates import awaiting_own_review, peer_reviews_open
from ..wording import reason_text
from .assignments import evaluated_proposals, evaluator_letters
from .scoring import criteria_of, criterion_names, score_outcome, scoring_rules, settings_for

# How far apart evaluators' scores on a criterion may be before the proposal is flagged.
SPREAD_LIMIT = Decimal(2)


@dataclass
class PeerReview:
    label: str
    is_own: bool
    scores: list  # [(criterion, score, comment)]
    overall_comment: str
    total: Decimal


def peer_reviews(*, assignment: Assignment, criteria) -> list[PeerReview] | None:
    """The submitted reviews of the assignment's proposal, labelled "Evaluator A/B/C", for an
    evaluator who has submitted their own; ``None`` before (the blind-review rule,
    ``predicates.peer_reviews_open``). Reviews set aside are not shown."""
    if not peer_reviews_open(assignment):
        return None
    siblings = list(
        Assignment.objects.filter(proposal_id=assignment.proposal_id)
        .select_related("review")
        .prefetch_related(Prefetch("review__scores", queryset=ReviewScore.objects.all()))
    )
    letters = evaluator_letters(siblings)
    rules = scoring_rules(assignment.call, criteria=criteria)
    result = []
    for sibling in siblings:
        review = getattr(sibling, "review", None)
        if review is None or not review.counts:
            continue
        by_criterion = {s.criterion_id: s for s in review.scores.all()}
        result.append(
            PeerReview(
                label=letters[sibling.pk],
                is_own=sibling.pk == assignment.pk,
                scores=[
                    (
                        c,
                        getattr(by_criterion.get(c.pk), "score", None),
                        getattr(by_criterion.get(c.pk), "comment", ""),
                    )
                    for c in criteria
                ],
                overall_comment=review.overall_comment,
                total=score_outcome(by_criterion, criteria, rules).total,
            )
        )
    return result


def blind_proposal_ids(user, call: Call | None = None) -> frozenset[int]:
    """The proposals (of ``call``, or of any call) whose reviews ``user`` may not read yet,
    whatever their role: those they evaluate without having submitted their own review
    (``predicates.awaiting_own_review``). Every page, export and API answer built from the
    reviews passes this set on, so the blind-review rule holds for call managers and staff
    who also evaluate (one query)."""
    pending = awaiting_own_review(user)
    if call is not None:
        pending = pending.filter(call=call)
    return frozenset(pending.values_list("proposal_id", flat=True))


def review_of(assignment: Assignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def review_values(review: Review | None) -> dict[int, ReviewScore]:
    if review is None:
        return {}
    return {s.criterion_id: s for s in review.scores.all()}


@dataclass
class Analysis:
    """What the submitted reviews of a call say: the engine's reviews, disagreement flags,
    per-evaluator calibration and suggested consensus scores."""

    criteria: list
    rules: ScoringRules
    reviews: list
    flags: dict
    calibration: dict
    suggestions: dict
    names: dict = field(default_factory=dict)

    def flag_texts(self, proposal_id) -> list[str]:
        return [reason_text(r, self.names) for r in self.flags.get(proposal_id, ())]


def call_analysis(call: Call, *, criteria=None, withheld: frozenset = frozenset()) -> Analysis:
    """Flags, z-scores and suggestions from every submitted review of the call that is not
    set aside (two queries).

    ``withheld`` (``blind_proposal_ids``) names proposals whose reviews the reader may not
    see: they are left out of everything, so no flag, suggestion or z-score betrays them."""
    criteria = criteria if criteria is not None else criteria_of(call)
    rules = scoring_rules(call, criteria=criteria)
    rows = ReviewScore.objects.filter(
        review__assignment__call=call,
        review__status=ReviewStatus.SUBMITTED,
        review__set_aside_at__isnull=True,
        score__isnull=False,
    )
    if withheld:
        rows = rows.exclude(review__assignment__proposal_id__in=withheld)
    rows = rows.values_list(
        "review__assignment__proposal_id",
        "review__assignment__evaluator_id",
        "criterion_id",
        "score",
    )
    grouped: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for proposal_id, evaluator_id, criterion_id, score in rows:
        grouped[(proposal_id, evaluator_id)][str(criterion_id)] = score
    reviews = [
        EngineReview(proposal_id=p, evaluator_id=e, scores=scores)
        for (p, e), scores in sorted(grouped.items())
    ]
    return Analysis(
        criteria=criteria,
        rules=rules,
        reviews=reviews,
        flags=find_disagreements(reviews, rules, spread_limit=SPREAD_LIMIT),
        calibration=calibrate_evaluators(reviews, rules),
        suggestions=suggest_consensus(reviews, rules),
        names=criterion_names(criteria),
    )


@dataclass
class EvaluatorProgress:
    evaluator: object
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    overdue: int = 0
    set_aside: int = 0
    max_proposals: int = 0
    tendency: str = ""
    mean: float | None = None
    offset: float | None = None


@dataclass
class ProposalProgress:
    proposal: Proposal
    assigned: int = 0
    submitted: int = 0
    set_aside: int = 0
    flags: list = field(default_factory=list)
    consensus: ConsensusReport | None = None
    rapporteur: object = None
    overdue: int = 0


@dataclass
class CallProgress:
    evaluators: list
    proposals: list
    totals: dict
    deadline: object


def call_progress(call: Call, *, now=None, withheld: frozenset = frozenset()) -> CallProgress:
    """Reviews submitted and overdue per evaluator; per proposal, reviews in, disagreement
    flags (flagged proposals first) and the consensus state. Reviews set aside count in
    ``set_aside`` only, not as assigned or submitted. Flags and tendencies leave out
    the ``withheld`` proposals (``blind_proposal_ids`` of the reader)."""
    now = now or timezone.now()
    settings = settings_for(call)
    analysis = call_analysis(call, withheld=withheld)
    members = {
        m.evaluator_id: m
        for m in PoolMember.objects.filter(call=call, status=PoolStatus.ACCEPTED).select_related(
            "evaluator"
        )
    }
    evaluators: dict[int, EvaluatorProgress] = {
        e: EvaluatorProgress(m.evaluator, max_proposals=m.max_proposals) for e, m in members.items()
    }
    proposals = {p.pk: ProposalProgress(p) for p in evaluated_proposals(call)}
    reports = {
        r.proposal_id: r
        for r in ConsensusReport.objects.filter(call=call).select_related("rapporteur")
    }
    totals = {"assigned": 0, "submitted": 0, "drafts": 0, "overdue": 0, "set_aside": 0}
    for a in Assignment.objects.filter(call=call).select_related("review", "evaluator"):
        row = evaluators.get(a.evaluator_id)
        if row is None:
            row = evaluators[a.evaluator_id] = EvaluatorProgress(a.evaluator)
        review = getattr(a, "review", None)
        prow = proposals.get(a.proposal_id)
        if review is not None and review.is_set_aside:
            # Kept for the record, counted nowhere: the proposal needs a replacement.
            row.set_aside += 1
            totals["set_aside"] += 1
            if prow is not None:
                prow.set_aside += 1
            continue
        submitted = review is not None and review.is_submitted
        deadline = a.deadline(settings.review_deadline)
        overdue = not submitted and deadline is not None and now >= deadline
        row.assigned += 1
        row.submitted += submitted
        row.drafts += review is not None and not submitted
        row.overdue += overdue
        totals["assigned"] += 1
        totals["submitted"] += submitted
        totals["drafts"] += review is not None and not submitted
        totals["overdue"] += overdue
        if prow is not None:
            prow.assigned += 1
            prow.submitted += submitted
            prow.overdue += overdue
    for evaluator_id, row in evaluators.items():
        calibration = analysis.calibration.get(evaluator_id)
        if calibration is not None:
            row.tendency, row.mean, row.offset = (
                calibration.tendency.value,
                calibration.mean,
                calibration.offset,
            )
    for pid, prow in proposals.items():
        prow.flags = analysis.flag_texts(pid)
        prow.consensus = reports.get(pid)
    ordered = sorted(
        proposals.values(), key=lambda p: (not p.flags, p.proposal.number or 0, p.proposal.pk)
    )
    totals["flagged"] = sum(1 for p in ordered if p.flags)
    totals["final"] = sum(1 for p in ordered if p.consensus and p.consensus.is_final)
    totals["proposals"] = len(ordered)
    return CallProgress(
        evaluators=sorted(
            evaluators.values(), key=lambda r: (-r.overdue, r.evaluator.display_name.casefold())
        ),
        proposals=ordered,
        totals=totals,
        deadline=settings.review_deadline,
    )


@dataclass
class ReviewRow:
    assignment: Assignment
    review: Review | None
    scores: list
    total: Decimal | None
    z_score: float | None
    tendency: str
    outcome: object = None
    hidden: bool = False
    set_aside: bool = False


def proposal_reviews_for_manager(
    proposal: Proposal, *, criteria, analysis: Analysis, hidden: bool = False
) -> list:
    """Each assignment of the proposal with its review, total, and the evaluator's z-score
    for this proposal (their total on their own scale) and tendency. ``hidden`` (the reader
    has not submitted their own review of it) keeps who and the review's state only: no
    score, comment, total or z-score. A review set aside keeps its scores and total for the
    record, marked ``set_aside``, without a z-score or tendency (it counts nowhere)."""
    rows = []
    assignments = (
        Assignment.objects.filter(proposal=proposal)
        .select_related("evaluator", "review__set_aside_by")
        .prefetch_related("review__scores")
        .order_by("pk")
    )
    for a in assignments:
        review = review_of(a)
        if hidden:
            rows.append(
                ReviewRow(
                    a,
                    review,
                    [],
                    None,
                    None,
                    "",
                    hidden=True,
                    set_aside=review is not None and review.is_set_aside,
                )
            )
            continue
        values = review_values(review)
        scores = [(c, values.get(c.pk)) for c in criteria]
        total = z = None
        tendency = ""
        outcome = None
        if review is not None and review.is_submitted:
            outcome = score_outcome(values, criteria, analysis.rules)
            total = outcome.total
        if review is not None and review.counts:
            calibration = analysis.calibration.get(a.evaluator_id)
            if calibration is not None:
                z = calibration.z_scores.get(proposal.pk)
                tendency = calibration.tendency.value
        rows.append(
            ReviewRow(
                a,
                review,
                scores,
                total,
                z,
                tendency,
                outcome,
                set_aside=review is not None and review.is_set_aside,
            )
        )
    return rows


def reviews_complete(proposal: Proposal) -> bool:
    """Whether the proposal has evaluators and every one of them has submitted a review
    (assignments whose review is set aside count as missing)."""
    counts = (
        Assignment.objects.filter(proposal=proposal)
        .counted()
        .aggregate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(review__status=ReviewStatus.SUBMITTED)),
        )
    )
    return counts["total"] > 0 and counts["total"] == counts["submitted"]
