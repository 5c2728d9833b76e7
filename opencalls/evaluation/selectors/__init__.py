"""Reads of the evaluation. Two kinds live here:

- what an evaluator may see, all derived from ``evaluator_assignments`` (their own
  assignments, in a call under evaluation whose pool they joined, never on a proposal they are
  conflicted on): queue, proposal pages, documents, the API and exports start from it;
- what call managers read: pools, conflicts, the assignment matrix, progress, disagreement
  flags and z-scores, rankings, exports.

Every list costs a constant number of queries; the engine does the arithmetic.

One module per concept; this package re-exports their public names.
"""

from ..enums import ASSIGNABLE_STATES, EVALUATED_STATES
from ..predicates import is_evaluator
from .assignments import (
    AFFINITY_TOPIC_WEIGHT,
    AssignmentMatrix,
    MatrixCell,
    MatrixRow,
    QueueItem,
    affinity_for,
    assignable_proposals,
    assignment_matrix,
    evaluated_proposals,
    evaluator_assignment,
    evaluator_assignments,
    evaluator_letters,
    evaluator_queue,
    evaluator_text,
    has_assignments,
    in_evaluation,
    matrix_proposals,
    proposal_text,
    redacted_version_data,
)
from .conflicts import active_conflict, active_conflict_pairs, call_conflicts
from .consensus import consensus_values, rapporteur_candidates
from .dashboards import manager_evaluation_calls
from .decisions import (
    OUTCOMES,
    decided_proposals,
    decision_blockers,
    decision_plan,
    unfinished_consensus_count,
)
from .exports import consensus_export_rows, ranking_export_rows, score_export_rows
from .interviews import bookable_slots, call_interviews, call_slots, free_slots, interview_of
from .own_cases import own_cases
from .pool import (
    accepted_pool,
    call_pool,
    evaluator_invitations,
    evaluator_pools,
    membership,
    pending_invitations,
    pool_membership,
)
from .ranking import (
    DECISION_LABELS,
    RankingRow,
    TrackRanking,
    call_candidates,
    call_ranking,
    track_budgets,
)
from .reports import SummaryReport, summary_report
from .reviews import (
    SPREAD_LIMIT,
    Analysis,
    CallProgress,
    EvaluatorProgress,
    PeerReview,
    ProposalProgress,
    ReviewRow,
    blind_proposal_ids,
    call_analysis,
    call_progress,
    peer_reviews,
    proposal_reviews_for_manager,
    review_of,
    review_values,
    reviews_complete,
)
from .runs import active_run, latest_run
from .scoring import criteria_of, criterion_names, score_outcome, scoring_rules, settings_for

__all__ = [
    "AFFINITY_TOPIC_WEIGHT",
    "ASSIGNABLE_STATES",
    "DECISION_LABELS",
    "EVALUATED_STATES",
    "OUTCOMES",
    "SPREAD_LIMIT",
    "Analysis",
    "AssignmentMatrix",
    "CallProgress",
    "EvaluatorProgress",
    "MatrixCell",
    "MatrixRow",
    "PeerReview",
    "ProposalProgress",
    "QueueItem",
    "RankingRow",
    "ReviewRow",
    "SummaryReport",
    "TrackRanking",
    "accepted_pool",
    "active_conflict",
    "active_conflict_pairs",
    "active_run",
    "affinity_for",
    "assignable_proposals",
    "assignment_matrix",
    "blind_proposal_ids",
    "bookable_slots",
    "call_analysis",
    "call_candidates",
    "call_conflicts",
    "call_interviews",
    "call_pool",
    "call_progress",
    "call_ranking",
    "call_slots",
    "consensus_export_rows",
    "consensus_values",
    "criteria_of",
    "criterion_names",
    "decided_proposals",
    "decision_blockers",
    "decision_plan",
    "evaluated_proposals",
    "evaluator_assignment",
    "evaluator_assignments",
    "evaluator_invitations",
    "evaluator_letters",
    "evaluator_pools",
    "evaluator_queue",
    "evaluator_text",
    "free_slots",
    "has_assignments",
    "in_evaluation",
    "interview_of",
    "is_evaluator",
    "latest_run",
    "manager_evaluation_calls",
    "matrix_proposals",
    "membership",
    "own_cases",
    "peer_reviews",
    "pending_invitations",
    "pool_membership",
    "proposal_reviews_for_manager",
    "proposal_text",
    "ranking_export_rows",
    "rapporteur_candidates",
    "redacted_version_data",
    "review_of",
    "review_values",
    "reviews_complete",
    "score_export_rows",
    "score_outcome",
    "scoring_rules",
    "settings_for",
    "summary_report",
    "track_budgets",
    "unfinished_consensus_count",
]
