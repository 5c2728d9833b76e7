"""Reads of the evaluation. Two kinds live here:

- what an evaluator may see, all derived from ``evaluator_assignments`` (their own
  assignments, in a call under evaluation whose pool they joined, never on a proposal they are
  conflicted on): queue, proposal pages, documents, the API and exports start from it;
- what call managers read: pools, conflicts, the assignment matrix, progress, disagreement
  flags and z-scores, rankings, exports.

Every list costs a constant number of queries; the engine does the arithmetic.
"""

import string
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ai4media_portal.core.roles import Role

from ..engine.affinity import EvaluatorProfile as EngineProfile
from ..engine.affinity import ProposalText, compute_affinity
from ..engine.consensus import Review as EngineReview
from ..engine.consensus import calibrate_evaluators, find_disagreements, suggest_consensus
from ..engine.ranking import Candidate, Decision, InterviewPolicy, rank_proposals
from ..engine.scoring import Criterion, ScoringRules, evaluate
from ..enums import CallStage, ProposalStatus
from ..models import Call, EvaluationCriterion, Proposal, Track
from ..selectors import version_for_display
from .enums import (
    ConsensusStatus,
    InterviewStatus,
    InvitationStatus,
    PoolStatus,
    ReviewStatus,
    RunStatus,
)
from .models import (
    Assignment,
    AssignmentRun,
    Conflict,
    ConsensusReport,
    ConsensusScore,
    EvaluationSettings,
    Interview,
    Invitation,
    PoolMember,
    Review,
    ReviewScore,
)
from .wording import reason_text

PS = ProposalStatus
# Proposals that take evaluators: eligible ones and those already under evaluation.
ASSIGNABLE_STATES = frozenset({PS.ELIGIBLE, PS.UNDER_EVALUATION})
# Proposals evaluators work on (or have decided) while the call is under evaluation.
EVALUATED_STATES = frozenset(
    {PS.UNDER_EVALUATION, PS.INTERVIEW, PS.SELECTED, PS.RESERVE, PS.REJECTED}
)
# How far apart evaluators' scores on a criterion may be before the proposal is flagged.
SPREAD_LIMIT = Decimal(2)
AFFINITY_TOPIC_WEIGHT = 0.3


# --- Settings and rules -----------------------------------------------------------------------


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


# --- What an evaluator may see ----------------------------------------------------------------


def _conflicted(proposal="proposal", evaluator="evaluator") -> Exists:
    return Exists(
        Conflict.objects.filter(
            active=True, proposal=OuterRef(proposal), evaluator=OuterRef(evaluator)
        )
    )


def is_evaluator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.EVALUATOR))


def evaluator_assignments(*, user) -> QuerySet[Assignment]:
    """The assignments ``user`` may work on: their own, while the call is under evaluation,
    in a call whose pool they joined (terms accepted), on a proposal in evaluation, and never
    one they have an active conflict with. Everything an evaluator reads starts here, so a
    guessed id of anything else is simply not found."""
    if not is_evaluator(user):
        return Assignment.objects.none()
    joined = PoolMember.objects.filter(
        call=OuterRef("call"), evaluator=user, status=PoolStatus.ACCEPTED
    )
    return (
        Assignment.objects.filter(
            evaluator=user,
            call__stage=CallStage.UNDER_EVALUATION,
            proposal__status__in=EVALUATED_STATES,
        )
        .filter(Exists(joined))
        .filter(~_conflicted())
        .select_related(
            "call__evaluation_settings",
            "proposal__call",
            "proposal__current_version__track",
            "proposal__current_version__challenge",
            "review",
        )
    )


def evaluator_assignment(*, user, proposal_id: int) -> Assignment | None:
    return evaluator_assignments(user=user).filter(proposal_id=proposal_id).first()


@dataclass
class QueueItem:
    assignment: Assignment
    deadline: object
    overdue: bool
    status: str
    status_label: str


