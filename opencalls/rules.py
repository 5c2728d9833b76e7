"""Who may do what in open calls. Views, the API and services ask these same permissions.

Call managers (and superusers, explicitly: ``predicates.is_manager``) manage everything;
applicants see only their own proposals; funded projects' teams see their own follow-up. Staff
without the call-manager role get no access to confidential proposal data here. Nobody screens
or decides on their own case: a proposal they applied for, are in the team of or speak for the
organisation of (``Proposal.is_party`` through ``core.predicates.is_own_case``).

The predicates live in ``predicates.py``. django-rules' autodiscovery loads this module; the
evaluation's permissions (``evaluation/rules.py``) are loaded by ``OpencallsConfig.ready()``.
"""

import rules

from ai4media_portal.core.predicates import is_own_case

from .predicates import (
    is_deliverable_team,
    is_manager,
    is_project_team,
    is_proposal_owner,
    is_published_call,
)

rules.add_perm("opencalls.manage_calls", is_manager)
rules.add_perm("opencalls.view_call", is_published_call | is_manager)
rules.add_perm("opencalls.start_proposal", rules.is_authenticated)

rules.add_perm("opencalls.list_proposals", rules.is_authenticated)
rules.add_perm("opencalls.view_proposal", is_proposal_owner | is_manager)
rules.add_perm("opencalls.download_proposal_document", is_proposal_owner | is_manager)
rules.add_perm("opencalls.change_proposal", is_proposal_owner)
rules.add_perm("opencalls.submit_proposal", is_proposal_owner)
rules.add_perm("opencalls.withdraw_proposal", is_proposal_owner)
rules.add_perm("opencalls.answer_clarification", is_proposal_owner)
rules.add_perm("opencalls.screen_proposal", is_manager & ~is_own_case)
rules.add_perm("opencalls.decide_proposal", is_manager & ~is_own_case)
rules.add_perm("opencalls.export_proposals", is_manager)

rules.add_perm("opencalls.view_project", rules.always_allow)
rules.add_perm("opencalls.follow_project", is_project_team | is_manager)
rules.add_perm("opencalls.manage_project", is_manager)
rules.add_perm("opencalls.upload_deliverable", is_deliverable_team)
rules.add_perm("opencalls.download_deliverable", is_deliverable_team | is_manager)
rules.add_perm("opencalls.review_deliverable", is_manager)
rules.add_perm("opencalls.add_output", is_project_team | is_manager)
