"""Who may do what in the evaluation. Call managers manage; evaluators act on what they are
assigned and not conflicted on, in a call whose pool they joined; applicants read their
Evaluation Summary Report once the results are published.

The predicates on proposals ask ``selectors.evaluator_assignments``, the one place that
decides what an evaluator may see, so pages, documents, the API and exports agree.
"""

import rules

from ..enums import CallStage
from ..rules import is_manager, is_proposal_owner


@rules.predicate
def is_assigned_evaluator(user, proposal) -> bool:
    from .selectors.assignments import evaluator_assignments

    if proposal is None:
        return False
    return evaluator_assignments(user=user).filter(proposal=proposal).exists()


@rules.predicate
def is_rapporteur(user, report) -> bool:
    from .selectors.assignments import evaluator_assignments

    if report is None or not (user and user.is_authenticated) or report.rapporteur_id != user.pk:
        return False
    return evaluator_assignments(user=user).filter(proposal_id=report.proposal_id).exists()


@rules.predicate
def is_own_assignment(user, assignment) -> bool:
    return bool(user and user.is_authenticated and assignment.evaluator_id == user.pk)


@rules.predicate
def is_own_review(user, review) -> bool:
    return bool(user and user.is_authenticated and review.assignment.evaluator_id == user.pk)


@rules.predicate
def results_published(user, proposal) -> bool:
    return proposal is not None and proposal.call.stage == CallStage.RESULTS_PUBLISHED


@rules.predicate
def owns_interviewed_proposal(user, interview) -> bool:
    return interview is not None and is_proposal_owner(user, interview.proposal)


rules.add_perm("opencalls.manage_evaluation", is_manager)
rules.add_perm("opencalls.review_proposal", is_assigned_evaluator)
# API lists are filtered to the evaluator's own visible assignments and reviews.
rules.add_perm("opencalls.list_evaluation", rules.is_authenticated)
rules.add_perm("opencalls.view_assignment", is_own_assignment)
rules.add_perm("opencalls.view_review", is_own_review)
rules.add_perm("opencalls.write_consensus", is_rapporteur | is_manager)
rules.add_perm("opencalls.view_esr", (is_proposal_owner & results_published) | is_manager)
rules.add_perm("opencalls.book_interview", owns_interviewed_proposal | is_manager)
