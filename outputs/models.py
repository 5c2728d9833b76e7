"""One metadata record for every research output (DataCite-like), with what each kind adds.

A record is never removed: deleting it turns it into a tombstone (status ``deleted``) so that
harvesters and old links learn that it is gone.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.files import Accept, UploadField, get_private_storage
from ai4media_portal.core.models import StateChange, TimeStampedModel
from network.models import Organisation

from .enums import (
    CONSORTIUM,
    DEFAULT_AWARD,
    DEFAULT_FUNDER,
    DEFAULT_PROGRAMME,
    FILE_KINDS,
    Access,
    BriefType,
    CreatorKind,
    IdentifierScheme,
    LinkKind,
    OutputKind,
    OutputStatus,
    PublicationType,
    RelationType,
    ResearchArea,
    UseCase,
)

# The catalogue's facets over kinds, access rights, research areas and use cases, one bit per
# value, as one integer per output (``Output.facet_key``): counting a search's matches per
# value is then one grouping on a number rather than on strings and arrays, and the counts
# are read back from the bits (``outputs.selectors.catalogue_pass``). A new value of these
# enumerations takes a migration of the generated column.
FACET_BITS: tuple[tuple[str, str], ...] = (
    *(("kind", value) for value in OutputKind.values),
    *(("access", value) for value in Access.values),
    *(("area", value) for value in ResearchArea.values),
    *(("use_case", value) for value in UseCase.values),
)
_FACET_CONDITIONS = {
    "kind": lambda value: models.Q(kind=value),
    "access": lambda value: models.Q(access=value),
    "area": lambda value: models.Q(research_areas__contains=[value]),
    "use_case": lambda value: models.Q(use_cases__contains=[value]),
}
_FACET_KEY = sum(
    (
        models.Case(
            models.When(_FACET_CONDITIONS[facet](value), then=models.Value(1 << bit)),
            default=models.Value(0),
        )
        for bit, (facet, value) in enumerate(FACET_BITS)
    ),
    start=models.Value(0),
)

# Titles and creator names unstemmed (prefixes of names match), the prose stemmed in English.
_SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("search_names", weight="B", config="simple")
    + SearchVector("abstract", weight="C", config="english")
)


# Embargoes end at midnight in Brussels, where the network's coordinator sits.
EMBARGO_TIMEZONE = ZoneInfo("Europe/Brussels")


def embargo_today() -> datetime.date:
    """Today's date as embargoes count it (Europe/Brussels)."""
    return timezone.localdate(timezone=EMBARGO_TIMEZONE)


