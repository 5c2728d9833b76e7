"""The Observatory's vocabularies and the editorial workflow of its content."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentKind(models.TextChoices):
    NEWS = "news", _("News")
    ANALYSIS = "analysis", _("Analysis")
    EXPERT_PERSPECTIVE = "expert-perspective", _("Expert perspective")
    RESEARCH_SUMMARY = "research-summary", _("Research summary")
    POLICY_ANALYSIS = "policy-analysis", _("Policy analysis")
    INTERVIEW_VIDEO = "interview-video", _("Interview / video")
    REPORT = "report", _("Report")
    EVENT = "event", _("Event")


class ContentLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    GREEK = "el", _("Greek")
    ITALIAN = "it", _("Italian")
    SPANISH = "es", _("Spanish")
    DUTCH = "nl", _("Dutch")
    PORTUGUESE = "pt", _("Portuguese")
    POLISH = "pl", _("Polish")


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in-review", _("In review")
    CHANGES_REQUESTED = "changes-requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    ARCHIVED = "archived", _("Archived")


S = ContentStatus

# draft → in review → changes requested → in review → approved → scheduled | published →
# unpublished | archived. A scheduled item can be taken back to approved before it goes live;
# an unpublished one can be published again or reworked as a draft.
TRANSITIONS = {
    S.DRAFT: {S.IN_REVIEW, S.ARCHIVED},
    S.IN_REVIEW: {S.CHANGES_REQUESTED, S.APPROVED},
    S.CHANGES_REQUESTED: {S.IN_REVIEW, S.ARCHIVED},
    S.APPROVED: {S.SCHEDULED, S.PUBLISHED, S.CHANGES_REQUESTED},
    S.SCHEDULED: {S.PUBLISHED, S.APPROVED},
    S.PUBLISHED: {S.UNPUBLISHED, S.ARCHIVED},
    S.UNPUBLISHED: {S.PUBLISHED, S.DRAFT, S.ARCHIVED},
    S.ARCHIVED: set(),
}

# The author may change their text only in these states; editors in every state but archived.
AUTHOR_EDITABLE_STATUSES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
EDITOR_EDITABLE_STATUSES = frozenset(set(S) - {S.ARCHIVED})
# Waiting for an editor.
AWAITING_EDITOR_STATUSES = frozenset({S.IN_REVIEW, S.APPROVED, S.SCHEDULED})

del S


class ProposalStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# A proposal is decided once: accepted (a draft is made and assigned to an editor) or declined
# with a reply to the proposer.
PROPOSAL_TRANSITIONS = {
    ProposalStatus.NEW: {ProposalStatus.ACCEPTED, ProposalStatus.DECLINED},
    ProposalStatus.ACCEPTED: set(),
    ProposalStatus.DECLINED: set(),
}


class RegulationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in-force", _("In force, applying in stages")
    APPLICABLE = "applicable", _("Applicable")
    REPEALED = "repealed", _("Repealed")


class MilestoneKind(models.TextChoices):
    STEP = "step", _("Legislative step")
    APPLICATION = "application", _("Rules start to apply")
    PROPOSED_CHANGE = "proposed-change", _("Proposed change")


class ExpertStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")


# An editor approves a profile once; after that the expert edits, hides or deletes it.
EXPERT_TRANSITIONS = {ExpertStatus.PENDING: {ExpertStatus.APPROVED}, ExpertStatus.APPROVED: set()}


class Availability(models.TextChoices):
    INTERVIEWS = "interviews", _("Interviews")
    TALKS = "talks", _("Talks")
    CONSULTING = "consulting", _("Consulting")
    COLLABORATION = "collaboration", _("Research collaboration")
