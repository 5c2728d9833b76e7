"""The predicates of open calls: small yes/no questions about a user and an object.

A leaf module: ``rules.py`` combines these into permissions, and the evaluation's predicates
build on them; they import models and enums only, so nothing imports back into them.
"""

import rules

from ai4media_portal.core.predicates import is_call_manager, is_superuser

from .enums import CallStage

# Call managers manage calls; superusers keep this power explicitly (an admin account runs the
# calls where no call manager is appointed). It never makes them an applicant: the applicant's
# permissions ask ``is_proposal_owner`` alone.
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