def evaluator_queue(*, user, now=None) -> list[QueueItem]:
    """The evaluator's proposals with their deadlines, the most urgent unsubmitted first."""
    now = now or timezone.now()
    items = []
    for assignment in evaluator_assignments(user=user).order_by("call__number", "proposal__number"):
        deadline = assignment.deadline(settings_for(assignment.call).review_deadline)
        review = getattr(assignment, "review", None)
        submitted = review is not None and review.is_submitted
        if submitted:
            status, label = "submitted", _("Submitted")
        elif review is not None:
            status, label = "draft", _("Draft")
        else:
            status, label = "not-started", _("Not started")
        overdue = not submitted and deadline is not None and now >= deadline
        items.append(QueueItem(assignment, deadline, overdue, status, label))
    far = timezone.now() + timezone.timedelta(days=36500)
    items.sort(key=lambda i: (i.status == "submitted", i.deadline or far, i.assignment.pk))
    return items


def evaluator_invitations(*, user) -> QuerySet[PoolMember]:
    """Calls whose pool ``user`` is invited to and has not answered yet."""
    if not (user and user.is_authenticated):
        return PoolMember.objects.none()
    return (
        PoolMember.objects.filter(evaluator=user, status=PoolStatus.INVITED)
        .exclude(call__stage=CallStage.RESULTS_PUBLISHED)
        .select_related("call", "invited_by")
        .order_by("-created_at")
    )


def evaluator_pools(*, user) -> QuerySet[PoolMember]:
    if not (user and user.is_authenticated):
        return PoolMember.objects.none()
    return (
        PoolMember.objects.filter(evaluator=user, status=PoolStatus.ACCEPTED)
        .select_related("call__evaluation_settings")
        .annotate(assigned=Count("call__assignments", filter=Q(call__assignments__evaluator=user)))
        .order_by("-call__number")
    )


def membership(*, call: Call, user) -> PoolMember | None:
    if not (user and user.is_authenticated):
        return None
    return PoolMember.objects.filter(call=call, evaluator=user).first()


def redacted_version_data(version, *, hide_identity: bool) -> dict:
    """The submitted version as evaluators read it: never the registration number or anyone's
    email; without the organisation's name and the team's names when the call is blind."""
    data = version_for_display(version)
    organisation = dict(data.get("organisation", {}))
    organisation.pop("registration_number", None)
    if hide_identity:
        organisation["name"] = ""
    data["organisation"] = organisation
    data["team"] = [
        {"full_name": "" if hide_identity else m.get("full_name", ""), "role": m.get("role", "")}
        for m in data.get("team", [])
    ]
    data.pop("declarations", None)
    return data


def evaluator_letters(assignments) -> dict[int, str]:
    """ "Evaluator A, B, C…" per assignment of one proposal, in a stable order that says
    nothing about who they are."""
    ordered = sorted(assignments, key=lambda a: a.pk)
    letters = string.ascii_uppercase
    return {
        a.pk: letters[i] if i < len(letters) else f"{letters[i // 26 - 1]}{letters[i % 26]}"
        for i, a in enumerate(ordered)
    }


@dataclass
class PeerReview:
    label: str
    is_own: bool
    scores: list  # [(criterion, score, comment)]
    overall_comment: str
    total: Decimal


def peer_reviews(*, assignment: Assignment, criteria) -> list[PeerReview] | None:
    """The submitted reviews of the assignment's proposal, labelled "Evaluator A/B/C", for an
    evaluator who has submitted their own; ``None`` before (they must not be swayed)."""
    own = getattr(assignment, "review", None)
    if own is None or not own.is_submitted:
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
        if review is None or not review.is_submitted:
            continue
        by_criterion = {s.criterion_id: s for s in review.scores.all()}
        scores = {
            str(c.pk): by_criterion[c.pk].score
            for c in criteria
            if c.pk in by_criterion and by_criterion[c.pk].score is not None
        }
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
                total=evaluate(scores, rules).total,
            )
        )
    return result


