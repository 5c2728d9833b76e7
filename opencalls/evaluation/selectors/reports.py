"""The Evaluation Summary Report an applicant reads: built from the consensus, not from reviews."""

from dataclasses import dataclass
from decimal import Decimal

from ...models import Call, Proposal, Track
from ..enums import ConsensusStatus, InterviewStatus
from ..models import ConsensusReport, Interview
from ..wording import reason_text
from .consensus import consensus_values
from .ranking import call_ranking
from .scoring import criteria_of, criterion_names, score_outcome, scoring_rules


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
    outcome = score_outcome(values, criteria, rules)
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
