"""Open calls: calls for proposals, proposals and their immutable versions, eligibility
screening, and the projects funded from selected proposals.

One module per concept; the evaluation's models (``opencalls/evaluation/models.py``) are
imported here too, which makes them part of this app and its migrations.
"""

# The evaluation's models come last: they refer to the models above.
from ..evaluation.models import (
    Assignment,
    AssignmentRun,
    Conflict,
    ConsensusReport,
    ConsensusScore,
    EvaluationSettings,
    EvaluatorProfile,
    Interview,
    InterviewSlot,
    Invitation,
    PoolMember,
    Review,
    ReviewReminder,
    ReviewScore,
)
from .calls import (
    Call,
    CallFaq,
    CallQuerySet,
    Challenge,
    EligibilityItem,
    EvaluationCriterion,
    Track,
    guide_path,
    validate_timezone_name,
)
from .common import MONEY
from .projects import (
    Deliverable,
    DeliverableReminder,
    DeliverableSubmission,
    DemoDayPitch,
    FundedProject,
    OutputLink,
    SupportSession,
    Tranche,
    deliverable_file_path,
)
from .proposals import (
    EligibilityCheck,
    EligibilityScreening,
    Proposal,
    ProposalBudgetLine,
    ProposalMilestone,
    ProposalTeamMember,
    ProposalVersion,
    proposal_document_path,
    version_document_path,
)

__all__ = [
    "MONEY",
    "Assignment",
    "AssignmentRun",
    "Call",
    "CallFaq",
    "CallQuerySet",
    "Challenge",
    "Conflict",
    "ConsensusReport",
    "ConsensusScore",
    "Deliverable",
    "DeliverableReminder",
    "DeliverableSubmission",
    "DemoDayPitch",
    "EligibilityCheck",
    "EligibilityItem",
    "EligibilityScreening",
    "EvaluationCriterion",
    "EvaluationSettings",
    "EvaluatorProfile",
    "FundedProject",
    "Interview",
    "InterviewSlot",
    "Invitation",
    "OutputLink",
    "PoolMember",
    "Proposal",
    "ProposalBudgetLine",
    "ProposalMilestone",
    "ProposalTeamMember",
    "ProposalVersion",
    "Review",
    "ReviewReminder",
    "ReviewScore",
    "SupportSession",
    "Track",
    "Tranche",
    "deliverable_file_path",
    "guide_path",
    "proposal_document_path",
    "validate_timezone_name",
    "version_document_path",
]
