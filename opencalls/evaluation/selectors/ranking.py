"""The ranking of a call's proposals, per track and within budget, and the decisions it suggests."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...engine.ranking import Candidate, Decision, InterviewPolicy, rank_proposals
from ...models import Call, Proposal, Track
from ..enums import EVALUATED_STATES, ConsensusStatus, InterviewStatus
from ..models import ConsensusScore, Interview
from ..wording import reason_text
from .assignments import in_evaluation
from .reviews import Analysis, call_analysis
from .scoring import criteria_of, criterion_names, scoring_rules, settings_for


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
    # Proposals the viewer is a party to: ranked, but out of the lists, shown as a conflict
    # of interest.
    conflicts: list = field(default_factory=list)
    # Proposals the reader evaluates without having submitted their review: left out of the
    # ranking altogether (the blind-review rule).
    withheld: list = field(default_factory=list)

    @property
    def hidden(self) -> list:
        """Every proposal of the track not shown to the reader: ``conflicts`` then
        ``withheld``."""
        return [*self.conflicts, *self.withheld]

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


def call_candidates(
    call: Call,
    *,
    criteria,
    provisional: bool,
    analysis: Analysis | None = None,
    withheld: frozenset = frozenset(),
):
    """The call's evaluated proposals as ranking candidates: their final consensus scores, or
    (when ``provisional``) the suggested consensus from the submitted reviews. Returns the
    candidates, proposals by id, which are provisional, and proposals with neither. The
    ``withheld`` proposals (``blind_proposal_ids`` of the reader) are left out entirely."""
    proposals = {
        p.pk: p
        for p in in_evaluation(call)
        .filter(status__in=EVALUATED_STATES)
        .exclude(pk__in=withheld)
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
    hidden: frozenset[int] = frozenset(),
    withheld: frozenset[int] = frozenset(),
) -> list[TrackRanking]:
    """One ranking per track against its share of the budget (or one for the whole call):
    consensus totals with the call's weights, proposals under a threshold out with their
    reasons, ties broken in the call's order, the budget line and the reserve list.
    Interviewed proposals combine their written and interview scores as the call says.

    The proposals in ``hidden`` (ids: the viewer's own cases, ``own_cases``) are ranked like
    the others but left out of the rows shown, with neither scores nor position: they are
    listed in each track's ``conflicts``. The ``withheld`` proposals (ids:
    ``blind_proposal_ids`` of the reader) are left out of the ranking itself and listed in
    ``withheld``: a reader who evaluates them and has not submitted sees no score of theirs,
    so the ranking shown is not the one decided on."""
    criteria = criteria_of(call)
    settings = settings_for(call)
    rules = scoring_rules(call, criteria=criteria, settings=settings)
    names = criterion_names(criteria)
    candidates, proposals, provisional_ids, missing, interviews = call_candidates(
        call,
        criteria=criteria,
        provisional=provisional,
        analysis=call_analysis(call, criteria=criteria, withheld=withheld) if provisional else None,
        withheld=withheld,
    )
    withheld_proposals = []
    if withheld:
        withheld_proposals = list(
            Proposal.objects.filter(pk__in=withheld, call=call)
            .select_related("call", "current_version")
            .order_by("number")
        )
    policy = None
    if with_interviews and call.interview_enabled:
        policy = InterviewPolicy(
            weight=settings.interview_weight, max_score=settings.interview_max_score
        )
    tracks = list(call.tracks.all())
    if whole_call:
        groups = [(None, call.total_budget, candidates, missing, withheld_proposals)]
    else:
        budgets = track_budgets(call, tracks)
        groups = [
            (
                track,
                budgets[track.pk],
                [c for c in candidates if c.track == str(track.pk)],
                [p for p in missing if p.current_version.track_id == track.pk],
                [p for p in withheld_proposals if p.current_version.track_id == track.pk],
            )
            for track in tracks
        ]
    result = []
    for track, budget, group, group_missing, group_withheld in groups:
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

        rows = [row(r) for r in ranking.ranked if r.proposal_id not in hidden]
        result.append(
            TrackRanking(
                track=track,
                budget=budget,
                ranking=ranking,
                rows=rows,
                below=[row(r) for r in ranking.below_threshold if r.proposal_id not in hidden],
                missing=[p for p in group_missing if p.pk not in hidden],
                provisional=sum(1 for r in rows if r.provisional),
                conflicts=sorted(
                    (proposals[c.proposal_id] for c in group if c.proposal_id in hidden),
                    key=lambda p: p.number or 0,
                )
                + [p for p in group_missing if p.pk in hidden]
                + [p for p in group_withheld if p.pk in hidden],
                withheld=[p for p in group_withheld if p.pk not in hidden],
            )
        )
    return result
