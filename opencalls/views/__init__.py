"""Pages of open calls: the public calls and funded projects, the applicant portal, and the
call managers' tools. Every write goes through ``services``; every lookup of a confidential
object goes through a selector filtered for the user, so a guessed id gives 404.

One module per concept; this package re-exports the views.
"""

from .calls import call_copy, call_create, call_edit, call_stage, manage_calls, manage_proposals
from .common import PAGE_SIZE
from .decisions import decision
from .projects import (
    deliverable_add,
    deliverable_file,
    deliverable_review,
    deliverable_upload,
    demoday_record,
    fund,
    manage_projects,
    output_add,
    output_remove,
    project_detail,
    project_update,
    support_log,
    tranche_release,
)
from .proposals import (
    DraftForms,
    clarification_answer,
    my_proposals,
    proposal_autosave,
    proposal_detail,
    proposal_document,
    proposal_document_upload,
    proposal_edit,
    proposal_start,
    proposal_withdraw,
    version_document,
)
from .public import call_detail, index, projects
from .screening import screening

__all__ = [
    "PAGE_SIZE",
    "DraftForms",
    "call_copy",
    "call_create",
    "call_detail",
    "call_edit",
    "call_stage",
    "clarification_answer",
    "decision",
    "deliverable_add",
    "deliverable_file",
    "deliverable_review",
    "deliverable_upload",
    "demoday_record",
    "fund",
    "index",
    "manage_calls",
    "manage_projects",
    "manage_proposals",
    "my_proposals",
    "output_add",
    "output_remove",
    "project_detail",
    "project_update",
    "projects",
    "proposal_autosave",
    "proposal_detail",
    "proposal_document",
    "proposal_document_upload",
    "proposal_edit",
    "proposal_start",
    "proposal_withdraw",
    "screening",
    "support_log",
    "tranche_release",
    "version_document",
]
