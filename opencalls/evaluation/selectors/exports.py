"""Rows of the evaluation's spreadsheet exports (scores, consensus, ranking)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ...models import Call, Proposal
from ..enums import ReviewStatus
from ..models import Assignment, ConsensusReport
from .assignments import evaluator_assignments
from .consensus import consensus_values
from .ranking import call_ranking
from .reviews import call_analysis, review_values
from .scoring import criteria_of, score_outcome, scoring_rules


def _hidden_rows(hidden: frozenset[int], width: int):
    """One row per proposal in ``hidden`` (the viewer's own cases): its reference and acronym,
    then "conflict of interest: hidden" and empty cells up to ``width`` columns."""
    if not hidden:
        return
    proposals = (
        Proposal.objects.filter(pk__in=hidden, current_version__isnull=False)
        .select_related("call", "current_version")
        .order_by("number")
    )
    for proposal in proposals:
        row = [
            proposal.reference,
            proposal.current_version.acronym,
            _("conflict of interest: hidden"),
        ]
        yield row + [""] * (width - len(row))


def score_export_rows(
    call: Call,
    *,
    evaluator=None,
    hidden: frozenset[int] = frozenset(),
    withheld: frozenset[int] = frozenset(),
):
    """One row per submitted review: the scores and comments per criterion. Call managers get
    every review with its evaluator, but none of the proposals in ``hidden`` (their own cases,
    ``own_cases``), which have one row saying so, nor of the ``withheld`` proposals (their own
    ``blind_proposal_ids``); reviews set aside are marked in the last columns (``set_aside``:
    yes, and the reason). An evaluator (``evaluator``) gets only their own visible ones."""
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
    assignments = assignments.exclude(proposal_id__in=hidden)
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
        yield from _hidden_rows(hidden, len(headers))

    return headers, rows()


def consensus_export_rows(
    call: Call, *, hidden: frozenset[int] = frozenset(), withheld: frozenset[int] = frozenset()
):
    """One row per consensus report: status, rapporteur, agreed scores and comments, total,
    flags. The proposals in ``hidden`` (the viewer's own cases) have one row saying so; the
    ``withheld`` proposals (the reader's ``blind_proposal_ids``) are left out."""
    criteria = criteria_of(call)
    rules = scoring_rules(call, criteria=criteria)
    analysis = call_analysis(call, criteria=criteria, withheld=withheld)
    reports = (
        ConsensusReport.objects.filter(call=call)
        .exclude(proposal_id__in=hidden)
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
        yield from _hidden_rows(hidden, len(headers))

    return headers, rows()


def ranking_export_rows(
    call: Call, *, hidden: frozenset[int] = frozenset(), withheld: frozenset[int] = frozenset()
):
    """The ranking per track, row by row (``call_ranking``); the proposals in ``hidden`` (the
    viewer's own cases) are out of it, with one row each saying so; the ``withheld`` proposals
    (the reader's ``blind_proposal_ids``) are left out."""
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
    rankings = call_ranking(call, hidden=hidden, withheld=withheld)

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
        for proposal_row in _hidden_rows(hidden, len(headers) - 2):
            yield ["", "", *proposal_row]

    return headers, rows()
