"""Pages of the evaluation: the evaluators' queue, proposals and reviews; the call managers'
pool, conflicts, assignment matrix and runs, progress, consensus, ranking, interviews and
decisions; the applicants' Evaluation Summary Report and interview booking.

Every write goes through ``services``. Every evaluator lookup goes through
``selectors.evaluator_assignments``, so a proposal that is not assigned to the evaluator, or
that they are conflicted on, is not found (404) — on pages, documents and exports alike.

One module per concept; this package re-exports the views.
"""

from .assignments import manage_assignments, notify
from .conflicts import conflict_action, declare_conflict, manage_conflicts
from .consensus import consensus
from .decisions import decisions, ranking, results_publish
from .exports import EXPORTS, export
from .interviews import interview_book, interviews
from .manage import manage, manage_proposal, manage_settings
from .pool import (
    declare_organisation,
    invitation,
    invitation_revoke,
    join,
    manage_pool,
    pool_member,
    profile,
)
from .reports import esr, esr_pdf
from .reviews import document, home, my_reviews_export, proposal, review_autosave
from .runs import PROGRESS_TEXT, run, run_start

__all__ = [
    "EXPORTS",
    "PROGRESS_TEXT",
    "conflict_action",
    "consensus",
    "decisions",
    "declare_conflict",
    "declare_organisation",
    "document",
    "esr",
    "esr_pdf",
    "export",
    "home",
    "interview_book",
    "interviews",
    "invitation",
    "invitation_revoke",
    "join",
    "manage",
    "manage_assignments",
    "manage_conflicts",
    "manage_pool",
    "manage_proposal",
    "manage_settings",
    "my_reviews_export",
    "notify",
    "pool_member",
    "profile",
    "proposal",
    "ranking",
    "results_publish",
    "review_autosave",
    "run",
    "run_start",
]