def review_of(assignment: Assignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def review_values(review: Review | None) -> dict[int, ReviewScore]:
    if review is None:
        return {}
    return {s.criterion_id: s for s in review.scores.all()}


# --- Pools and conflicts (call managers) ------------------------------------------------------


def call_pool(call: Call) -> list[PoolMember]:
    """The call's pool with each evaluator's load in this call."""
    loads = dict(
        Assignment.objects.filter(call=call)
        .values_list("evaluator_id")
        .annotate(n=Count("pk"))
        .values_list("evaluator_id", "n")
    )
    members = list(
        PoolMember.objects.filter(call=call)
        .select_related("evaluator__evaluator_profile", "invited_by")
        .prefetch_related("evaluator__evaluator_profile__expertise")
        .order_by("status", "evaluator__full_name", "pk")
    )
    for member in members:
        member.load = loads.get(member.evaluator_id, 0)
        member.profile = getattr(member.evaluator, "evaluator_profile", None)
    return members


def accepted_pool(call: Call) -> QuerySet[PoolMember]:
    return (
        PoolMember.objects.filter(
            call=call,
            status=PoolStatus.ACCEPTED,
            evaluator__is_active=True,
            evaluator__groups__name=Role.EVALUATOR,
        )
        .select_related("evaluator__evaluator_profile")
        .prefetch_related("evaluator__evaluator_profile__expertise")
        .order_by("evaluator__full_name", "evaluator_id")
    )


def pending_invitations(call: Call) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(call=call)
        .exclude(status=InvitationStatus.REVOKED)
        .select_related("invited_by", "claimed_by")
        .order_by("-created_at")
    )


def call_conflicts(call: Call) -> QuerySet[Conflict]:
    return (
        Conflict.objects.filter(call=call)
        .select_related(
            "proposal__call",
            "proposal__current_version",
            "evaluator",
            "confirmed_by",
            "dismissed_by",
            "call",
        )
        .order_by("-active", "proposal__number", "evaluator__full_name", "pk")
    )


def active_conflict_pairs(call: Call) -> dict[tuple[int, int], str]:
    """(proposal id, evaluator id) → reason, for every active conflict in the call."""
    pairs = {}
    for proposal_id, evaluator_id, reason in Conflict.objects.filter(
        call=call, active=True
    ).values_list("proposal_id", "evaluator_id", "reason"):
        pairs.setdefault((proposal_id, evaluator_id), reason)
    return pairs


def assignable_proposals(call: Call) -> QuerySet[Proposal]:
    """The call's proposals that take evaluators, with what affinity and conflict detection
    read."""
    return (
        Proposal.objects.filter(
            call=call, status__in=ASSIGNABLE_STATES, current_version__isnull=False
        )
        .select_related("call", "applicant", "current_version__challenge", "current_version__track")
        .prefetch_related("current_version__challenge__topics")
        .order_by("number")
    )


def in_evaluation(call: Call) -> QuerySet[Proposal]:
    """The call's proposals that are, or were, in the evaluation: eligible or under evaluation,
    and decided ones that had evaluators (not those decided by hand without an evaluation)."""
    assigned = Assignment.objects.filter(proposal=OuterRef("pk"))
    return Proposal.objects.filter(call=call, current_version__isnull=False).filter(
        Q(status__in=ASSIGNABLE_STATES | {PS.INTERVIEW})
        | Q(status__in=EVALUATED_STATES) & Exists(assigned)
    )


def evaluated_proposals(call: Call) -> QuerySet[Proposal]:
    """Every proposal of the call that is (or was) in the evaluation, for lists."""
    return (
        in_evaluation(call)
        .select_related("call", "current_version__track", "current_version__challenge")
        .defer("current_version__data")
        .order_by("number")
    )


# --- Affinity ---------------------------------------------------------------------------------


def proposal_text(proposal: Proposal) -> ProposalText:
    version = proposal.current_version
    challenge = version.challenge
    return ProposalText(
        id=proposal.pk,
        title=f"{version.acronym} {version.title}",
        abstract=version.data.get("abstract", ""),
        challenge=f"{challenge.title}. {challenge.description}",
        topics=[t.slug for t in challenge.topics.all()],
    )


