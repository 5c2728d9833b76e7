"""Who may do what in the evaluation. Call managers manage; evaluators act on what they are
assigned and not conflicted on, in a call whose pool they joined; applicants read their
Evaluation Summary Report once the results are published.

The predicates on proposals ask ``predicates.visible_assignments``, the one place that
decides what an evaluator may see, so pages, documents, the API and exports agree. This
module is loaded by ``OpencallsConfig.ready()``.
"""

import rules

from ..predicates import is_manager, is_proposal_owner
from .predicates import (
    has_submitted_own_review,
    is_assigned_evaluator,
    is_own_assignment,
    is_own_review,
    is_rapporteur,
    owns_interviewed_proposal,
    results_published,
)

rules.add_perm("opencalls.manage_evaluation", is_manager)
rules.add_perm("opencalls.review_proposal", is_assigned_evaluator)
# API lists are filtered to the evaluator's own visible assignments and reviews.
rules.add_perm("opencalls.list_evaluation", rules.is_authenticated)
rules.add_perm("opencalls.view_assignment", is_own_assignment)
rules.add_perm("opencalls.view_review", is_own_review)
# The blind-review rule: the other reviews of the proposal, once one's own is submitted.
rules.add_perm("opencalls.read_peer_reviews", is_own_assignment & has_submitted_own_review)
rules.add_perm("opencalls.write_consensus", is_rapporteur | is_manager)
rules.add_perm("opencalls.view_esr", (is_proposal_owner & results_published) | is_manager)
rules.add_perm("opencalls.book_interview", owns_interviewed_proposal | is_manager)