class Output(TimeStampedModel):
    """A publication, dataset, software tool or result in brief of the network."""

    # What a curator edits directly (creators, identifiers, links and relations are rows of
    # their own); the form, the service and the serializer share this list.
    METADATA_FIELDS = (
        "kind",
        "title",
        "abstract",
        "date_year",
        "date_month",
        "date_day",
        "keywords",
        "research_areas",
        "use_cases",
        "licence",
        "doi",
        "access",
        "embargo_until",
        # Publication
        "publication_type",
        "venue",
        "volume",
        "issue",
        "pages",
        "publisher",
        # Dataset
        "size_bytes",
        "formats",
        "item_count",
        "access_url",
        # Software
        "repository_url",
        "languages",
        "version",
        "trl",
        "documentation_url",
        # Result in brief
        "brief_type",
        # Where it comes from
        "provenance_kind",
        "provenance_id",
    )

    # A stable identifier for harvesters and exports, independent of the database key.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OutputStatus.choices,
        default=OutputStatus.DRAFT,
        editable=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="outputs",
        verbose_name=_("organisation"),
        help_text=_("Whose contacts curate the record."),
    )
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)
    date_year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    date_month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    date_day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    keywords = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    research_areas = ArrayField(
        models.CharField(max_length=40, choices=ResearchArea.choices), default=list, blank=True
    )
    use_cases = ArrayField(
        models.CharField(max_length=40, choices=UseCase.choices), default=list, blank=True
    )
    licence = models.CharField(
        _("licence"), max_length=200, blank=True, help_text=_("An SPDX identifier, e.g. CC-BY-4.0.")
    )
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    access = models.CharField(
        _("access"), max_length=20, choices=Access.choices, default=Access.OPEN
    )
    embargo_until = models.DateField(_("embargoed until"), null=True, blank=True)
    # Publication
    publication_type = models.CharField(
        _("publication type"), max_length=20, choices=PublicationType.choices, blank=True
    )
    venue = models.CharField(_("journal or conference"), max_length=300, blank=True)
    volume = models.CharField(_("volume"), max_length=30, blank=True)
    issue = models.CharField(_("issue"), max_length=30, blank=True)
    pages = models.CharField(_("pages"), max_length=30, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    # Dataset
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    formats = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    item_count = models.PositiveIntegerField(_("number of items"), null=True, blank=True)
    access_url = models.URLField(_("access URL"), max_length=500, blank=True)
    # Software
    repository_url = models.URLField(_("code repository"), max_length=500, blank=True)
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    documentation_url = models.URLField(_("documentation"), max_length=500, blank=True)
    # Result in brief
    brief_type = models.CharField(
        _("type of result in brief"), max_length=20, choices=BriefType.choices, blank=True
    )
    # The document itself (results in brief, and publications or datasets that carry one) and a
    # result in brief's cover. Both stay in the private storage: the file is served after the
    # access and embargo check, the cover once the record is public.
    file = UploadField(
        _("file (PDF)"),
        accept=Accept.PDF,
        storage=get_private_storage,
        upload_to="outputs/files/%Y/",
        blank=True,
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    cover_image = UploadField(
        _("cover image"),
        accept=Accept.IMAGE,
        storage=get_private_storage,
        upload_to="outputs/covers/%Y/",
        blank=True,
    )
    # Where the output comes from: the consortium's own work, or a record of another pillar
    # (an open-call project, a fellows exchange, an AIDA course) that the pillar's
    # ``provenance`` module resolves; the kinds are those modules' ``KIND``.
    provenance_kind = models.CharField(_("provenance"), max_length=40, default=CONSORTIUM)
    provenance_id = models.PositiveIntegerField(_("provenance record"), null=True, blank=True)
    # Tombstone
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deletion_reason = models.CharField(_("reason for deletion"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    # Creator names, kept by the services whenever creators change, for the full-text search.
    search_names = models.TextField(blank=True, editable=False)
    # Kept with ``search_names`` for the catalogue, which reads them instead of joining the
    # creators of every match: each creator's name once, in the creators' order (a result's
    # byline and the creator facet), and each organisation a creator is affiliated to once
    # (keys of ``network.Organisation``, for the organisation facet).
    creator_names = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, editable=False
    )
    affiliation_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    search_vector = models.GeneratedField(
        expression=_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )
    facet_key = models.GeneratedField(
        expression=_FACET_KEY, output_field=models.IntegerField(), db_persist=True
    )

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["-date_year", "-date_month", "-date_day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"],
                condition=~models.Q(doi="") & ~models.Q(status=OutputStatus.DELETED),
                name="output_doi_unique",
                violation_error_message=_("Another output already has this DOI."),
            ),
            models.CheckConstraint(
                condition=models.Q(date_day__isnull=True) | models.Q(date_month__isnull=False),
                name="output_day_needs_month",
            ),
            models.CheckConstraint(
                condition=~models.Q(access=Access.EMBARGOED)
                | models.Q(embargo_until__isnull=False),
                name="output_embargo_has_date",
            ),
            # The consortium's own work links nowhere; every other provenance names its record.
            models.CheckConstraint(
                condition=models.Q(provenance_kind=CONSORTIUM, provenance_id__isnull=True)
                | (~models.Q(provenance_kind=CONSORTIUM) & models.Q(provenance_id__isnull=False)),
                name="output_provenance_has_record",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="output_search_idx"),
            models.Index(fields=["status", "kind"], name="output_status_kind_idx"),
            # OAI-PMH lists walk records in (datestamp, id) order.
            models.Index(fields=["updated_at", "id"], name="output_datestamp_idx"),
            models.Index(
                fields=["-date_year", "-date_month", "-date_day", "-id"], name="output_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outputs:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == OutputStatus.PUBLISHED

    @property
    def is_deleted(self) -> bool:
        return self.status == OutputStatus.DELETED

    @property
    def date_iso(self) -> str:
        """The publication date at its precision: ``2023``, ``2023-05`` or ``2023-05-17``."""
        text = f"{self.date_year:04d}"
        if self.date_month:
            text += f"-{self.date_month:02d}"
            if self.date_day:
                text += f"-{self.date_day:02d}"
        return text

    @property
    def file_kind_allowed(self) -> bool:
        return self.kind in FILE_KINDS

    def file_is_open(self, today: datetime.date | None = None) -> bool:
        """Whether the file may go to anyone (not only the curators) on ``today`` (the
        embargo's date, ``embargo_today()`` by default): open access, or an embargo that has
        ended even if the daily task has not yet lifted it. Restricted and metadata-only
        outputs keep their file for the curators."""
        if self.access == Access.OPEN:
            return True
        if self.access == Access.EMBARGOED and self.embargo_until is not None:
            return self.embargo_until <= (today or embargo_today())
        return False

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    def is_curated_by_contact(self, user) -> bool:
        """The user is a contact of the organisation that curates this output (prefetched
        contacts are used when the selector loaded them)."""
        if not user or not user.is_authenticated:
            return False
        organisation = self.organisation
        cache = getattr(organisation, "_prefetched_objects_cache", {})
        if "contacts" in cache:
            return any(contact.user_id == user.pk for contact in cache["contacts"])
        return organisation.contacts.filter(user_id=user.pk).exists()


class Creator(models.Model):
    """An author of an output, in the order of the byline: a person or an organisation."""

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="creators")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=CreatorKind.choices, default=CreatorKind.PERSON)
    # The full name as displayed; for a person "Given Family", for an organisation its name.
    name = models.CharField(_("name"), max_length=300)
    given_name = models.CharField(_("given name"), max_length=150, blank=True)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True)
    affiliations = models.ManyToManyField(
        Organisation, blank=True, related_name="affiliated_creators"
    )

    class Meta:
        ordering = ["output", "position"]
        constraints = [
            models.UniqueConstraint(fields=["output", "position"], name="creator_position_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Identifier(models.Model):
    """Another identifier of an output: arXiv, handle or URL."""

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=IdentifierScheme.choices)
    value = models.CharField(max_length=500)

    class Meta:
        ordering = ["output", "scheme", "value"]
        constraints = [
            models.UniqueConstraint(fields=["output", "scheme", "value"], name="identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class Link(models.Model):
    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["output", "kind", "pk"]

    def __str__(self) -> str:
        return self.url


class Funding(models.Model):
    """A funding reference; every output gets the network's grant when it is created."""

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="funding")
    funder = models.CharField(max_length=200, default=DEFAULT_FUNDER)
    programme = models.CharField(max_length=100, blank=True, default=DEFAULT_PROGRAMME)
    award = models.CharField(max_length=100, blank=True, default=DEFAULT_AWARD)

    class Meta:
        ordering = ["output", "pk"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.funder, self.programme, self.award) if part)


class Relation(models.Model):
    """``output`` <relation_type> ``target`` (another output here) or ``target_doi``."""

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="relations")
    relation_type = models.CharField(max_length=30, choices=RelationType.choices)
    target = models.ForeignKey(
        Output, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_doi = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["output", "relation_type", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__isnull=False) | ~models.Q(target_doi=""),
                name="relation_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.relation_type} {self.target_id or self.target_doi}"


class OutputStatusChange(StateChange):
    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=OutputStatus.choices)
    to_status = models.CharField(max_length=12, choices=OutputStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
