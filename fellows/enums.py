"""The programme's vocabularies, the exchange workflow and the budget ledger's entry kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """How the fellow takes part: at the host (physical), from home (virtual) or both."""

    PHYSICAL = "physical", _("Physical")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


# The modes with a physical part: only these are funded by the mobility budget.
MODES_WITH_TRAVEL = frozenset({Mode.PHYSICAL, Mode.HYBRID})


class CareerStage(models.TextChoices):
    """The stages of the European Framework for Research Careers (R1 to R2 are early-career)."""

    MASTERS = "masters", _("Master's student")
    PHD = "phd", _("PhD candidate (R1)")
    POSTDOC = "postdoc", _("Postdoctoral researcher (R2)")
    EARLY_ENGINEER = "engineer", _("Early-career engineer")


class Side(models.TextChoices):
    """The two organisations of an exchange."""

    SENDER = "sender", _("Sender")
    HOST = "host", _("Host")


class ExchangeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed by sender and host")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in-progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REPORT_SUBMITTED = "report-submitted", _("Report submitted")
    REPORT_ACCEPTED = "report-accepted", _("Report accepted")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ExchangeStatus

# draft → submitted → confirmed (once the sender's and the host's supervisors have both
# confirmed the current version, in either order) → approved | rejected → in progress →
# completed → report submitted → report accepted → closed. A supervisor's decline sends a
# submitted application back to draft (with the reason); a change of dates or budget after a
# confirmation sends a confirmed one back to submitted. The fellow may withdraw at any point
# before completion.
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.CONFIRMED, S.DRAFT, S.WITHDRAWN},
    S.CONFIRMED: {S.APPROVED, S.REJECTED, S.SUBMITTED, S.DRAFT, S.WITHDRAWN},
    S.APPROVED: {S.IN_PROGRESS, S.WITHDRAWN},
    S.IN_PROGRESS: {S.COMPLETED, S.WITHDRAWN},
    S.COMPLETED: {S.REPORT_SUBMITTED},
    S.REPORT_SUBMITTED: {S.REPORT_ACCEPTED, S.COMPLETED},
    S.REPORT_ACCEPTED: {S.CLOSED},
    S.REJECTED: set(),
    S.CLOSED: set(),
    S.WITHDRAWN: set(),
}

# The fellow may change the application (a change after a confirmation starts a new version).
EDITABLE_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.CONFIRMED})
# Waiting for the supervisors' confirmations.
AWAITING_CONFIRMATION_STATUSES = frozenset({S.SUBMITTED})
# Approved and not withdrawn: the exchange holds a commitment of the mobility budget.
FUNDED_STATUSES = frozenset(
    {S.APPROVED, S.IN_PROGRESS, S.COMPLETED, S.REPORT_SUBMITTED, S.REPORT_ACCEPTED, S.CLOSED}
)
# Done: the exchange has happened; its public page exists.
COMPLETED_STATUSES = frozenset({S.COMPLETED, S.REPORT_SUBMITTED, S.REPORT_ACCEPTED, S.CLOSED})
WITHDRAWABLE_STATUSES = frozenset(
    {state for state, targets in TRANSITIONS.items() if S.WITHDRAWN in targets}
)

del S


class LedgerKind(models.TextChoices):
    """A line of the mobility budget's ledger. Commitments and adjustments make up what is
    committed; payments what is paid."""

    COMMITMENT = "commitment", _("Commitment")
    ADJUSTMENT = "adjustment", _("Adjustment")
    PAYMENT = "payment", _("Payment")


class OutcomeKind(models.TextChoices):
    PAPER = "paper", _("Paper")
    SOFTWARE = "software", _("Software")
    DATASET = "dataset", _("Dataset")
    OTHER = "other", _("Other")


class TestimonialStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", _("Published")


TESTIMONIAL_TRANSITIONS = {
    TestimonialStatus.PENDING: {TestimonialStatus.PUBLISHED},
    TestimonialStatus.PUBLISHED: set(),
}


class ReminderKind(models.TextChoices):
    WEEK_BEFORE = "week-before", _("A week before the report is due")
    DUE_DAY = "due-day", _("On the day the report is due")
