"""Rows of the evaluation's spreadsheet exports (scores, consensus, ranking)."""

from decimal import Decimal

from ...models import Call
from ..enums import ReviewStatus
from ..models import Assignment, ConsensusReport
from .assignments import evaluator_assignments
from .consensus import consensus_values
from .ranking import call_ranking
from .reviews import call_analysis, review_values
from .scoring import criteria_of, score_outcome, scoring_rules


def score_export_rows(call: Call, *, evaluator=None, withheld: frozenset = frozenset()):
    """One row per submitted review: the scores and comments per criterion. Call managers get
    every review with its evaluator, except on the ``withheld`` proposals (their own
    ``blind_proposal_ids``), reviews set aside marked in the last columns (``set_aside``:
    yes, and the reason); an evaluator (``evaluator``) only their own visible ones."""
    criteria = criteria_of(call)
    assignments = (
        Assignment.objects.filter(call=call, review__status=ReviewStatus.SUBMITTED)
        .select_related("evaluator", "review", "proposal__call", "proposal__current_version")
        .prefetch_related("review__scores")
        .order_by("proposal__number", "evaluator__full_name", "pk")
    )
    if withheld:
        assignments = assignments.exclude(proposal_id__in=withheld)
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
    if evaluator is None:
        headers += ["set_aside", "set_aside_reason"]

    def rows():
        for a in assignments:
            values = review_values(a.review)
            row = [a.proposal.reference, a.proposal.current_version.acronym]
            if evaluator is None:
                row += [a.evaluator.display_name, a.evaluator.email]
            for c in criteria:
                score = values.get(c.pk)
                row += [score.score if score else None, score.comment if score else ""]
            row += [
                score_outcome(values, criteria, rules).total,
                a.review.overall_comment,
                a.review.submitted_at,
            ]
            if evaluator is None:
                row += ["yes" if a.review.is_set_aside else "", a.review.set_aside_reason]
            yield row

    return headers, rows()


def consensus_export_rows(call: Call, *, withheld: frozenset = frozenset()):
    """One row per consensus report: agreed scores and comments, total, thresholds, flags.
    Leaves out the ``withheld`` proposals (the reader's ``blind_proposal_ids``)."""
    criteria = criteria_of(call)
    rules = scoring_rules(call, criteria=criteria)
    analysis = call_analysis(call, criteria=criteria, withheld=withheld)
    reports = (
        ConsensusReport.objects.filter(call=call)
        .exclude(proposal_id__in=withheld)
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
            outcome = score_outcome(values, criteria, rules)
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


def ranking_export_rows(call: Call, *, withheld: frozenset = frozenset()):
    """The ranking per track, as on the ranking page, without the ``withheld`` proposals."""
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
    rankings = call_ranking(call, withheld=withheld)

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
