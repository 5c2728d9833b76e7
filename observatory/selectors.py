"""Reads of the Observatory. ``published_content()`` is the one definition of what the public
sees: every public list, detail page, feed, sitemap, the site search, the home page and the
API start from it, so a draft, a scheduled, an unpublished or an archived piece can reach the
public through none of them."""

import difflib
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from ai4media_portal.core.permissions import can
from ai4media_portal.core.roles import Role
from network.models import Organisation
from outputs.selectors import published_outputs

from .enums import ContentKind, ContentStatus, ExpertStatus, ProposalStatus
from .models import (
    ContentAuthor,
    ContentItem,
    ContentProposal,
    EditorialTopic,
    Expert,
    Milestone,
    Regulation,
    Tag,
)

MAX_SEARCH_WORDS = 8


def published_content() -> QuerySet[ContentItem]:
    """The pieces the public may see: published, and nothing else."""
    return ContentItem.objects.filter(status=ContentStatus.PUBLISHED)


def with_list_relations(queryset: QuerySet[ContentItem]) -> QuerySet[ContentItem]:
    """What a list shows of each piece (topics, tags, authors in order) in three queries."""
    return queryset.prefetch_related(
        "topics",
        "tags",
        Prefetch("credits", queryset=ContentAuthor.objects.select_related("user", "expert")),
    )


def search_query(text: str) -> SearchQuery | None:
    """Every word typed must match the start of a word of the piece (English stemming)."""
    query = None
    for word in re.findall(r"[^\W_]+", text or "")[:MAX_SEARCH_WORDS]:
        term = SearchQuery(f"{word.lower()}:*", search_type="raw", config="english")
        query = term if query is None else query & term
    return query


def content_listing(
    *, search: str = "", topic: str = "", kind: str = "", tag: str = "", language: str = ""
) -> QuerySet[ContentItem]:
    """Published pieces, filtered by a full-text ``search`` (PostgreSQL, best match first),
    a topic slug, a kind, a tag slug and a language; newest first otherwise."""
    queryset = published_content()
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    if kind:
        queryset = queryset.filter(kind=kind)
    if language:
        queryset = queryset.filter(language=language)
    query = search_query(search)
    if query is not None:
        queryset = queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
        ordering = ("-rank", "-published_at", "-pk")
    else:
        ordering = ("-published_at", "-pk")
    return with_list_relations(queryset.distinct().order_by(*ordering))


def published_item(slug: str) -> ContentItem | None:
    """The published piece at ``slug`` with its relations, or None. Of its related pieces
    only the published ones come along (``related_published``)."""
    return (
        with_list_relations(published_content().select_related("created_by"))
        .prefetch_related(
            Prefetch(
                "related_items",
                queryset=published_content().order_by("-published_at", "-pk"),
                to_attr="related_published",
            ),
            Prefetch("related_organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch(
                "related_outputs", queryset=related_outputs_queryset(), to_attr="public_outputs"
            ),
        )
        .filter(slug=slug)
        .first()
    )


def related_outputs_queryset():
    """The related research outputs a reader may see: public records of the Outputs
    catalogue (``outputs.selectors.published_outputs``), newest first."""
    return published_outputs().order_by("-date_year", "-pk")


def featured_and_latest(*, latest: int = 6) -> tuple[list[ContentItem], list[ContentItem]]:
    """The Observatory home: the featured pieces (at most 3) and the latest others."""
    items = list(with_list_relations(published_content()).order_by("-published_at", "-pk")[:40])
    featured = [item for item in items if item.featured][:3]
    rest = [item for item in items if item not in featured][:latest]
    return featured, rest


def latest_per_topic(*, per_topic: int = 3) -> list[tuple[EditorialTopic, list[ContentItem]]]:
    """Each editorial topic with its latest published pieces (at most ``per_topic``), from the
    latest hundred; topics without any are left out. Five queries, however many pieces."""
    items = list(with_list_relations(published_content()).order_by("-published_at", "-pk")[:100])
    sections = []
    for topic in EditorialTopic.objects.all():
        chosen = [item for item in items if topic in item.topics.all()][:per_topic]
        if chosen:
            sections.append((topic, chosen))
    return sections


def latest_videos(*, limit: int = 3) -> list[ContentItem]:
    """The latest published pieces of the video series ("Let's Talk AI and Media")."""
    return list(
        with_list_relations(published_content().filter(kind=ContentKind.INTERVIEW_VIDEO)).order_by(
            "-published_at", "-pk"
        )[:limit]
    )


def editorial_topics() -> QuerySet[EditorialTopic]:
    return EditorialTopic.objects.all()


