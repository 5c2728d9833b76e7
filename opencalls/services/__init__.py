"""Every write in open calls. Views, the API, admin actions and Celery tasks call these.

Each service checks the actor's permission, runs in a transaction, locks the rows it changes,
validates, saves with ``update_fields``, records the action in the audit log and queues its
emails (sent after commit).

One module per concept; this package re-exports their public names.
"""

from .calls import (
    call_copy,
    call_create,
    call_publication_problems,
    call_save_structure,
    call_set_stage,
    call_update,
)
from .common import _local
from .decisions import DECISION_TEMPLATES, proposal_decide
from .deliverables import (
    DELIVERABLE_MAX_BYTES,
    deliverable_add,
    deliverable_review,
    deliverable_submit,
)
from .follow_up import demo_day_record, output_link_add, output_link_remove, support_session_log
from .projects import (
    DEFAULT_TRANCHES,
    DIRECTORY_TYPES,
    add_months,
    funded_project_create,
    funded_project_update,
    tranche_release,
)
from .proposals import (
    proposal_problems,
    proposal_save_draft,
    proposal_snapshot,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
    registration_key,
)
from .reminders import reminders_send
from .screening import SCREENING_STATES, CheckInput, clarification_answer, proposal_screen
from .workflow import proposal_set_status

__all__ = [
    "DECISION_TEMPLATES",
    "DEFAULT_TRANCHES",
    "DELIVERABLE_MAX_BYTES",
    "DIRECTORY_TYPES",
    "SCREENING_STATES",
    "CheckInput",
    "_local",
    "add_months",
    "call_copy",
    "call_create",
    "call_publication_problems",
    "call_save_structure",
    "call_set_stage",
    "call_update",
    "clarification_answer",
    "deliverable_add",
    "deliverable_review",
    "deliverable_submit",
    "demo_day_record",
    "funded_project_create",
    "funded_project_update",
    "output_link_add",
    "output_link_remove",
    "proposal_decide",
    "proposal_problems",
    "proposal_save_draft",
    "proposal_screen",
    "proposal_set_status",
    "proposal_snapshot",
    "proposal_start",
    "proposal_submit",
    "proposal_withdraw",
    "registration_key",
    "reminders_send",
    "support_session_log",
    "tranche_release",
]
