"""Reads of the network that span relations: the directory, duplicates, the manager's queue,
the network in numbers. ``select_related``/``prefetch_related`` live here."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.models import Topic
from ai4media_portal.core.permissions import can
from ai4media_portal.core.public_cache import remembered

from .enums import (
    AWAITING_MANAGER_STATUSES,
    OPEN_STATUSES,
    ApplicationStatus,
    NetworkRole,
)
from .matching import fold, name_similarity, name_tokens, website_domain
from .models import (
    ApplicationStatusChange,
    MembershipApplication,
    Organisation,
    OrganisationContact,
    OrganisationRole,
)

# --- Directory ---------------------------------------------------------------------------------

MAX_SEARCH_WORDS = 8
DIRECTORY_SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "country": ("country", "name", "pk"),
    "newest": (F("joined_on").desc(nulls_last=True), "name", "pk"),
}


def search_query(text: str) -> SearchQuery | None:
    """A prefix query for what someone typed: every word must match the start of a word of
    the organisation, with or without its accents ("univ wien", "universita bologna")."""
    query = None
    for word in re.findall(r"[^\W_]+", text or "")[:MAX_SEARCH_WORDS]:
        word = word.lower()
        term = None
        # Folding can turn a letter into punctuation ("⑴" → "(1)"): keep letters and digits.
        folded = "".join(re.findall(r"[^\W_]+", fold(word)))
        for variant in sorted({word, folded} - {""}):
            # Names are indexed unstemmed, descriptions stemmed: ask both ways.
            for config in ("simple", "english"):
                part = SearchQuery(f"{variant}:*", search_type="raw", config=config)
                term = part if term is None else term | part
        query = term if query is None else query & term
    return query


def member_organisations() -> QuerySet[Organisation]:
    """Organisations that hold at least one role in the network: the directory's world."""
    return Organisation.objects.filter(joined_on__isnull=False)


def directory_country_codes() -> list[str]:
    """The countries of member organisations, for the directory's country filter; remembered
    in the shared cache until the network's data changes (a scan of every member otherwise)."""
    return remembered(
        "network.directory.countries",
        ["network"],
        lambda: list(
            member_organisations().order_by().values_list("country", flat=True).distinct()
        ),
    )


def directory_count(
    *, search: str = "", country: str = "", type: str = "", role: str = "", topic: str = ""
) -> int:
    """How many organisations the directory lists for these filters; remembered in the shared
    cache until the network's data changes, so that paging through a result counts it once."""
    filters = {"search": search, "country": country, "type": type, "role": role, "topic": topic}
    return remembered(
        "network.directory.count?" + urlencode(sorted(filters.items())),
        ["network"],
        lambda: organisations_filtered(**filters).count(),
    )