def tags_in_use() -> QuerySet[Tag]:
    return Tag.objects.filter(items__status=ContentStatus.PUBLISHED).distinct().order_by("name")


# --- The editorial side ------------------------------------------------------------------------


def item_for_editorial(user, pk: int) -> ContentItem | None:
    """The piece ``pk`` if ``user`` may see it unpublished (an author or the editorial team),
    with its relations; None otherwise, so that pages answer 404."""
    item = (
        with_list_relations(ContentItem.objects.select_related("created_by", "claimed_by"))
        .filter(pk=pk)
        .first()
    )
    if item is None or not can(user, "observatory.view_contentitem", item):
        return None
    return item


def my_items(user) -> QuerySet[ContentItem]:
    """The pieces ``user`` created or is named an author of, latest change first."""
    return with_list_relations(
        ContentItem.objects.filter(
            Q(created_by=user) | Q(credits__user=user) | Q(credits__expert__user=user)
        )
        .distinct()
        .select_related("claimed_by")
        .order_by("-updated_at", "-pk")
    )


def editorial_queue(*, status: str = "", now=None) -> QuerySet[ContentItem]:
    """The editors' dashboard: every piece but archived ones (or those of ``status``),
    those needing attention first: overdue scheduled pieces (their go-live time has passed and
    they are not published: ``overdue`` is True), then in review, approved, scheduled, the
    rest; each with its claim."""
    now = now or timezone.now()
    queryset = ContentItem.objects.exclude(status=ContentStatus.ARCHIVED)
    if status:
        queryset = ContentItem.objects.filter(status=status)
    order = Case(
        When(status=ContentStatus.SCHEDULED, go_live_at__lte=now, then=Value(0)),
        When(status=ContentStatus.IN_REVIEW, then=Value(1)),
        When(status=ContentStatus.APPROVED, then=Value(2)),
        When(status=ContentStatus.SCHEDULED, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return with_list_relations(
        queryset.select_related("created_by", "claimed_by")
        .annotate(
            attention=order,
            overdue=Case(
                When(status=ContentStatus.SCHEDULED, go_live_at__lte=now, then=Value(True)),
                default=Value(False),
            ),
        )
        .order_by("attention", "-updated_at", "-pk")
    )


# --- Revisions ---------------------------------------------------------------------------------


def revisions(item: ContentItem) -> list[Version]:
    """The item's revisions, newest first, each with who saved it and when (one query)."""
    return list(Version.objects.get_for_object(item).select_related("revision", "revision__user"))


@dataclass(frozen=True)
class FieldDiff:
    """How one field differs: ``lines`` are (tag, text) with tag "+", "-" or " ". For the
    hero image, ``before_url`` and ``after_url`` are the two images' addresses ("" for none),
    so that the editorial team sees them side by side."""

    name: str
    label: str
    lines: list[tuple[str, str]]
    before_url: str = ""
    after_url: str = ""


def hero_image_url(value) -> str:
    """The address of a revision's hero image (a stored file name or ``FieldFile``), "" for
    none. Replaced images stay in storage, so every revision keeps its own."""
    name = getattr(value, "name", value) or ""
    if not name:
        return ""
    return ContentItem._meta.get_field("hero_image").storage.url(name)


def _as_text(name: str, value) -> str:
    if name == "topics":
        names = dict(EditorialTopic.objects.values_list("pk", "name"))
        return "\n".join(sorted(names.get(pk, str(pk)) for pk in value or []))
    if name == "tags":
        names = dict(Tag.objects.values_list("pk", "name"))
        return "\n".join(sorted(names.get(pk, str(pk)) for pk in value or []))
    if name == "regulations":
        names = dict(Regulation.objects.values_list("pk", "short_name"))
        return "\n".join(sorted(names.get(pk, str(pk)) for pk in value or []))
    if name == "related_items":
        names = dict(ContentItem.objects.filter(pk__in=value or []).values_list("pk", "title"))
        return "\n".join(sorted(names.get(pk, str(pk)) for pk in value or []))
    if name == "related_outputs":
        # A record no longer public shows as its number.
        names = dict(published_outputs().filter(pk__in=value or []).values_list("pk", "title"))
        return "\n".join(sorted(names.get(pk, f"#{pk}") for pk in value or []))
    if name == "related_organisations":
        names = dict(Organisation.objects.filter(pk__in=value or []).values_list("pk", "name"))
        return "\n".join(sorted(names.get(pk, str(pk)) for pk in value or []))
    return "" if value is None else str(value)


def diff_fields(before: dict | None, after: dict) -> list[FieldDiff]:
    """The fields that differ between two revisions' ``field_dict`` (``before`` may be None
    for the first revision: everything is new), line by line."""
    labels = {field.name: field.verbose_name for field in ContentItem._meta.get_fields()
              if hasattr(field, "verbose_name")}  # fmt: skip
    diffs = []
    for name in [
        *ContentItem.EDITABLE_FIELDS,
        "hero_image",
        "topics",
        "tags",
        "regulations",
        "related_items",
        "related_organisations",
        "related_outputs",
    ]:
        old = _as_text(name, (before or {}).get(name))
        new = _as_text(name, after.get(name))
        if old == new:
            continue
        lines = []
        for line in difflib.ndiff(old.splitlines(), new.splitlines()):
            if line[:1] in ("+", "-", " "):
                lines.append((line[:1], line[2:]))
        urls = {}
        if name == "hero_image":
            urls = {
                "before_url": hero_image_url((before or {}).get(name)),
                "after_url": hero_image_url(after.get(name)),
            }
        diffs.append(FieldDiff(name=name, label=str(labels.get(name, name)), lines=lines, **urls))
    return diffs


def revision_context(item: ContentItem, version_id: int) -> dict | None:
    """One revision of ``item``: the version, its diff against the revision before it and
    against the version last published (None when never published), or None for a revision
    of another item."""
    history = revisions(item)
    index = next((n for n, version in enumerate(history) if version.pk == version_id), None)
    if index is None:
        return None
    version = history[index]
    previous = history[index + 1] if index + 1 < len(history) else None
    published = next((v for v in history if v.pk == item.published_version_id), None)
    fields = version.field_dict
    return {
        "version": version,
        "fields": fields,
        "hero_url": hero_image_url(fields.get("hero_image")),
        "previous": previous,
        "diff_previous": diff_fields(previous.field_dict if previous else None, version.field_dict),
        "published": published,
        "diff_published": (
            diff_fields(published.field_dict, version.field_dict) if published else None
        ),
    }


# --- Proposals ---------------------------------------------------------------------------------


def _proposals() -> QuerySet[ContentProposal]:
    return ContentProposal.objects.select_related("proposer", "topic", "decided_by", "draft")


def proposal_inbox(*, status: str = "") -> QuerySet[ContentProposal]:
    """The editorial inbox: new proposals first (oldest waiting first), then the decided."""
    queryset = _proposals()
    if status:
        queryset = queryset.filter(status=status)
    waiting_first = Case(
        When(status=ProposalStatus.NEW, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(waiting=waiting_first).order_by("waiting", "created_at", "pk")


def proposal_for(user, pk: int) -> ContentProposal | None:
    """The proposal ``pk`` if ``user`` is its proposer or on the editorial team; else None."""
    proposal = _proposals().filter(pk=pk).first()
    if proposal is None or not can(user, "observatory.view_contentproposal", proposal):
        return None
    return proposal


def my_proposals(user) -> QuerySet[ContentProposal]:
    return _proposals().filter(proposer=user).order_by("-created_at", "-pk")


def editorial_team():
    """The editors and editors-in-chief, by name: whom a draft can be assigned to."""
    names = [Role.OBSERVATORY_EDITOR.value, Role.EDITOR_IN_CHIEF.value]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("full_name", "pk")
    )


# --- The policy tracker ------------------------------------------------------------------------


def regulations() -> QuerySet[Regulation]:
    """Every tracked regulation with its milestones in date order (two queries)."""
    return Regulation.objects.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("date", "pk"))
    ).order_by("short_name", "pk")


def policy_timeline() -> list[Milestone]:
    """Every milestone of every regulation, in date order (one query)."""
    return list(Milestone.objects.select_related("regulation").order_by("date", "pk"))


def regulation_page(slug: str) -> tuple[Regulation, list[ContentItem]] | None:
    """A regulation with its milestones and the published analyses linked to it, newest
    first (through ``published_content()``); None for an unknown slug."""
    regulation = regulations().filter(slug=slug).first()
    if regulation is None:
        return None
    analyses = list(
        with_list_relations(published_content().filter(regulations=regulation)).order_by(
            "-published_at", "-pk"
        )
    )
    return regulation, analyses


def upcoming_milestones(*, limit: int = 5) -> list[Milestone]:
    """The next milestones from today on, soonest first (one query)."""
    today = timezone.localdate()
    return list(
        Milestone.objects.select_related("regulation")
        .filter(date__gte=today)
        .order_by("date", "pk")[:limit]
    )


# --- The expert directory ----------------------------------------------------------------------


def listed_experts() -> QuerySet[Expert]:
    """The experts the public sees: approved by an editor and not hidden by themselves."""
    return Expert.objects.filter(status=ExpertStatus.APPROVED, hidden=False)


def expert_directory(
    *,
    search: str = "",
    topic: str = "",
    country: str = "",
    language: str = "",
    availability: str = "",
    organisation: str = "",
) -> QuerySet[Expert]:
    """Listed experts filtered by words in the name, headline, bio or expertise (every word
    must appear), a topic slug, a country code, a language, an availability and an
    organisation slug; by name."""
    queryset = listed_experts()
    for word in re.findall(r"[^\W_]+", search or "")[:MAX_SEARCH_WORDS]:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(headline__icontains=word)
            | Q(bio__icontains=word)
            | Q(expertise__icontains=word)
        )
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    if country:
        queryset = queryset.filter(country=country)
    if language:
        queryset = queryset.filter(languages__contains=[language])
    if availability:
        queryset = queryset.filter(available_for__contains=[availability])
    if organisation:
        queryset = queryset.filter(organisation__slug=organisation)
    return (
        queryset.distinct()
        .select_related("organisation")
        .prefetch_related("topics")
        .order_by("name", "pk")
    )


