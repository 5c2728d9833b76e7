import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.files import Accept, UploadField, get_private_storage
from ai4media_portal.core.models import StateChange, TimeStampedModel, Topic

from .enums import (
    AWAITING_MANAGER_STATUSES,
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    ApplicationStatus,
    Benefit,
    NetworkRole,
    OrganisationType,
)
from .matching import fold, name_tokens, website_domain
from .validators import validate_logo, validate_ror_id

# What the directory's full-text search looks at, most telling first. Names are indexed
# without stemming ("simple") so that typed prefixes match them ("universit" → "University";
# the English stemmer would index "univers" and miss it); ``search_names`` holds them without
# accents so that "universita" finds "Università". Descriptions are prose: stemmed in English.
_SEARCH_VECTOR = (
    SearchVector("name", "short_name", "search_names", weight="A", config="simple")
    + SearchVector("legal_name", "city", weight="B", config="simple")
    + SearchVector("description", weight="C", config="english")
)


class Organisation(TimeStampedModel):
    """A university, company, public body, NGO or project in (or joining) the network."""

    # What a contact or a network manager edits on the public profile (besides the logo and
    # the areas of interest); the form, the service and the API share this list.
    PROFILE_FIELDS = (
        "name",
        "short_name",
        "legal_name",
        "type",
        "country",
        "city",
        "website",
        "ror_id",
        "description",
        "contact_email",
    )

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("Acronym, e.g. CERTH.")
    )
    legal_name = models.CharField(
        _("legal name"),
        max_length=255,
        blank=True,
        help_text=_("As in the organisation's registration, if it differs from the name."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    logo = UploadField(
        _("logo"),
        accept=Accept.IMAGE,
        upload_to="network/logos/%Y/",
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG, JPEG or WebP, at most 1 MB and 2048 pixels wide."),
    )
    description = models.TextField(_("description"), blank=True)
    ror_id = models.CharField(
        _("ROR ID"),
        max_length=9,
        blank=True,
        validators=[validate_ror_id],
        help_text=_("The organisation's identifier in the Research Organization Registry."),
    )
    areas_of_interest = models.ManyToManyField(
        Topic, verbose_name=_("areas of interest"), blank=True, related_name="organisations"
    )
    contact_email = models.EmailField(
        _("public contact email"),
        blank=True,
        help_text=_("Shown on the organisation's public page."),
    )
    joined_on = models.DateField(
        _("member since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its first role in the network began; empty when it holds none."),
    )
    # Matching keys, derived from the fields above in save() (see network/matching.py).
    website_domain = models.CharField(max_length=255, blank=True, editable=False)
    name_tokens = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, editable=False
    )
    search_names = models.CharField(max_length=510, blank=True, editable=False)
    search_vector = models.GeneratedField(
        expression=_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ror_id"],
                condition=~models.Q(ror_id=""),
                name="organisation_ror_id_unique",
                violation_error_message=_("Another organisation already has this ROR ID."),
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="organisation_search_idx"),
            GinIndex(fields=["name_tokens"], name="organisation_tokens_idx"),
            models.Index(fields=["name", "id"], name="organisation_name_idx"),
            models.Index(fields=["country", "name"], name="organisation_country_idx"),
            models.Index(fields=["type", "name"], name="organisation_type_idx"),
            models.Index(fields=["-joined_on", "name"], name="organisation_joined_idx"),
            models.Index(fields=["website_domain"], name="organisation_domain_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The matching keys are a pure function of the names and the website; deriving them
        # here means no write path (service, admin, import) can leave them stale.
        self.refresh_matching_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "website_domain",
                "name_tokens",
                "search_names",
            }
        super().save(*args, **kwargs)

    def refresh_matching_keys(self) -> None:
        """Recompute the derived keys; call before ``bulk_create``, which skips ``save()``."""
        self.website_domain = website_domain(self.website)
        self.name_tokens = name_tokens(self.name, self.short_name, self.legal_name)
        self.search_names = fold(" ".join(filter(None, [self.name, self.legal_name])))[:510]

    def get_absolute_url(self) -> str:
        return reverse("network:organisation", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        if self.short_name and self.short_name.casefold() not in self.name.casefold():
            return f"{self.name} ({self.short_name})"
        return self.name

    @property
    def ror_url(self) -> str:
        return f"https://ror.org/{self.ror_id}" if self.ror_id else ""

    @property
    def is_member(self) -> bool:
        return self.joined_on is not None


class OrganisationRole(models.Model):
    """One role an organisation holds in the network, and since when."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roles", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=NetworkRole.choices)
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")
        ordering = ["since", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"],
                name="organisation_role_unique",
                violation_error_message=_("The organisation already holds this role."),
            )
        ]
        indexes = [models.Index(fields=["role", "organisation"], name="organisation_role_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"

    @property
    def role_label(self) -> str:
        # Django's get_role_display() translates every choice to look one up: too slow for
        # lists (TimeStampedModel's models have a faster one; roles are not timestamped).
        return dict(NetworkRole.choices).get(self.role, self.role)


class OrganisationContact(models.Model):
    """A person who speaks for an organisation and may edit its public profile."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_contacts",
        verbose_name=_("person"),
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation contact")
        verbose_name_plural = _("organisation contacts")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="organisation_contact_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class MembershipApplication(TimeStampedModel):
    """An organisation's application to become an associate member of the network.

    It carries its own copy of the organisation's details: an application for a new
    organisation creates it on approval, one for a listed organisation updates it.
    """

    # What an applicant fills in (besides the logo and the areas of interest); the form, the
    # service and the API share this list.
    APPLICANT_FIELDS = (
        "org_name",
        "org_short_name",
        "org_legal_name",
        "org_type",
        "org_country",
        "org_city",
        "org_website",
        "org_ror_id",
        "org_description",
        "org_contact_email",
        "contact_name",
        "contact_position",
        "motivation",
        "benefits",
    )

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="membership_applications",
        verbose_name=_("applicant"),
    )
    # The hidden token of the form that created the application: posting the same form twice
    # finds the first application instead of creating a second.
    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_applications",
        verbose_name=_("organisation"),
        help_text=_("The listed organisation applied for, or the one created on approval."),
    )

    # The organisation's details as the applicant gives them.
    org_name = models.CharField(_("organisation name"), max_length=200)
    org_short_name = models.CharField(_("short name"), max_length=50, blank=True)
    org_legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    org_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices
    )
    org_country = CountryField(_("country"))
    org_city = models.CharField(_("city"), max_length=100, blank=True)
    org_website = models.URLField(_("website"), max_length=300)
    org_ror_id = models.CharField(
        _("ROR ID"), max_length=9, blank=True, validators=[validate_ror_id]
    )
    # Not public: until the application is approved only the applicant and the network
    # managers see it (``network.views.application_logo``); approval copies it to the
    # organisation's public logo.
    org_logo = UploadField(
        _("logo"),
        accept=Accept.IMAGE,
        storage=get_private_storage,
        upload_to="network/application-logos/%Y/",
        blank=True,
        validators=[validate_logo],
    )
    org_description = models.TextField(_("description of the organisation"))
    org_contact_email = models.EmailField(_("public contact email"), blank=True)

    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_position = models.CharField(_("position"), max_length=150)
    motivation = models.TextField(_("motivation"))
    areas_of_interest = models.ManyToManyField(
        Topic, verbose_name=_("areas of interest"), related_name="membership_applications"
    )
    benefits = ArrayField(
        models.CharField(max_length=30, choices=Benefit.choices),
        verbose_name=_("benefits sought"),
        default=list,
    )
    terms_version = models.CharField(_("terms version"), max_length=20)
    terms_accepted_at = models.DateTimeField(_("terms accepted"))

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_message = models.TextField(_("decision message"), blank=True)
    # Listed organisations that look like the one applying (same ROR ID, website domain or
    # a similar name), worked out when the application is submitted or resubmitted.
    possible_duplicates = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("possible duplicates")
    )

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="application_status_idx"),
            models.Index(fields=["-submitted_at", "-id"], name="application_submitted_idx"),
            models.Index(fields=["org_name", "id"], name="application_name_idx"),
            models.Index(fields=["org_country"], name="application_country_idx"),
            models.Index(fields=["org_type"], name="application_type_idx"),
            models.Index(fields=["applicant", "-created_at"], name="application_applicant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.org_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("network:application", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def awaits_manager(self) -> bool:
        return self.status in AWAITING_MANAGER_STATUSES

    def is_party(self, user) -> bool:
        """The applicant, or a contact of the listed organisation that applies: they may not
        review or decide on this application (``core.predicates.is_own_case``)."""
        if user is None or not user.is_authenticated:
            return False
        if self.applicant_id == user.pk:
            return True
        return (
            self.organisation_id is not None
            and self.organisation.contacts.filter(user_id=user.pk).exists()
        )


class ApplicationStatusChange(StateChange):
    """One step of an application's history: what it went from and to, who did it, and the
    message they gave."""

    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=ApplicationStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            models.Index(fields=["application", "created_at"], name="application_history_idx")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '∅'} → {self.to_status}"