def evaluator_text(member: PoolMember) -> EngineProfile:
    profile = getattr(member.evaluator, "evaluator_profile", None)
    if profile is None:
        return EngineProfile(id=member.evaluator_id)
    topics = list(profile.expertise.all())
    return EngineProfile(
        id=member.evaluator_id,
        areas=[t.name for t in topics],
        keywords=profile.keyword_list,
        cv=profile.cv,
        topics=[t.slug for t in topics],
    )


def affinity_for(proposals, members):
    """The engine's affinity of every proposal with every evaluator (TF-IDF of the proposal's
    title, abstract and challenge against the evaluator's expertise, keywords and CV, with the
    challenge's topics blended in)."""
    return compute_affinity(
        [proposal_text(p) for p in proposals],
        [evaluator_text(m) for m in members],
        topic_weight=AFFINITY_TOPIC_WEIGHT,
    )


@dataclass
class MatrixCell:
    evaluator_id: int
    affinity: float
    assignment: Assignment | None
    conflict: str | None


@dataclass
class MatrixRow:
    proposal: Proposal
    cells: list
    count: int


@dataclass
class AssignmentMatrix:
    members: list
    rows: list
    k: int
    loads: dict
    unassigned: int = 0
    short: int = 0
    unnotified: int = 0


def assignment_matrix(call: Call, proposals_page) -> AssignmentMatrix:
    """Proposals (one page) × the accepted pool: affinity, current assignment (with lock and
    review state), conflict marks, and loads per evaluator and per proposal."""
    members = list(accepted_pool(call))
    all_proposals = list(assignable_proposals(call))
    assignments = list(Assignment.objects.filter(call=call).select_related("review", "evaluator"))
    by_pair = {(a.proposal_id, a.evaluator_id): a for a in assignments}
    per_proposal = defaultdict(int)
    loads = defaultdict(int)
    for a in assignments:
        per_proposal[a.proposal_id] += 1
        loads[a.evaluator_id] += 1
    conflicts = active_conflict_pairs(call)
    affinity = affinity_for(all_proposals, members) if all_proposals and members else None
    row_index = {pid: i for i, pid in enumerate(affinity.proposal_ids)} if affinity else {}
    for member in members:
        member.load = loads.get(member.evaluator_id, 0)
    rows = []
    for proposal in proposals_page:
        cells = []
        for j, member in enumerate(members):
            i = row_index.get(proposal.pk)
            score = float(affinity.scores[i, j]) if affinity is not None and i is not None else 0.0
            cells.append(
                MatrixCell(
                    evaluator_id=member.evaluator_id,
                    affinity=score,
                    assignment=by_pair.get((proposal.pk, member.evaluator_id)),
                    conflict=conflicts.get((proposal.pk, member.evaluator_id)),
                )
            )
        rows.append(MatrixRow(proposal, cells, per_proposal.get(proposal.pk, 0)))
    k = call.evaluators_per_proposal
    return AssignmentMatrix(
        members=members,
        rows=rows,
        k=k,
        loads=dict(loads),
        unassigned=sum(1 for p in all_proposals if per_proposal.get(p.pk, 0) == 0),
        short=sum(1 for p in all_proposals if per_proposal.get(p.pk, 0) < k),
        unnotified=sum(1 for a in assignments if a.notified_at is None),
    )


def matrix_proposals(call: Call) -> QuerySet[Proposal]:
    """The proposals the matrix lists: assignable ones and any other already assigned."""
    return (
        Proposal.objects.filter(call=call, current_version__isnull=False)
        .filter(Q(status__in=ASSIGNABLE_STATES) | Q(assignments__isnull=False))
        .distinct()
        .select_related("call", "current_version__track", "current_version__challenge")
        .defer("current_version__data")
        .order_by("number", "pk")
    )


def latest_run(call: Call) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(call=call).select_related("actor").first()


