"""AIDA's vocabularies and its workflows: student registration, offerings, enrolments,
lectures and the review of educational resources."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberTier(models.TextChoices):
    """The tiers of AIDA membership; all of them sign the memorandum of understanding."""

    FULL = "full", _("Full member")
    ASSOCIATE = "associate", _("Associate member")
    RESEARCH_INDUSTRY = "research-industry", _("Research & industry member")


# Only these tiers may host credited courses (courses worth ECTS).
CREDITED_HOST_TIERS = frozenset({MemberTier.FULL, MemberTier.ASSOCIATE})


class Curriculum(models.TextChoices):
    AI_CORE = "ai-core", _("AI core")
    AI_MEDIA = "ai-media", _("AI & Media")
    AI_SOCIETY = "ai-society", _("AI & Society")


class CourseFormat(models.TextChoices):
    SEMESTER_COURSE = "semester-course", _("Semester course")
    SHORT_COURSE = "short-course", _("Short course")
    SUMMER_SCHOOL = "summer-school", _("Summer school")
    TUTORIAL = "tutorial", _("Tutorial")
    SEMINAR = "seminar", _("Seminar")
    LECTURE = "lecture", _("Lecture series")


class CourseLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Language(models.TextChoices):
    """Teaching languages (ISO 639-1)."""

    EN = "en", _("English")
    FR = "fr", _("French")
    DE = "de", _("German")
    IT = "it", _("Italian")
    ES = "es", _("Spanish")
    EL = "el", _("Greek")


class OfferingMode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on-site", _("On site")
    HYBRID = "hybrid", _("Hybrid")


class Audience(models.TextChoices):
    """Who may request a place in an offering."""

    AIDA_STUDENTS = "aida", _("Validated AIDA students only")
    OPEN = "open", _("AIDA students and external participants")


class StudentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting validation")
    VALIDATED = "validated", _("Validated")
    REFUSED = "refused", _("Refused")


# pending → validated | refused; a refused student may correct the registration and ask again.
STUDENT_TRANSITIONS = {
    StudentStatus.PENDING: {StudentStatus.VALIDATED, StudentStatus.REFUSED},
    StudentStatus.REFUSED: {StudentStatus.PENDING},
    StudentStatus.VALIDATED: set(),
}


class SupervisorConfirmation(models.TextChoices):
    """Where a PhD student's supervisor is a known AIDA lecturer, they are asked to confirm."""

    NOT_NEEDED = "not-needed", _("Not needed")
    REQUESTED = "requested", _("Asked of the supervisor")
    CONFIRMED = "confirmed", _("Confirmed by the supervisor")
    DECLINED = "declined", _("Declined by the supervisor")


class OfferingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for enrolment")
    FULL = "full", _("Full")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


OS = OfferingStatus

# planned → open → full → running → finished, or cancelled before it finishes. Open and full
# follow the seats: the enrolment services move between them as seats fill and free.
OFFERING_TRANSITIONS = {
    OS.PLANNED: {OS.OPEN, OS.CANCELLED},
    OS.OPEN: {OS.FULL, OS.RUNNING, OS.PLANNED, OS.CANCELLED},
    OS.FULL: {OS.OPEN, OS.RUNNING, OS.CANCELLED},
    OS.RUNNING: {OS.FINISHED, OS.CANCELLED},
    OS.FINISHED: set(),
    OS.CANCELLED: set(),
}
# Where a request for a place may be made (the enrolment window decides the rest).
ENROLLING_OFFERING_STATUSES = frozenset({OS.OPEN, OS.FULL})
del OS


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the lecturer's confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not-completed", _("Did not complete")


E = EnrolmentStatus

ENROLMENT_TRANSITIONS = {
    E.PENDING: {E.CONFIRMED, E.WAITLISTED, E.CANCELLED},
    E.WAITLISTED: {E.CONFIRMED, E.CANCELLED},
    E.CONFIRMED: {E.CANCELLED, E.COMPLETED, E.NOT_COMPLETED},
    E.COMPLETED: {E.NOT_COMPLETED},
    E.NOT_COMPLETED: {E.COMPLETED},
    # A cancelled request may be made again: it joins the back of the queue.
    E.CANCELLED: {E.PENDING, E.CONFIRMED, E.WAITLISTED},
}
# Requests still in play: they block a second request for the same offering.
ACTIVE_ENROLMENT_STATUSES = frozenset({E.PENDING, E.CONFIRMED, E.WAITLISTED})
# Holding a seat.
SEATED_STATUSES = frozenset({E.CONFIRMED, E.COMPLETED, E.NOT_COMPLETED})
del E


class Eligibility(models.TextChoices):
    """Why a person may or may not request a place in an offering (see
    ``selectors.enrolment_eligibility``)."""

    ALLOWED = "allowed", _("You may request a place.")
    ALLOWED_WAITLIST = "waitlist", _("The offering is full: you may join the waitlist.")
    SIGN_IN = "sign-in", _("Sign in to request a place.")
    NOT_A_STUDENT = "not-a-student", _("Register as an AIDA student to request a place.")
    NOT_VALIDATED = (
        "not-validated",
        _("Your AIDA registration has not been validated yet: only validated students may enrol."),
    )
    ALREADY_REQUESTED = "already-requested", _("You have already requested a place.")
    CANCELLED = "cancelled", _("This offering has been cancelled.")
    NOT_OPEN = "not-open", _("This offering is not open for enrolment.")
    WINDOW_NOT_STARTED = "window-not-started", _("Enrolment has not opened yet.")
    WINDOW_CLOSED = "window-closed", _("Enrolment has closed.")
    TEACHING = "teaching", _("You teach this course.")


class LectureStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


LECTURE_TRANSITIONS = {
    LectureStatus.SCHEDULED: {LectureStatus.CANCELLED},
    LectureStatus.CANCELLED: {LectureStatus.SCHEDULED},
}


class ResourceType(models.TextChoices):
    SLIDES = "slides", _("Slides")
    VIDEO = "video", _("Video")
    NOTEBOOK = "notebook", _("Notebook")
    DATASET = "dataset", _("Dataset")
    COURSE_MATERIAL = "course-material", _("Course material")
    TEXTBOOK = "textbook", _("Textbook")
    TUTORIAL = "tutorial", _("Tutorial")


class ResourceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes-requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


R = ResourceStatus
RESOURCE_TRANSITIONS = {
    R.SUBMITTED: {R.ACCEPTED, R.CHANGES_REQUESTED, R.REJECTED},
    R.CHANGES_REQUESTED: {R.SUBMITTED},
    R.ACCEPTED: set(),
    R.REJECTED: set(),
}
del R


class ReviewCriterion(models.TextChoices):
    """The five criteria on which the resource committee admits educational resources."""

    SCIENTIFIC_QUALITY = "scientific-quality", _("Scientific quality")
    PEDAGOGICAL_VALUE = "pedagogical-value", _("Pedagogical value")
    CURRICULUM_RELEVANCE = "curriculum-relevance", _("Relevance to the AIDA curriculum")
    ACCESSIBILITY_LICENSING = "accessibility-licensing", _("Accessibility and licensing")
    ETHICAL_AI = "ethical-ai", _("Ethical and sustainable AI")
