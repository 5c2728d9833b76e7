"""Who may do what in open calls. Views, the API and services ask these same permissions.

Call managers (and superusers) manage everything; applicants see only their own proposals;
funded projects' teams see their own follow-up. Staff without the call-manager role get no
access to confidential proposal data here.
"""

import rules

from ai4media_portal.core.predicates import is_call_manager

from .enums import CallStage


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


is_manager = is_call_manager | is_superuser


@rules.predicate
def is_published_call(user, call) -> bool:
    return call is not None and call.stage != CallStage.DRAFT


@rules.predicate
def is_proposal_owner(user, proposal) -> bool:
    return bool(user and user.is_authenticated and proposal.applicant_id == user.pk)


@rules.predicate
def is_project_team(user, project) -> bool:
    return project is not None and project.is_team_member(user)


@rules.predicate
def is_deliverable_team(user, deliverable) -> bool:
    return deliverable is not None and deliverable.project.is_team_member(user)


rules.add_perm("opencalls.manage_calls", is_manager)
rules.add_perm("opencalls.view_call", is_published_call | is_manager)
rules.add_perm("opencalls.start_proposal", rules.is_authenticated)

rules.add_perm("opencalls.list_proposals", rules.is_authenticated)
# The evaluation engine widens the next two with its "assigned, not conflicted" predicate:
# rules.set_perm("opencalls.view_proposal", old | is_assigned_evaluator).
rules.add_perm("opencalls.view_proposal", is_proposal_owner | is_manager)
rules.add_perm("opencalls.download_proposal_document", is_proposal_owner | is_manager)
rules.add_perm("opencalls.change_proposal", is_proposal_owner)
rules.add_perm("opencalls.submit_proposal", is_proposal_owner)
rules.add_perm("opencalls.withdraw_proposal", is_proposal_owner)
rules.add_perm("opencalls.answer_clarification", is_proposal_owner)
rules.add_perm("opencalls.screen_proposal", is_manager)
rules.add_perm("opencalls.decide_proposal", is_manager)
rules.add_perm("opencalls.export_proposals", is_manager)

rules.add_perm("opencalls.view_project", rules.always_allow)
rules.add_perm("opencalls.follow_project", is_project_team | is_manager)
rules.add_perm("opencalls.manage_project", is_manager)
rules.add_perm("opencalls.upload_deliverable", is_deliverable_team)
rules.add_perm("opencalls.download_deliverable", is_deliverable_team | is_manager)
rules.add_perm("opencalls.review_deliverable", is_manager)
rules.add_perm("opencalls.add_output", is_project_team | is_manager)

# The evaluation's permissions (assigned evaluators, rapporteurs, Evaluation Summary Reports).
from .evaluation import rules as evaluation_rules  # noqa: E402, F401
