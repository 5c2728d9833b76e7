"""Projects funded from selected proposals: tranches, deliverables and follow-up."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.files import Accept, UploadField, get_private_storage
from ai4media_portal.core.models import TimeStampedModel

from ..enums import (
    OUTSTANDING_DELIVERABLE_STATES,
    DeliverableKind,
    DeliverableStatus,
    OutputKind,
    ProjectStatus,
    ReminderKind,
    SupportKind,
    TrancheStatus,
)
from .calls import Call, Challenge, Track
from .common import MONEY
from .proposals import Proposal


def deliverable_file_path(instance, filename: str) -> str:
    return f"opencalls/deliverables/{instance.deliverable_id}/{uuid.uuid4().hex}.pdf"


class FundedProject(TimeStampedModel):
    """A project funded from a selected proposal. Its public fields are copied from the
    submitted version at creation, so the catalogue never reads confidential proposal data."""

    # What call managers change after the set-up, and the part the project's team may.
    MANAGER_FIELDS = ("status", "end_date", "summary", "outcomes", "website")
    TEAM_FIELDS = ("outcomes", "website")

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="funded_project"
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="funded_projects")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="funded_projects")
    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="funded_projects"
    )
    acronym = models.CharField(_("acronym"), max_length=30)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("public summary"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation_country = CountryField(_("country"))
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation in the directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funded_projects",
    )
    agreement_reference = models.CharField(_("agreement reference"), max_length=60, unique=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    funding_amount = models.DecimalField(_("funding (€)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING
    )
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funded_projects"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="funded_projects_as_member",
        verbose_name=_("other team members with access"),
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")
        ordering = ["-start_date", "acronym", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("The project must end after it starts."),
            )
        ]
        indexes = [
            models.Index(fields=["call", "track"], name="project_call_track_idx"),
            models.Index(fields=["organisation_country"], name="project_country_idx"),
            models.Index(fields=["-start_date", "acronym"], name="project_order_idx"),
            models.Index(fields=["beneficiary"], name="project_beneficiary_idx"),
        ]

    def __str__(self) -> str:
        return self.acronym

    def is_team_member(self, user) -> bool:
        if not (user and user.is_authenticated):
            return False
        if self.beneficiary_id == user.pk:
            return True
        return any(member.pk == user.pk for member in self.members.all())

    @cached_property
    def team_emails(self) -> list[str]:
        return [self.beneficiary.email, *(m.email for m in self.members.all())]


class Tranche(models.Model):
    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="tranches")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120)
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(0)], **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=TrancheStatus.choices, default=TrancheStatus.PENDING
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["status"], name="tranche_status_idx")]

    def __str__(self) -> str:
        return f"{self.project}: {self.name}"


class Deliverable(models.Model):
    project = models.ForeignKey(
        FundedProject, on_delete=models.CASCADE, related_name="deliverables"
    )
    tranche = models.ForeignKey(
        Tranche,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
        help_text=_("The payment this deliverable unlocks once approved."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_message = models.TextField(_("review message"), blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="deliverable_due_idx")]

    def __str__(self) -> str:
        return f"{self.project}: {self.title}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in OUTSTANDING_DELIVERABLE_STATES and self.due_date < timezone.localdate()
        )


class DeliverableSubmission(models.Model):
    """One uploaded file of a deliverable; re-uploads after a change request add rows."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="submissions"
    )
    file = UploadField(
        accept=Accept.PDF, storage=get_private_storage, upload_to=deliverable_file_path
    )
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class DeliverableReminder(models.Model):
    """That a reminder about ``deliverable`` due on ``due_date`` went out: never twice."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "kind", "due_date"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} {self.kind}"


class SupportSession(models.Model):
    """Coaching, bootcamps and business support given to a funded project."""

    project = models.ForeignKey(
        FundedProject, on_delete=models.CASCADE, related_name="support_sessions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SupportKind.choices)
    date = models.DateField(_("date"))
    coach = models.CharField(_("coach or trainer"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class DemoDayPitch(models.Model):
    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="pitches")
    event = models.CharField(_("event"), max_length=200, default="AI4Media DemoDay")
    date = models.DateField(_("date"))
    pitch_title = models.CharField(_("pitch title"), max_length=200)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("DemoDay pitch")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.pitch_title


class OutputLink(models.Model):
    """An output the project produced: a publication, dataset, software or demo."""

    project = models.ForeignKey(FundedProject, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=16, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("URL"), blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, help_text=_("e.g. 10.5281/…"))

    class Meta:
        ordering = ["kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(doi=""),
                name="output_has_url_or_doi",
                violation_error_message=_("Give a URL or a DOI."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url
