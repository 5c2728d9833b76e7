"""Every write of the evaluation. Views, the API, admin actions and Celery tasks call these.

Each service checks the actor's permission, runs in a transaction, locks the rows it
changes, validates, records the action in the audit log (``opencalls.evaluation.*``) and
queues its emails (sent after commit). The arithmetic (affinity, the optimal assignment,
score validation, consensus suggestions, ranking) is the engine's.

Confidentiality is kept by construction: emails and pages that applicants read are built from
the consensus report, never from reviews, so no evaluator is ever named to them.

One module per concept; this package re-exports their public names.
"""

from .assignments import (
    assignment_add,
    assignment_extend,
    assignment_lock,
    assignment_remove,
    assignments_notify,
)
from .call_settings import settings_update
from .common import score_error_message
from .conflicts import (
    conflict_confirm,
    conflict_declare,
    conflict_declare_organisation,
    conflict_dismiss,
    conflicts_detect,
)
from .consensus import (
    consensus_finalise,
    consensus_reopen,
    consensus_save,
    consensus_set_rapporteur,
)
from .decisions import decisions_apply, results_publish
from .interviews import interview_book, interview_record, interview_slot_add, interviews_invite
from .pool import (
    INVITATION_DAYS,
    InvitationSent,
    evaluator_invite,
    evaluator_profile_save,
    invitation_claim,
    invitation_for_token,
    invitation_problem,
    invitation_revoke,
    pool_accept,
    pool_decline,
    pool_update,
)
from .reminders import review_reminders_send
from .reviews import review_deadline, review_save_draft, review_set_aside, review_submit
from .runs import STALE_RUN, assignment_run_execute, assignment_run_start
from .scores import DraftOutcome

__all__ = [
    "INVITATION_DAYS",
    "STALE_RUN",
    "DraftOutcome",
    "InvitationSent",
    "assignment_add",
    "assignment_extend",
    "assignment_lock",
    "assignment_remove",
    "assignment_run_execute",
    "assignment_run_start",
    "assignments_notify",
    "conflict_confirm",
    "conflict_declare",
    "conflict_declare_organisation",
    "conflict_dismiss",
    "conflicts_detect",
    "consensus_finalise",
    "consensus_reopen",
    "consensus_save",
    "consensus_set_rapporteur",
    "decisions_apply",
    "evaluator_invite",
    "evaluator_profile_save",
    "interview_book",
    "interview_record",
    "interview_slot_add",
    "interviews_invite",
    "invitation_claim",
    "invitation_for_token",
    "invitation_problem",
    "invitation_revoke",
    "pool_accept",
    "pool_decline",
    "pool_update",
    "results_publish",
    "review_deadline",
    "review_reminders_send",
    "review_save_draft",
    "review_set_aside",
    "review_submit",
    "score_error_message",
    "settings_update",
]