def expert_page(slug: str) -> Expert | None:
    return (
        listed_experts()
        .select_related("organisation")
        .prefetch_related("topics")
        .filter(slug=slug)
        .first()
    )


def items_by_expert(expert: Expert, *, limit: int = 20) -> list[ContentItem]:
    """The published pieces ``expert`` is credited on, newest first (at most ``limit``;
    four queries however many)."""
    return list(
        with_list_relations(published_content().filter(credits__expert=expert))
        .distinct()
        .order_by("-published_at", "-pk")[:limit]
    )


def author_choices() -> tuple[list[Expert], list]:
    """Whom an editor may credit on a piece: the approved experts of the directory and the
    staff (the editorial team and staff accounts), each by name (two queries)."""
    experts = list(Expert.objects.filter(status=ExpertStatus.APPROVED).order_by("name", "pk"))
    names = [Role.OBSERVATORY_EDITOR.value, Role.EDITOR_IN_CHIEF.value]
    staff = list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__name__in=names))
        .distinct()
        .order_by("full_name", "pk")
    )
    return experts, staff


def own_expert(user) -> Expert | None:
    if not user.is_authenticated:
        return None
    return Expert.objects.select_related("organisation").filter(user=user).first()


@dataclass(frozen=True)
class ProfileChange:
    """One field an expert changed on their approved profile: the public value and the one
    waiting for approval, as text."""

    label: str
    public: str
    proposed: str


