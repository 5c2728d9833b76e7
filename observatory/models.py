"""The Observatory's content: pieces written, reviewed and published by the editorial board."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ai4media_portal.core.files import Accept, UploadField, get_private_storage
from ai4media_portal.core.models import StateChange, TimeStampedModel
from ai4media_portal.core.validators import validate_image, validate_pdf
from network.models import Organisation

from .enums import (
    Availability,
    ContentKind,
    ContentLanguage,
    ContentStatus,
    ExpertStatus,
    MilestoneKind,
    ProposalStatus,
    RegulationStatus,
)
from .validators import validate_orcid
from .video import VideoEmbed, video_embed

# The five editorial topics the board publishes under; editors may rename or add to them in
# the admin. (The core ``Topic`` vocabulary is a fine-grained research taxonomy of some thirty
# terms shared by organisations and outputs; the Observatory's sections are a different,
# editorial list.)
EDITORIAL_TOPICS = (
    ("policy-legislation", "Policy & Legislation"),
    ("social-ethical-ai", "Social & Ethical AI"),
    ("ai-technologies-for-media", "AI Technologies for Media"),
    ("media-industry-business", "Media Industry & Business"),
    ("research-innovation", "Research & Innovation"),
)

# Titles and tags weigh most, the standfirst next, the body least; all stemmed in English.
_SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("standfirst", weight="B", config="english")
    + SearchVector("body", weight="C", config="english")
)


class EditorialTopic(models.Model):
    """One of the Observatory's sections (Policy & Legislation, ...): an editable vocabulary."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("editorial topic")
        verbose_name_plural = _("editorial topics")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A free tag, made the first time an editor or author types it."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Regulation(TimeStampedModel):
    """A European regulation the policy tracker follows (the AI Act, the DSA ...)."""

    EDITABLE_FIELDS = (
        "short_name",
        "name",
        "slug",
        "celex",
        "oj_reference",
        "official_url",
        "status",
        "status_as_of",
        "summary",
    )

    short_name = models.CharField(_("short name"), max_length=40, help_text=_("E.g. AI Act."))
    name = models.CharField(_("official title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    celex = models.CharField(
        _("CELEX number"), max_length=20, blank=True, help_text=_("E.g. 32024R1689.")
    )
    oj_reference = models.CharField(
        _("Official Journal reference"),
        max_length=120,
        blank=True,
        help_text=_("E.g. OJ L, 2024/1689, 12.7.2024."),
    )
    official_url = models.URLField(_("official text"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RegulationStatus.choices)
    status_as_of = models.DateField(_("status as of"))
    summary = models.TextField(_("summary"), blank=True, help_text=_("Plain text."))

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("observatory:regulation", args=[self.slug])


class Milestone(models.Model):
    """A dated step of a regulation: adopted, in force, applying, or a proposed change."""

    EDITABLE_FIELDS = ("date", "title", "kind", "source_url", "description")

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    title = models.CharField(_("what happens"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MilestoneKind.choices, default=MilestoneKind.STEP
    )
    source_url = models.URLField(_("source"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.regulation}: {self.title}"


class ContentItem(TimeStampedModel):
    """A news item, analysis, perspective, summary, report, event or video of the Observatory.

    Its ``status`` is written by ``services.content_transition`` only; every change of its text
    is kept as a revision (django-reversion) by the services.
    """

    # What an author or editor edits (besides the hero image, topics, tags and authors); the
    # form, the service, the revisions and the API share this list.
    EDITABLE_FIELDS = (
        "kind",
        "title",
        "slug",
        "standfirst",
        "body",
        "hero_alt",
        "hero_caption",
        "video_url",
        "source_url",
        "language",
        "featured",
        "seo_title",
        "seo_description",
    )

    kind = models.CharField(_("kind"), max_length=24, choices=ContentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("The last part of the address: lower-case letters, digits and hyphens."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=600,
        help_text=_("The summary shown in lists and under the title; plain text."),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown; no HTML."))
    body_html = models.TextField(_("body as HTML"), blank=True, editable=False)
    hero_image = UploadField(
        _("hero image"),
        accept=Accept.IMAGE,
        upload_to="observatory/heroes/%Y/",
        blank=True,
        validators=[validate_image],
        help_text=_("PNG, JPEG or WebP, at most 2 MB and 4096 pixels on a side."),
    )
    hero_alt = models.CharField(
        _("hero image description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    hero_caption = models.CharField(_("hero image caption"), max_length=300, blank=True)
    video_url = models.URLField(
        _("video link"),
        max_length=300,
        blank=True,
        help_text=_("For the video series: a link, shown as a link; nothing loads by itself."),
    )
    source_url = models.URLField(_("source link"), max_length=300, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ENGLISH,
    )
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1)
    featured = models.BooleanField(_("featured"), default=False)
    seo_title = models.CharField(
        _("search and social title"),
        max_length=70,
        blank=True,
        help_text=_("For search engines and link previews; the title when empty."),
    )
    seo_description = models.CharField(
        _("search and social description"),
        max_length=200,
        blank=True,
        help_text=_("For search engines and link previews; the standfirst when empty."),
    )
    topics = models.ManyToManyField(
        EditorialTopic, related_name="items", verbose_name=_("topics"), blank=True
    )
    tags = models.ManyToManyField(Tag, related_name="items", verbose_name=_("tags"), blank=True)
    regulations = models.ManyToManyField(
        Regulation,
        related_name="items",
        verbose_name=_("regulations analysed"),
        blank=True,
    )
    related_items = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("related content")
    )
    related_organisations = models.ManyToManyField(
        Organisation,
        related_name="observatory_items",
        blank=True,
        verbose_name=_("related organisations"),
    )
    # The Outputs pillar's records, named by label only: the Observatory never imports their
    # model, and reads them through ``outputs.selectors.published_outputs()``.
    related_outputs = models.ManyToManyField(
        "outputs.Output",
        related_name="observatory_items",
        blank=True,
        verbose_name=_("related research outputs"),
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ContentStatus.choices,
        default=ContentStatus.DRAFT,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observatory_items",
        verbose_name=_("created by"),
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observatory_claims",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    go_live_at = models.DateTimeField(_("goes live"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    # The create form's hidden token (``core.idempotency``): a form sent twice makes one.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The revision (a django-reversion ``Version``) that was live when last published.
    published_version_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    search_vector = models.GeneratedField(
        expression=_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        ordering = ["-published_at", "-pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="observatory_item_search_idx"),
            models.Index(fields=["status", "go_live_at"], name="observatory_item_due_idx"),
            models.Index(fields=["status", "-published_at"], name="observatory_item_pub_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("observatory:item", args=[self.slug])

    def clean(self) -> None:
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError(
                {"hero_alt": _("Describe the image for people who cannot see it.")}
            )

    @property
    def video_embed(self) -> VideoEmbed | None:
        """The privacy-enhanced player of the video link, loaded only on the reader's click
        (``observatory.video``); None when the link is not YouTube or Vimeo."""
        return video_embed(self.video_url)

    @property
    def display_seo_title(self) -> str:
        return self.seo_title or self.title

    @property
    def display_seo_description(self) -> str:
        return self.seo_description or self.standfirst

    def is_party(self, user) -> bool:
        """The person who wrote it or a named author: they may not review their own piece
        (``core.predicates.is_own_case``)."""
        if user is None or not user.is_authenticated:
            return False
        if self.created_by_id == user.pk:
            return True
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "credits" in cache:
            return any(credit.account_id == user.pk for credit in cache["credits"])
        return self.credits.filter(
            models.Q(user_id=user.pk) | models.Q(expert__user_id=user.pk)
        ).exists()


class ContentAuthor(models.Model):
    """An author named on a piece, in the order shown: an expert of the directory (linked to
    their profile while it is listed) or a portal account (the editorial team, staff, or the
    contributor who wrote it). Exactly one of ``expert`` and ``user`` is set."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observatory_credits",
    )
    # An expert who deletes their profile leaves the pieces they signed (the credit goes).
    expert = models.ForeignKey(
        "Expert",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credits",
        verbose_name=_("expert"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="observatory_author_once"),
            models.UniqueConstraint(
                fields=["item", "expert"], name="observatory_expert_author_once"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, expert__isnull=True)
                    | models.Q(user__isnull=True, expert__isnull=False)
                ),
                name="observatory_author_expert_or_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.item}"

    @property
    def name(self) -> str:
        """The name shown: the expert's name on their profile, or the account's name."""
        return self.expert.name if self.expert_id else self.user.display_name

    @property
    def profile_url(self) -> str:
        """The expert's public profile while it is listed (approved, not hidden); else ""."""
        expert = self.expert if self.expert_id else None
        if expert and expert.status == ExpertStatus.APPROVED and not expert.hidden:
            return expert.get_absolute_url()
        return ""

    @property
    def account_id(self):
        """The portal account behind the credit (the expert's own account, if any)."""
        return self.expert.user_id if self.expert_id else self.user_id


class ContentStatusChange(StateChange):
    """One step of an item's editorial history: from, to, who, why."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ContentStatus.choices)
    to_status = models.CharField(max_length=20, choices=ContentStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.item}: {self.from_status} → {self.to_status}"


class ContentProposal(TimeStampedModel):
    """Content anyone signed in suggests to the editorial board: decided once, accepted (a
    draft is made and assigned to an editor) or declined with a reply the proposer receives."""

    # What the proposer fills in (besides the file); the form and the service share this list.
    PROPOSER_FIELDS = ("title", "summary", "link", "topic", "fit")

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="observatory_proposals",
        verbose_name=_("proposer"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, help_text=_("Plain text."))
    link = models.URLField(_("link"), max_length=300, blank=True)
    file = UploadField(
        _("file"),
        accept=Accept.PDF,
        upload_to="observatory/proposals/%Y/",
        storage=get_private_storage,
        blank=True,
        validators=[validate_pdf],
        help_text=_("Optional. A PDF document, at most 10 MB."),
    )
    file_name = models.CharField(max_length=255, blank=True, editable=False)
    topic = models.ForeignKey(
        EditorialTopic, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("topic")
    )
    fit = models.TextField(
        _("why it fits the editorial principles"), max_length=2000, help_text=_("Plain text.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.NEW,
        editable=False,
    )
    reply = models.TextField(_("reply to the proposer"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The create form's hidden token (``core.idempotency``): a form sent twice makes one.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    draft = models.OneToOneField(
        ContentItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("draft made from it"),
    )

    class Meta:
        verbose_name = _("content proposal")
        verbose_name_plural = _("content proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.link and not self.file:
            raise ValidationError({"link": _("Give a link or attach a file.")})

    def is_party(self, user) -> bool:
        """The proposer: they do not decide on their own proposal."""
        return bool(user and user.is_authenticated and self.proposer_id == user.pk)


class Expert(TimeStampedModel):
    """An expert on AI and media readers can find and write to. Listed once an editor has
    approved the profile and while its owner has not hidden it. The address that receives
    messages is never shown: readers write through the contact relay."""

    PROFILE_FIELDS = (
        "name",
        "headline",
        "bio",
        "organisation",
        "organisation_name",
        "country",
        "expertise",
        "languages",
        "available_for",
        "orcid",
        "website",
        "accepts_contact",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observatory_expert",
        help_text=_("The account that owns the profile, when the expert made it."),
    )
    contact_email = models.EmailField(
        _("address for messages"),
        blank=True,
        help_text=_("For profiles editors make: where messages go. Never shown."),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    photo = UploadField(
        _("photo"),
        accept=Accept.IMAGE,
        upload_to="observatory/experts/%Y/",
        blank=True,
        validators=[validate_image],
        help_text=_("Optional. PNG, JPEG or WebP, at most 2 MB."),
    )
    headline = models.CharField(_("headline"), max_length=160)
    bio = models.TextField(_("bio"), max_length=3000, help_text=_("Plain text."))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observatory_experts",
        verbose_name=_("organisation in the network"),
    )
    organisation_name = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("If not in the network.")
    )
    country = CountryField(_("country"))
    expertise = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, verbose_name=_("expertise")
    )
    topics = models.ManyToManyField(
        EditorialTopic, related_name="experts", verbose_name=_("topics"), blank=True
    )
    languages = ArrayField(
        models.CharField(max_length=5, choices=ContentLanguage.choices),
        default=list,
        verbose_name=_("languages"),
    )
    available_for = ArrayField(
        models.CharField(max_length=16, choices=Availability.choices),
        default=list,
        blank=True,
        verbose_name=_("available for"),
    )
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    website = models.URLField(_("website"), max_length=300, blank=True)
    accepts_contact = models.BooleanField(_("readers may write to me"), default=True)
    hidden = models.BooleanField(_("hidden"), default=False, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ExpertStatus.choices,
        default=ExpertStatus.PENDING,
        editable=False,
    )
    # An expert's edit of an approved profile waits here for an editor, the approved version
    # staying public meanwhile: {field: value} for ``PROFILE_FIELDS`` (an organisation by its
    # pk, a country by its code), "topics" as a list of pks, "photo" as "new" (the file is in
    # ``pending_photo``) or "clear".
    pending_changes = models.JSONField(
        _("changes waiting for approval"), default=dict, blank=True, editable=False
    )
    pending_photo = UploadField(
        _("photo waiting for approval"),
        accept=Accept.IMAGE,
        upload_to="observatory/experts/%Y/",
        blank=True,
        editable=False,
        validators=[validate_image],
    )
    changes_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The create form's hidden token (``core.idempotency``): a form sent twice makes one.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("observatory:expert", args=[self.slug])

    @property
    def availability_labels(self) -> list[str]:
        return [str(Availability(value).label) for value in self.available_for]

    @property
    def language_labels(self) -> list[str]:
        return [str(ContentLanguage(value).label) for value in self.languages]

    @property
    def has_pending_changes(self) -> bool:
        return bool(self.pending_changes)

    @property
    def address(self) -> str:
        """Where relayed messages go; never shown to anyone."""
        return self.user.email if self.user_id else self.contact_email

    def is_party(self, user) -> bool:
        return bool(user and user.is_authenticated and self.user_id == user.pk)


class ContactMessage(models.Model):
    """A message a reader sent an expert through the relay, kept for abuse handling."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The create form's hidden token (``core.idempotency``): a form sent twice makes one.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("message to an expert")
        verbose_name_plural = _("messages to experts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender} → {self.expert}: {self.subject}"
