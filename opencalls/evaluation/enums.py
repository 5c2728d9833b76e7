"""States of the evaluation: evaluator pools, invitations, conflicts, assignments and their
runs, reviews, consensus reports and interviews, with the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ProposalStatus

PS = ProposalStatus
# Proposals that take evaluators: eligible ones and those already under evaluation.
ASSIGNABLE_STATES = frozenset({PS.ELIGIBLE, PS.UNDER_EVALUATION})
# Proposals evaluators work on (or have decided) while the call is under evaluation.
EVALUATED_STATES = frozenset(
    {PS.UNDER_EVALUATION, PS.INTERVIEW, PS.SELECTED, PS.RESERVE, PS.REJECTED}
)


class PoolStatus(models.TextChoices):
    """An evaluator's place in one call's pool. ``INVITED`` until they accept the terms."""

    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


POOL_TRANSITIONS = {
    PoolStatus.INVITED: {PoolStatus.ACCEPTED, PoolStatus.DECLINED},
    # A new invitation brings someone who declined back to "invited".
    PoolStatus.DECLINED: {PoolStatus.INVITED},
    PoolStatus.ACCEPTED: set(),
}


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    CLAIMED = "claimed", _("Opened by the invitee")
    REVOKED = "revoked", _("Revoked")


INVITATION_TRANSITIONS = {
    # A new invitation to the same address revokes the pending one.
    InvitationStatus.PENDING: {InvitationStatus.CLAIMED, InvitationStatus.REVOKED},
    InvitationStatus.CLAIMED: set(),
    InvitationStatus.REVOKED: set(),
}


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the evaluator")
    DETECTED = "detected", _("Detected automatically")


class ConflictReason(models.TextChoices):
    SAME_ORGANISATION = "same-organisation", _("Same organisation as the applicant")
    TEAM_MEMBER = "team-member", _("Named in the proposal's team")
    APPLICANT = "applicant", _("The applicant themself")
    ORGANISATION_CONTACT = "organisation-contact", _("Contact of the applicant organisation")
    COLLABORATOR = "collaborator", _("Declared collaborator")
    DECLARED = "declared", _("Declared by the evaluator")


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", _("By hand")
    AUTOMATIC = "automatic", _("Automatic")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Not possible")


RUN_TRANSITIONS = {
    RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED},
    RunStatus.RUNNING: {RunStatus.SUCCEEDED, RunStatus.FAILED},
    RunStatus.SUCCEEDED: set(),
    RunStatus.FAILED: set(),
}
ACTIVE_RUN_STATES = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})


class RunProgress(models.TextChoices):
    """Where an automatic assignment run is, or how it ended: stored as a code, worded in the
    reader's language. The engine's steps (``engine.assignment.STEP_*``) have the same codes."""

    QUEUED = "queued", _("Waiting for a worker")
    DETECTING = "detecting", _("Detecting conflicts of interest")
    READING = "reading", _("Reading proposals and evaluators")
    AFFINITIES = "affinities", _("Computing affinities")
    CHECKING = "checking", _("Checking conflicts, locks and capacities")
    OPTIMISING = "optimising", _("Finding the highest possible total affinity")
    BALANCING = "balancing", _("Balancing evaluator loads")
    VERIFYING = "verifying", _("Checking the assignment")
    SAVING = "saving", _("Saving the assignment")
    DONE = "done", _("Done")
    NOTHING = "nothing", _("Nothing to assign.")
    IMPOSSIBLE = "impossible", _("No assignment is possible.")
    CRASHED = "crashed", _("The run failed unexpectedly.")
    CHANGED = "changed", _("Assignments changed during the run.")
    STALE = "stale", _("The run stopped without finishing.")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


REVIEW_TRANSITIONS = {ReviewStatus.DRAFT: {ReviewStatus.SUBMITTED}, ReviewStatus.SUBMITTED: set()}


class ConsensusStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


CONSENSUS_TRANSITIONS = {
    ConsensusStatus.DRAFT: {ConsensusStatus.FINAL},
    # A call manager may reopen a final report until the decisions are taken.
    ConsensusStatus.FINAL: {ConsensusStatus.DRAFT},
}


class InterviewStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    BOOKED = "booked", _("Slot booked")
    HELD = "held", _("Held")


INTERVIEW_TRANSITIONS = {
    # The panel may also record an interview arranged outside the portal.
    InterviewStatus.INVITED: {InterviewStatus.BOOKED, InterviewStatus.HELD},
    InterviewStatus.BOOKED: {InterviewStatus.BOOKED, InterviewStatus.HELD},
    InterviewStatus.HELD: set(),
}


class TieBreakLast(models.TextChoices):
    """What separates proposals still tied after the criteria (in the criteria's order)."""

    SUBMITTED_AT = "submitted_at", _("Earlier submission first")
    REQUESTED_FUNDING = "requested_funding", _("Smaller funding request first")


class ReviewReminderKind(models.TextChoices):
    THREE_DAYS = "3-days", _("Due in three days")
    ONE_DAY = "1-day", _("Due tomorrow")
    OVERDUE = "overdue", _("Overdue (managers' list)")