def active_run(call: Call) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(
        call=call, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()


# --- Reviews, flags and z-scores --------------------------------------------------------------


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


def call_analysis(call: Call, *, criteria=None) -> Analysis:
    """Flags, z-scores and suggestions from every submitted review of the call (two queries)."""
    criteria = criteria if criteria is not None else criteria_of(call)
    rules = scoring_rules(call, criteria=criteria)
    rows = ReviewScore.objects.filter(
        review__assignment__call=call,
        review__status=ReviewStatus.SUBMITTED,
        score__isnull=False,
    ).values_list(
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
    max_proposals: int = 0
    tendency: str = ""
    mean: float | None = None
    offset: float | None = None


@dataclass
class ProposalProgress:
    proposal: Proposal
    assigned: int = 0
    submitted: int = 0
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


def call_progress(call: Call, *, now=None) -> CallProgress:
    """Reviews submitted and overdue per evaluator; per proposal, reviews in, disagreement
    flags (flagged proposals first) and the consensus state."""
    now = now or timezone.now()
    settings = settings_for(call)
    analysis = call_analysis(call)
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
    totals = {"assigned": 0, "submitted": 0, "drafts": 0, "overdue": 0}
    for a in Assignment.objects.filter(call=call).select_related("review", "evaluator"):
        row = evaluators.get(a.evaluator_id)
        if row is None:
            row = evaluators[a.evaluator_id] = EvaluatorProgress(a.evaluator)
        review = getattr(a, "review", None)
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
        prow = proposals.get(a.proposal_id)
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


def proposal_reviews_for_manager(proposal: Proposal, *, criteria, analysis: Analysis) -> list:
    """Each assignment of the proposal with its review, total, and the evaluator's z-score
    for this proposal (their total on their own scale) and tendency."""
    rows = []
    assignments = (
        Assignment.objects.filter(proposal=proposal)
        .select_related("evaluator", "review")
        .prefetch_related("review__scores")
        .order_by("pk")
    )
    for a in assignments:
        review = review_of(a)
        values = review_values(review)
        scores = [(c, values.get(c.pk)) for c in criteria]
        total = z = None
        tendency = ""
        outcome = None
        if review is not None and review.is_submitted:
            given = {
                str(c.pk): values[c.pk].score
                for c in criteria
                if c.pk in values and values[c.pk].score is not None
            }
            outcome = evaluate(given, analysis.rules)
            total = outcome.total
            calibration = analysis.calibration.get(a.evaluator_id)
            if calibration is not None:
                z = calibration.z_scores.get(proposal.pk)
                tendency = calibration.tendency.value
        rows.append(ReviewRow(a, review, scores, total, z, tendency, outcome))
    return rows


def consensus_values(report: ConsensusReport | None) -> dict[int, ConsensusScore]:
    if report is None:
        return {}
    return {s.criterion_id: s for s in report.scores.all()}


# --- Ranking ----------------------------------------------------------------------------------


def track_budgets(call: Call, tracks) -> dict[int, Decimal]:
    """Each track's share of the call's budget, in proportion to the projects it funds."""
    tracks = list(tracks)
    weights = {t.pk: Decimal(t.projects_to_fund) for t in tracks}
    total = sum(weights.values(), Decimal(0))
    if total <= 0:
        weights = {t.pk: Decimal(1) for t in tracks}
        total = Decimal(len(tracks) or 1)
    return {
        pk: (call.total_budget * weight / total).quantize(Decimal("0.01"))
        for pk, weight in weights.items()
    }


@dataclass
class RankingRow:
    proposal: Proposal
    ranked: object
    provisional: bool
    reasons: list
    tie_text: str
    interview: Interview | None
    decision_label: str


@dataclass
class TrackRanking:
    track: Track | None
    budget: Decimal
    ranking: object
    rows: list
    below: list
    missing: list
    provisional: int

    @property
    def funded(self):
        return [r for r in self.rows if r.ranked.decision == Decision.FUND]

    @property
    def reserve(self):
        return [r for r in self.rows if r.ranked.decision == Decision.RESERVE]


DECISION_LABELS = {
    Decision.FUND: gettext_lazy("Above the budget line"),
    Decision.RESERVE: gettext_lazy("Reserve list"),
    Decision.BELOW_THRESHOLD: gettext_lazy("Below threshold"),
}


def _tie_text(key: str | None, names: dict[str, str]) -> str:
    if key is None:
        return ""
    if key == "submitted_at":
        return _("Tie broken by the earlier submission")
    if key == "requested_funding":
        return _("Tie broken by the smaller funding request")
    if key == "proposal_id":
        return _("Tie broken by the order of submission numbers")
    return _("Tie broken by %(criterion)s") % {"criterion": names.get(key, key)}


def call_candidates(call: Call, *, criteria, provisional: bool, analysis: Analysis | None = None):
    """The call's evaluated proposals as ranking candidates: their final consensus scores, or
    (when ``provisional``) the suggested consensus from the submitted reviews. Returns the
    candidates, proposals by id, which are provisional, and proposals with neither."""
    proposals = {
        p.pk: p
        for p in in_evaluation(call)
        .filter(status__in=EVALUATED_STATES)
        .select_related("call", "current_version__track", "current_version__challenge")
        .defer("current_version__data")
    }
    finals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for proposal_id, criterion_id, score in ConsensusScore.objects.filter(
        report__call=call, report__status=ConsensusStatus.FINAL, score__isnull=False
    ).values_list("report__proposal_id", "criterion_id", "score"):
        finals[proposal_id][str(criterion_id)] = score
    interviews = {
        i.proposal_id: i for i in Interview.objects.filter(call=call).select_related("slot")
    }
    suggestions = {}
    if provisional:
        analysis = analysis or call_analysis(call, criteria=criteria)
        suggestions = analysis.suggestions
    candidates, provisional_ids, missing = [], set(), []
    for pid, proposal in sorted(proposals.items()):
        version = proposal.current_version
        if pid in finals:
            scores = finals[pid]
        elif pid in suggestions:
            scores = dict(suggestions[pid].scores)
            provisional_ids.add(pid)
        else:
            missing.append(proposal)
            continue
        interview = interviews.get(pid)
        held = interview is not None and interview.status == InterviewStatus.HELD
        candidates.append(
            Candidate(
                proposal_id=pid,
                scores=scores,
                requested_funding=version.requested_funding,
                submitted_at=version.submitted_at,
                track=str(version.track_id),
                interview_score=interview.score if held else None,
            )
        )
    return candidates, proposals, provisional_ids, missing, interviews


def call_ranking(
    call: Call,
    *,
    provisional: bool = True,
    with_interviews: bool = True,
    whole_call: bool = False,
) -> list[TrackRanking]:
    """One ranking per track against its share of the budget (or one for the whole call):
    consensus totals with the call's weights, proposals under a threshold out with their
    reasons, ties broken in the call's order, the budget line and the reserve list.
    Interviewed proposals combine their written and interview scores as the call says."""
    criteria = criteria_of(call)
    settings = settings_for(call)
    rules = scoring_rules(call, criteria=criteria, settings=settings)
    names = criterion_names(criteria)
    candidates, proposals, provisional_ids, missing, interviews = call_candidates(
        call, criteria=criteria, provisional=provisional
    )
    policy = None
    if with_interviews and call.interview_enabled:
        policy = InterviewPolicy(
            weight=settings.interview_weight, max_score=settings.interview_max_score
        )
    tracks = list(call.tracks.all())
    if whole_call:
        groups = [(None, call.total_budget, candidates, missing)]
    else:
        budgets = track_budgets(call, tracks)
        groups = [
            (
                track,
                budgets[track.pk],
                [c for c in candidates if c.track == str(track.pk)],
                [p for p in missing if p.current_version.track_id == track.pk],
            )
            for track in tracks
        ]
    result = []
    for track, budget, group, group_missing in groups:
        ranking = rank_proposals(group, rules, budget=budget, interview=policy)

        def row(ranked):
            return RankingRow(
                proposal=proposals[ranked.proposal_id],
                ranked=ranked,
                provisional=ranked.proposal_id in provisional_ids,
                reasons=[reason_text(r, names) for r in ranked.reasons],
                tie_text=_tie_text(ranked.tie_broken_by, names),
                interview=interviews.get(ranked.proposal_id),
                decision_label=str(DECISION_LABELS[ranked.decision]),
            )

        rows = [row(r) for r in ranking.ranked]
        result.append(
            TrackRanking(
                track=track,
                budget=budget,
                ranking=ranking,
                rows=rows,
                below=[row(r) for r in ranking.below_threshold],
                missing=group_missing,
                provisional=sum(1 for r in rows if r.provisional),
            )
        )
    return result


# --- Exports ----------------------------------------------------------------------------------


def score_export_rows(call: Call, *, evaluator=None):
    """One row per submitted review: the scores and comments per criterion. Call managers get
    every review with its evaluator; an evaluator (``evaluator``) only their own visible ones."""
    criteria = criteria_of(call)
    assignments = (
        Assignment.objects.filter(call=call, review__status=ReviewStatus.SUBMITTED)
        .select_related("evaluator", "review", "proposal__call", "proposal__current_version")
        .prefetch_related("review__scores")
        .order_by("proposal__number", "evaluator__full_name", "pk")
    )
    if evaluator is not None:
        visible = evaluator_assignments(user=evaluator).filter(call=call).values("pk")
        assignments = assignments.filter(pk__in=visible)
    rules = scoring_rules(call, criteria=criteria)
    headers = ["reference", "acronym"]
    if evaluator is None:
        headers += ["evaluator", "evaluator_email"]
    for c in criteria:
        headers += [f"{c.name} score", f"{c.name} comment"]
    headers += ["total", "overall_comment", "submitted_at"]

    def rows():
        for a in assignments:
            values = review_values(a.review)
            given = {
                str(c.pk): values[c.pk].score
                for c in criteria
                if c.pk in values and values[c.pk].score is not None
            }
            row = [a.proposal.reference, a.proposal.current_version.acronym]
            if evaluator is None:
                row += [a.evaluator.display_name, a.evaluator.email]
            for c in criteria:
                score = values.get(c.pk)
                row += [score.score if score else None, score.comment if score else ""]
            row += [evaluate(given, rules).total, a.review.overall_comment, a.review.submitted_at]
            yield row

    return headers, rows()


def consensus_export_rows(call: Call):
    criteria = criteria_of(call)
    rules = scoring_rules(call, criteria=criteria)
    analysis = call_analysis(call, criteria=criteria)
    reports = (
        ConsensusReport.objects.filter(call=call)
        .select_related("proposal__call", "proposal__current_version", "rapporteur")
        .prefetch_related("scores")
        .order_by("proposal__number")
    )
    headers = ["reference", "acronym", "status", "rapporteur"]
    for c in criteria:
        headers += [f"{c.name} score", f"{c.name} comment"]
    headers += ["total", "passes_thresholds", "summary", "disagreement_flags", "finalised_at"]

    def rows():
        for report in reports:
            values = consensus_values(report)
            given = {
                str(c.pk): values[c.pk].score
                for c in criteria
                if c.pk in values and values[c.pk].score is not None
            }
            outcome = evaluate(given, rules)
            row = [
                report.proposal.reference,
                report.proposal.current_version.acronym,
                report.get_status_display(),
                report.rapporteur.display_name if report.rapporteur else "",
            ]
            for c in criteria:
                score = values.get(c.pk)
                row += [score.score if score else None, score.comment if score else ""]
            row += [
                outcome.total,
                "yes" if outcome.passed else "no",
                report.summary,
                " | ".join(analysis.flag_texts(report.proposal_id)),
                report.finalised_at,
            ]
            yield row

    return headers, rows()


def ranking_export_rows(call: Call):
    headers = [
        "track",
        "rank",
        "reference",
        "acronym",
        "organisation",
        "requested_funding",
        "cumulative_funding",
        "written_total",
        "interview_score",
        "final_score",
        "position",
        "provisional",
        "tie_break",
        "reasons",
    ]
    rankings = call_ranking(call)

    def rows():
        for track_ranking in rankings:
            name = track_ranking.track.name if track_ranking.track else ""
            for row in [*track_ranking.rows, *track_ranking.below]:
                ranked = row.ranked
                version = row.proposal.current_version
                yield [
                    name,
                    ranked.rank,
                    row.proposal.reference,
                    version.acronym,
                    version.organisation_name,
                    ranked.requested_funding,
                    ranked.cumulative_funding,
                    ranked.written_total,
                    ranked.interview_score,
                    ranked.final_score.quantize(Decimal("0.01")),
                    row.decision_label,
                    "yes" if row.provisional else "no",
                    row.tie_text,
                    " ".join(row.reasons),
                ]

    return headers, rows()


# --- Evaluation Summary Report ----------------------------------------------------------------


@dataclass
class SummaryReport:
    proposal: Proposal
    call: Call
    rows: list  # (criterion, score, comment)
    total: Decimal
    max_total: Decimal
    passed: bool
    reasons: list
    summary: str
    decision: str
    rank: int | None
    ranked_count: int
    track: Track | None
    interview_score: Decimal | None


def summary_report(proposal: Proposal) -> SummaryReport | None:
    """The Evaluation Summary Report of ``proposal``: the consensus scores and comments per
    criterion, the total, the thresholds it meets or misses, the decision and its place in its
    track's ranking. Built from the final consensus only: it names no evaluator."""
    report = (
        ConsensusReport.objects.filter(proposal=proposal, status=ConsensusStatus.FINAL)
        .prefetch_related("scores")
        .first()
    )
    if report is None:
        return None
    call = proposal.call
    criteria = criteria_of(call)
    rules = scoring_rules(call, criteria=criteria)
    values = consensus_values(report)
    given = {
        str(c.pk): values[c.pk].score
        for c in criteria
        if c.pk in values and values[c.pk].score is not None
    }
    outcome = evaluate(given, rules)
    names = criterion_names(criteria)
    version = proposal.current_version
    rank, count = None, 0
    for track_ranking in call_ranking(call, provisional=False):
        if track_ranking.track and track_ranking.track.pk == version.track_id:
            count = len(track_ranking.rows)
            for row in track_ranking.rows:
                if row.proposal.pk == proposal.pk:
                    rank = row.ranked.rank
    interview = Interview.objects.filter(proposal=proposal, status=InterviewStatus.HELD).first()
    return SummaryReport(
        proposal=proposal,
        call=call,
        rows=[
            (c, getattr(values.get(c.pk), "score", None), getattr(values.get(c.pk), "comment", ""))
            for c in criteria
        ],
        total=outcome.total,
        max_total=rules.max_total,
        passed=outcome.passed,
        reasons=[reason_text(r, names) for r in outcome.reasons],
        summary=report.summary,
        decision=proposal.get_status_display(),
        rank=rank,
        ranked_count=count,
        track=version.track,
        interview_score=interview.score if interview else None,
    )


# --- Dashboards -------------------------------------------------------------------------------


def manager_evaluation_calls() -> list[Call]:
    """Calls under evaluation with their counts, for the call managers' panel."""
    calls = list(
        Call.objects.filter(stage=CallStage.UNDER_EVALUATION)
        .annotate(
            assigned=Count("assignments", distinct=True),
            submitted=Count(
                "assignments",
                filter=Q(assignments__review__status=ReviewStatus.SUBMITTED),
                distinct=True,
            ),
            pool_size=Count("pool", filter=Q(pool__status=PoolStatus.ACCEPTED), distinct=True),
        )
        .order_by("-number")
    )
    return calls
