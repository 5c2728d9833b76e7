"""States of calls, proposals and funded projects, and the moves between them.

The evaluation engine extends ``TRANSITIONS`` (see ``ProposalStatus``): the states it needs
are declared here already so that it adds behaviour, not database choices.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStage(models.TextChoices):
    """What a call manager sets. Between publication and evaluation the dates decide."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    UNDER_EVALUATION = "under-evaluation", _("Under evaluation")
    RESULTS_PUBLISHED = "results-published", _("Results published")


CALL_STAGE_TRANSITIONS = {
    CallStage.DRAFT: {CallStage.PUBLISHED},
    # Unpublishing is only possible before the call opens (the service checks the date).
    CallStage.PUBLISHED: {CallStage.DRAFT, CallStage.UNDER_EVALUATION},
    CallStage.UNDER_EVALUATION: {CallStage.RESULTS_PUBLISHED},
    CallStage.RESULTS_PUBLISHED: set(),
}


class CallStatus(models.TextChoices):
    """What everyone sees: the stage, with "published" resolved against the dates."""

    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    UNDER_EVALUATION = "under-evaluation", _("Under evaluation")
    RESULTS_PUBLISHED = "results-published", _("Results published")


class TrackKind(models.TextChoices):
    RESEARCH = "research", _("Research")
    APPLICATION = "application", _("Application")


class OrganisationType(models.TextChoices):
    UNIVERSITY = "university", _("University or higher-education institution")
    RESEARCH = "research", _("Research centre")
    SME = "sme", _("SME or start-up")
    COMPANY = "company", _("Large company")
    PUBLIC = "public", _("Public-sector organisation")
    NGO = "ngo", _("NGO or civil-society organisation")
    OTHER = "other", _("Other")


class BudgetCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    EQUIPMENT = "equipment", _("Equipment")
    TRAVEL = "travel", _("Travel")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    OTHER = "other", _("Other costs")


class ProposalStatus(models.TextChoices):
    """A proposal's path: draft → submitted → screening → eligible → (evaluation) → decision.

    ``UNDER_EVALUATION`` and ``INTERVIEW`` belong to the evaluation engine; until it lands a
    call manager decides eligible proposals by hand.
    """

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SCREENING = "screening", _("Eligibility check")
    CLARIFICATION_REQUESTED = "clarification", _("Clarification requested")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    UNDER_EVALUATION = "under-evaluation", _("Under evaluation")
    INTERVIEW = "interview", _("Invited to interview")
    SELECTED = "selected", _("Selected for funding")
    RESERVE = "reserve", _("Reserve list")
    REJECTED = "rejected", _("Not selected")


PS = ProposalStatus

DECISION_STATES = frozenset({PS.SELECTED, PS.RESERVE, PS.REJECTED})
# The states a decision may be taken from: by hand from ELIGIBLE now, by the engine from
# UNDER_EVALUATION / INTERVIEW later, and a reserve proposal may still move up or out.
DECIDABLE_STATES = frozenset({PS.ELIGIBLE, PS.UNDER_EVALUATION, PS.INTERVIEW, PS.RESERVE})
# Proposals that an organisation "has submitted" for the one-proposal-per-organisation rule.
ACTIVE_SUBMITTED_STATES = frozenset(set(PS) - {PS.DRAFT, PS.WITHDRAWN})
EDITABLE_STATES = frozenset({PS.DRAFT, PS.SUBMITTED})

TRANSITIONS: dict[ProposalStatus, set[ProposalStatus]] = {
    PS.DRAFT: {PS.SUBMITTED, PS.WITHDRAWN},
    PS.SUBMITTED: {
        PS.SUBMITTED,  # a resubmission before the deadline: a new version
        PS.WITHDRAWN,
        PS.SCREENING,
        PS.CLARIFICATION_REQUESTED,
        PS.ELIGIBLE,
        PS.INELIGIBLE,
    },
    PS.SCREENING: {PS.CLARIFICATION_REQUESTED, PS.ELIGIBLE, PS.INELIGIBLE},
    PS.CLARIFICATION_REQUESTED: {PS.SCREENING, PS.ELIGIBLE, PS.INELIGIBLE},
    PS.ELIGIBLE: {PS.UNDER_EVALUATION, PS.SELECTED, PS.RESERVE, PS.REJECTED},
    PS.UNDER_EVALUATION: {PS.INTERVIEW, PS.SELECTED, PS.RESERVE, PS.REJECTED},
    PS.INTERVIEW: {PS.SELECTED, PS.RESERVE, PS.REJECTED},
    PS.RESERVE: {PS.SELECTED, PS.REJECTED},
    PS.INELIGIBLE: set(),
    PS.WITHDRAWN: set(),
    PS.SELECTED: set(),
    PS.REJECTED: set(),
}


class ScreeningOutcome(models.TextChoices):
    PENDING = "pending", _("Not decided")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    CLARIFICATION = "clarification", _("Clarification requested")


class ProjectStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class TrancheStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for deliverables")
    REQUESTED = "requested", _("Payment requested")
    RELEASED = "released", _("Released")


TRANCHE_TRANSITIONS = {
    TrancheStatus.PENDING: {TrancheStatus.REQUESTED},
    # A deliverable sent back for changes takes an unpaid tranche back to pending.
    TrancheStatus.REQUESTED: {TrancheStatus.RELEASED, TrancheStatus.PENDING},
    TrancheStatus.RELEASED: set(),
}


class DeliverableKind(models.TextChoices):
    DELIVERABLE = "deliverable", _("Deliverable")
    MILESTONE = "milestone", _("Milestone")
    REPORT = "report", _("Report")


class DeliverableStatus(models.TextChoices):
    PENDING = "pending", _("Due")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes", _("Changes requested")
    APPROVED = "approved", _("Approved")


DELIVERABLE_TRANSITIONS = {
    DeliverableStatus.PENDING: {DeliverableStatus.SUBMITTED},
    DeliverableStatus.SUBMITTED: {
        DeliverableStatus.SUBMITTED,  # a corrected file before the review
        DeliverableStatus.APPROVED,
        DeliverableStatus.CHANGES_REQUESTED,
    },
    DeliverableStatus.CHANGES_REQUESTED: {DeliverableStatus.SUBMITTED},
    DeliverableStatus.APPROVED: set(),
}
# What the beneficiary still owes: reminders and overdue digests are about these.
OUTSTANDING_DELIVERABLE_STATES = frozenset(
    {DeliverableStatus.PENDING, DeliverableStatus.CHANGES_REQUESTED}
)


class SupportKind(models.TextChoices):
    COACHING = "coaching", _("Coaching session")
    BOOTCAMP = "bootcamp", _("Bootcamp")
    BUSINESS = "business", _("Business support")


class OutputKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    DATASET = "dataset", _("Dataset")
    SOFTWARE = "software", _("Software")
    DEMO = "demo", _("Demo")
    OTHER = "other", _("Other")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due-soon", _("Due in a week")
    DUE_TOMORROW = "due-tomorrow", _("Due tomorrow")
    OVERDUE = "overdue", _("Overdue (managers' digest)")