def with_directory_relations(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.prefetch_related(
        Prefetch("roles", queryset=OrganisationRole.objects.order_by("since", "role")),
        Prefetch("areas_of_interest", queryset=Topic.objects.order_by("name")),
    )


def organisations_filtered(
    *,
    search: str = "",
    country: str = "",
    type: str = "",
    role: str = "",
    topic: str = "",
    queryset: QuerySet[Organisation] | None = None,
) -> QuerySet[Organisation]:
    """Apply the directory's filters; with a search, annotate ``rank`` (best first)."""
    queryset = member_organisations() if queryset is None else queryset
    if country:
        queryset = queryset.filter(country=country)
    if type:
        queryset = queryset.filter(type=type)
    if role:
        queryset = queryset.filter(
            Exists(OrganisationRole.objects.filter(organisation=OuterRef("pk"), role=role))
        )
    if topic:
        queryset = queryset.filter(
            Exists(
                Organisation.areas_of_interest.through.objects.filter(
                    organisation=OuterRef("pk"), topic__slug=topic
                )
            )
        )
    query = search_query(search)
    if query is not None:
        queryset = queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    return queryset


def directory(
    *,
    search: str = "",
    country: str = "",
    type: str = "",
    role: str = "",
    topic: str = "",
    sort: str = "",
) -> QuerySet[Organisation]:
    """The member directory: filtered, sorted (relevance first when searching), with what a
    result card shows prefetched."""
    queryset = organisations_filtered(
        search=search, country=country, type=type, role=role, topic=topic
    )
    if sort in DIRECTORY_SORTS:
        ordering = DIRECTORY_SORTS[sort]
    elif search_query(search) is not None:
        ordering = ("-rank", "name", "pk")
    else:
        ordering = DIRECTORY_SORTS["name"]
    return with_directory_relations(queryset.order_by(*ordering))


def organisation_for_page(slug: str) -> Organisation | None:
    contacts = OrganisationContact.objects.select_related("user").order_by("created_at")
    return (
        with_directory_relations(Organisation.objects.all())
        .prefetch_related(Prefetch("contacts", queryset=contacts))
        .filter(slug=slug)
        .first()
    )


def organisations_of_contact(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(contacts__user=user).order_by("name")


# --- Duplicates --------------------------------------------------------------------------------

SIMILAR_NAME_THRESHOLD = 0.85
MAX_NAME_CANDIDATES = 200


@dataclass
class DuplicateMatch:
    """A listed organisation (or another application) that may be the same one."""

    organisation: Organisation | None = None
    application: MembershipApplication | None = None
    reasons: list = field(default_factory=list)

    @property
    def target(self):
        return self.organisation or self.application


def _reasons(candidate_ror, candidate_domain, candidate_names, *, ror_id, domain, names):
    reasons = []
    if ror_id and candidate_ror == ror_id:
        reasons.append(_("same ROR ID"))
    if domain and candidate_domain == domain:
        reasons.append(_("same website domain"))
    best = max(
        (name_similarity(ours, theirs) for ours in names for theirs in candidate_names if theirs),
        default=0.0,
    )
    if best >= SIMILAR_NAME_THRESHOLD:
        reasons.append(_("similar name"))
    return reasons


def possible_duplicates(
    *,
    name: str,
    short_name: str = "",
    legal_name: str = "",
    website: str = "",
    ror_id: str = "",
    exclude_pk: int | None = None,
) -> list[DuplicateMatch]:
    """Listed organisations that may be the one described: the same ROR ID, the same website
    domain (scheme and ``www.`` ignored) or a similar name (accents, case, punctuation and
    legal forms ignored). Candidates are narrowed in SQL by indexed keys, then scored."""
    domain = website_domain(website)
    tokens = name_tokens(name, short_name, legal_name)
    condition = Q()
    if ror_id:
        condition |= Q(ror_id=ror_id)
    if domain:
        condition |= Q(website_domain=domain)
    if tokens:
        condition |= Q(name_tokens__overlap=tokens)
    if not condition:
        return []
    candidates = Organisation.objects.filter(condition).only(
        "pk", "name", "short_name", "legal_name", "slug", "ror_id", "website_domain", "country"
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    names = [n for n in (name, legal_name) if n]
    matches = []
    for organisation in candidates.order_by("pk")[:MAX_NAME_CANDIDATES]:
        reasons = _reasons(
            organisation.ror_id,
            organisation.website_domain,
            [organisation.name, organisation.legal_name],
            ror_id=ror_id,
            domain=domain,
            names=names,
        )
        if reasons:
            matches.append(DuplicateMatch(organisation=organisation, reasons=reasons))
    return matches


def duplicates_of_application(application: MembershipApplication) -> list[DuplicateMatch]:
    """For the manager: listed organisations that may be the applicant's, then other open
    applications for what looks like the same organisation."""
    if application.organisation_id is not None:
        organisation_matches = []
    else:
        organisation_matches = possible_duplicates(
            name=application.org_name,
            short_name=application.org_short_name,
            legal_name=application.org_legal_name,
            website=application.org_website,
            ror_id=application.org_ror_id,
        )
    domain = website_domain(application.org_website)
    others = (
        MembershipApplication.objects.filter(status__in=OPEN_STATUSES)
        .exclude(status=ApplicationStatus.DRAFT)
        .exclude(pk=application.pk)
        .filter(org_country=application.org_country)
        .select_related("applicant")
        .order_by("-created_at")[:MAX_NAME_CANDIDATES]
    )
    application_matches = []
    for other in others:
        reasons = _reasons(
            other.org_ror_id,
            website_domain(other.org_website),
            [other.org_name, other.org_legal_name],
            ror_id=application.org_ror_id,
            domain=domain,
            names=[n for n in (application.org_name, application.org_legal_name) if n],
        )
        if reasons:
            application_matches.append(DuplicateMatch(application=other, reasons=reasons))
    return organisation_matches + application_matches


# --- Applications ------------------------------------------------------------------------------


def applications_visible_to(user) -> QuerySet[MembershipApplication]:
    """The user's own applications, and for network managers every submitted one too (drafts
    stay private to their applicant). Lists and lookups by id go through this, so a guessed id
    is simply not found."""
    queryset = MembershipApplication.objects.all()
    if not (user and user.is_authenticated):
        return queryset.none()
    if can(user, "network.manage_membershipapplications"):
        return queryset.filter(Q(applicant=user) | ~Q(status=ApplicationStatus.DRAFT))
    return queryset.filter(applicant=user)


def application_for_page(*, user, pk: int) -> MembershipApplication | None:
    history = ApplicationStatusChange.objects.select_related("actor").order_by("created_at", "pk")
    return (
        applications_visible_to(user)
        .select_related("applicant", "organisation", "decided_by")
        .prefetch_related(
            Prefetch("history", queryset=history),
            Prefetch("areas_of_interest", queryset=Topic.objects.order_by("name")),
            Prefetch("possible_duplicates", queryset=Organisation.objects.order_by("name")),
        )
        .filter(pk=pk)
        .first()
    )


def applications_of(user) -> QuerySet[MembershipApplication]:
    """The user's own applications, newest first, with their history."""
    history = ApplicationStatusChange.objects.select_related("actor").order_by("created_at", "pk")
    return (
        MembershipApplication.objects.filter(applicant=user)
        .select_related("organisation")
        .prefetch_related(Prefetch("history", queryset=history))
        .order_by("-created_at", "-pk")
    )


QUEUE_SORTS = {
    "submitted": (F("submitted_at").asc(nulls_last=True), "pk"),
    "-submitted": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "name": ("org_name", "pk"),
    "-name": ("-org_name", "-pk"),
}


def manager_queue(
    *,
    status: str = "",
    country: str = "",
    type: str = "",
    submitted_from=None,
    submitted_to=None,
    search: str = "",
    sort: str = "",
) -> QuerySet[MembershipApplication]:
    """Applications for the network managers, drafts excluded (they are the applicant's
    business until submitted). ``status="waiting"`` means everything waiting for a manager."""
    queryset = MembershipApplication.objects.exclude(status=ApplicationStatus.DRAFT)
    if status == "waiting":
        queryset = queryset.filter(status__in=AWAITING_MANAGER_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if country:
        queryset = queryset.filter(org_country=country)
    if type:
        queryset = queryset.filter(org_type=type)
    if submitted_from:
        queryset = queryset.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        queryset = queryset.filter(submitted_at__date__lte=submitted_to)
    if search:
        queryset = queryset.filter(
            Q(org_name__icontains=search)
            | Q(org_short_name__icontains=search)
            | Q(applicant__email__icontains=search)
        )
    ordering = QUEUE_SORTS.get(sort) or QUEUE_SORTS["-submitted"]
    return (
        queryset.select_related("applicant", "organisation")
        .annotate(duplicate_count=Count("possible_duplicates", distinct=True))
        .order_by(*ordering)
    )


def applications_waiting_count() -> int:
    return MembershipApplication.objects.filter(status__in=AWAITING_MANAGER_STATUSES).count()


# --- Network in numbers ------------------------------------------------------------------------


def members_by_country() -> list[tuple[str, int]]:
    """(country code, organisations), most first."""
    rows = (
        member_organisations()
        .values("country")
        .annotate(total=Count("pk"))
        .order_by("-total", "country")
    )
    return [(row["country"], row["total"]) for row in rows]


def members_by_type() -> list[tuple[str, int]]:
    rows = (
        member_organisations().values("type").annotate(total=Count("pk")).order_by("-total", "type")
    )
    return [(row["type"], row["total"]) for row in rows]


def members_by_year_joined() -> list[tuple[int, int]]:
    """(year, organisations that joined that year), oldest first, years without any included."""
    rows = (
        member_organisations()
        .annotate(year=ExtractYear("joined_on"))
        .values("year")
        .annotate(total=Count("pk"))
        .order_by("year")
    )
    counts = {row["year"]: row["total"] for row in rows}
    if not counts:
        return []
    return [(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)]


def members_by_role() -> list[tuple[str, int]]:
    rows = OrganisationRole.objects.values("role").annotate(total=Count("pk")).order_by("-total")
    order = {value: index for index, value in enumerate(NetworkRole.values)}
    return sorted(((row["role"], row["total"]) for row in rows), key=lambda r: (-r[1], order[r[0]]))