def _profile_text(name: str, value) -> str:
    if name == "organisation":
        return str(Organisation.objects.filter(pk=value).first() or "") if value else ""
    if name == "topics":
        return ", ".join(EditorialTopic.objects.filter(pk__in=value).values_list("name", flat=True))
    if name == "country":
        from django_countries import countries

        return str(countries.name(value) or value)
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return "" if value is None else str(value)


def pending_profile_changes(expert: Expert) -> list[ProfileChange]:
    """The changes of ``expert``'s profile waiting for an editor, field by field, in the
    form's order (the photo as "a new photo" or "no photo")."""
    labels = {field.name: field.verbose_name for field in Expert._meta.get_fields()
              if hasattr(field, "verbose_name")}  # fmt: skip
    pending = expert.pending_changes
    changes = []
    for name in [*Expert.PROFILE_FIELDS, "topics", "photo"]:
        if name not in pending:
            continue
        if name == "photo":
            public = _("a photo") if expert.photo else _("no photo")
            proposed = _("a new photo") if pending[name] == "new" else _("no photo")
        elif name == "topics":
            public = _profile_text(name, list(expert.topics.values_list("pk", flat=True)))
            proposed = _profile_text(name, pending[name])
        else:
            current = getattr(expert, name)
            public = _profile_text(name, getattr(current, "pk", getattr(current, "code", current)))
            proposed = _profile_text(name, pending[name])
        changes.append(ProfileChange(str(labels.get(name, name)).capitalize(), public, proposed))
    return changes


def expert_queue() -> QuerySet[Expert]:
    """The editors' list of profiles: those waiting (new, or with changes to approve) first,
    then the rest by name."""
    waiting = Case(
        When(status=ExpertStatus.PENDING, then=Value(0)),
        When(~Q(pending_changes={}), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Expert.objects.select_related("organisation", "user")
        .annotate(waiting=waiting)
        .order_by("waiting", "name", "pk")
    )


def experts_of(organisation) -> list[Expert]:
    """The listed experts of a network organisation (one query)."""
    return list(listed_experts().filter(organisation=organisation).order_by("name", "pk"))


def items_about(organisation) -> list[ContentItem]:
    """The published pieces that name ``organisation`` as related, newest first (one query)."""
    return list(
        published_content()
        .filter(related_organisations=organisation)
        .order_by("-published_at", "-pk")[:10]
    )
