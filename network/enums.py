"""The network's vocabularies and the associate-membership workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    UNIVERSITY = "university", _("University")
    RESEARCH_CENTRE = "research-centre", _("Research centre")
    SME = "sme", _("SME")
    LARGE_COMPANY = "large-company", _("Large company")
    MEDIA = "media", _("Media organisation")
    PUBLIC_SECTOR = "public-sector", _("Public sector")
    NGO = "ngo", _("NGO")
    EU_PROJECT = "eu-project", _("EU project or initiative")
    OTHER = "other", _("Other")


class NetworkRole(models.TextChoices):
    """What an organisation is in the network; an organisation can hold several at once."""

    COORDINATOR = "coordinator", _("Coordinator")
    CONSORTIUM_PARTNER = "consortium-partner", _("Consortium partner")
    ASSOCIATE_MEMBER = "associate-member", _("Associate member")
    OPEN_CALL_BENEFICIARY = "open-call-beneficiary", _("Open-call beneficiary")
    FELLOWS_HOST = "fellows-host", _("Fellows host")
    AIDA_MEMBER = "aida-member", _("AIDA member")


class Benefit(models.TextChoices):
    """What an organisation hopes to gain from associate membership."""

    COLLABORATION = "collaboration", _("Collaboration with consortium members")
    AI_RESOURCES = "ai-resources", _("AI resources and know-how")
    OPEN_CALL_FUNDING = "open-call-funding", _("Open-call funding")
    FIRST_INFORMATION = "first-information", _("First information on activities")
    EARLY_DEMONSTRATORS = "early-demonstrators", _("Testing early demonstrators")
    VISIBILITY = "visibility", _("Visibility through the network's channels")
    STAFF_EXCHANGES = "staff-exchanges", _("Staff exchanges")
    AIDA_COURSES = "aida-courses", _("AIDA courses")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under-review", _("Under review")
    INFORMATION_REQUESTED = "information-requested", _("More information requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus

# draft → submitted → under review → information requested ⇄ resubmitted → approved | rejected;
# the applicant may withdraw at any point before a decision.
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.INFORMATION_REQUESTED, S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.INFORMATION_REQUESTED: {S.RESUBMITTED, S.WITHDRAWN},
    S.RESUBMITTED: {S.INFORMATION_REQUESTED, S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.APPROVED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}

# The applicant may change the content of the application only in these states.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.INFORMATION_REQUESTED})
# Waiting for a network manager to act.
AWAITING_MANAGER_STATUSES = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.RESUBMITTED})
# Still open: neither decided nor withdrawn.
OPEN_STATUSES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.RESUBMITTED}
)
DECIDED_STATUSES = frozenset({S.APPROVED, S.REJECTED})

del S
