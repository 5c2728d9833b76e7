"""Reads of research outputs: the one ``published_outputs`` every public surface starts from,
the catalogue's search and facets, a record's page, the curators' list."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.permissions import can
from ai4media_portal.core.pillars import collect_provenance_sources
from network.models import Organisation

from .enums import CONSORTIUM, Access, OutputKind, OutputStatus, ResearchArea, UseCase
from .models import Creator, Output

MAX_SEARCH_WORDS = 8
SORTS = {
    "newest": ("-date_year", F("date_month").desc(nulls_last=True), "-pk"),
    "oldest": ("date_year", F("date_month").asc(nulls_first=True), "pk"),
    "title": ("title", "pk"),
}


def published_outputs() -> QuerySet[Output]:
    """Outputs that anyone may see: published, neither draft nor tombstone. Every public
    surface (catalogue, detail pages, exports, API, search, organisation pages) starts here."""
    return Output.objects.filter(status=OutputStatus.PUBLISHED)


def harvestable() -> QuerySet[Output]:
    """Every record an OAI-PMH harvester sees: those ever published, live ones in full, the
    deleted or unpublished ones as deleted headers. Drafts never published stay unknown."""
    return Output.objects.filter(published_at__isnull=False)


def with_relations(queryset: QuerySet[Output]) -> QuerySet[Output]:
    """What a record's card, page or export shows, in a fixed number of queries."""
    return queryset.select_related("organisation").prefetch_related(
        Prefetch(
            "creators",
            queryset=Creator.objects.order_by("position").prefetch_related(
                Prefetch("affiliations", queryset=Organisation.objects.order_by("name"))
            ),
        ),
        "identifiers",
        "links",
        "funding",
        Prefetch("relations__target"),
    )


def search_query(text: str) -> SearchQuery | None:
    """Every typed word must match (as a prefix) a word of the title, creators or abstract."""
    query = None
    for word in re.findall(r"[^\W_]+", text or "")[:MAX_SEARCH_WORDS]:
        word = word.lower()
        term = SearchQuery(f"{word}:*", search_type="raw", config="simple") | SearchQuery(
            f"{word}:*", search_type="raw", config="english"
        )
        query = term if query is None else query & term
    return query


@dataclass(frozen=True)
class Filters:
    """The catalogue's filters, as the page, the API and the exports read them."""

    search: str = ""
    kind: str = ""
    year: int | None = None
    area: str = ""
    use_case: str = ""
    access: str = ""
    licence: str = ""
    organisation: str = ""  # slug of an affiliated organisation
    creator: str = ""  # a creator's name as displayed
    sort: str = ""

    def as_params(self) -> dict:
        return {
            "q": self.search,
            "kind": self.kind,
            "year": self.year or "",
            "area": self.area,
            "use_case": self.use_case,
            "access": self.access,
            "licence": self.licence,
            "organisation": self.organisation,
            "creator": self.creator,
            "sort": self.sort,
        }

    @property
    def active(self) -> bool:
        return any(value for key, value in self.as_params().items() if key != "sort")


def filtered(filters: Filters, queryset: QuerySet[Output] | None = None) -> QuerySet[Output]:
    """Apply ``filters`` to the published outputs (or ``queryset``); with a search, annotate
    ``rank``. Unknown values simply match nothing."""
    queryset = published_outputs() if queryset is None else queryset
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year:
        queryset = queryset.filter(date_year=filters.year)
    if filters.area:
        queryset = queryset.filter(research_areas__contains=[filters.area])
    if filters.use_case:
        queryset = queryset.filter(use_cases__contains=[filters.use_case])
    if filters.access:
        queryset = queryset.filter(access=filters.access)
    if filters.licence:
        queryset = queryset.filter(licence=filters.licence)
    if filters.organisation:
        queryset = queryset.filter(
            Exists(
                Creator.affiliations.through.objects.filter(
                    creator__output=OuterRef("pk"), organisation__slug=filters.organisation
                )
            )
        )
    if filters.creator:
        queryset = queryset.filter(
            Exists(Creator.objects.filter(output=OuterRef("pk"), name=filters.creator))
        )
    query = search_query(filters.search)
    if query is not None:
        queryset = queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    return queryset


def catalogue(filters: Filters) -> QuerySet[Output]:
    """The public catalogue: filtered, sorted (relevance first when searching, else newest),
    with what a result shows prefetched."""
    queryset = filtered(filters)
    if filters.sort in SORTS:
        queryset = queryset.order_by(*SORTS[filters.sort])
    elif filters.search and search_query(filters.search) is not None:
        queryset = queryset.order_by("-rank", *SORTS["newest"])
    else:
        queryset = queryset.order_by(*SORTS["newest"])
    return with_relations(queryset)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _grouped(queryset, field_name) -> list[tuple]:
    return list(
        queryset.order_by()
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .values_list(field_name, "n")
    )


def _sorted(values, labels: dict | None = None, *, by_count=True) -> list[FacetValue]:
    facets = [
        FacetValue(str(value), str(labels.get(value, value)) if labels else str(value), count)
        for value, count in values
        if value not in (None, "")
    ]
    if by_count:
        return sorted(facets, key=lambda f: (-f.count, f.label))
    return sorted(facets, key=lambda f: f.value, reverse=True)


def facets(filters: Filters) -> dict[str, list[FacetValue]]:
    """How many published outputs match ``filters`` per kind, year, research area, use case,
    access, licence, affiliated organisation and creator (the 20 most frequent organisations
    and creators): one query, however many outputs. The matching records are found once (a
    materialised common table expression) and every facet counted from them, so a
    full-text search runs once rather than once per facet."""
    matching = (
        filtered(filters)
        .order_by()
        .values("pk", "kind", "date_year", "access", "licence", "research_areas", "use_cases")
    )
    inner, params = matching.query.sql_with_params()
    creator = Creator._meta.db_table
    through = Creator.affiliations.through._meta.db_table
    organisation = Organisation._meta.db_table
    sql = f"""
        WITH m AS MATERIALIZED ({inner})
        SELECT 'kind', kind, '', COUNT(*) FROM m GROUP BY kind
        UNION ALL SELECT 'year', date_year::text, '', COUNT(*) FROM m GROUP BY date_year
        UNION ALL SELECT 'access', access, '', COUNT(*) FROM m GROUP BY access
        UNION ALL SELECT 'licence', licence, '', COUNT(*) FROM m GROUP BY licence
        UNION ALL SELECT 'area', item, '', COUNT(*)
            FROM m CROSS JOIN LATERAL unnest(m.research_areas) item GROUP BY item
        UNION ALL SELECT 'use_case', item, '', COUNT(*)
            FROM m CROSS JOIN LATERAL unnest(m.use_cases) item GROUP BY item
        UNION ALL (SELECT 'creator', c.name, '', COUNT(DISTINCT c.output_id)
            FROM {creator} c JOIN m ON c.output_id = m.pk
            GROUP BY c.name ORDER BY 4 DESC, c.name LIMIT 20)
        UNION ALL (SELECT 'organisation', o.slug, o.name, COUNT(DISTINCT c.output_id)
            FROM {creator} c JOIN m ON c.output_id = m.pk
            JOIN {through} a ON a.creator_id = c.id
            JOIN {organisation} o ON o.id = a.organisation_id
            GROUP BY o.slug, o.name ORDER BY 4 DESC, o.name LIMIT 20)
    """
    found: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, label, count in cursor.fetchall():
            found.setdefault(facet, []).append((value, label, count))

    def pairs(name, convert=str):
        return [(convert(value), count) for value, _label, count in found.get(name, [])]

    return {
        "kind": _sorted(pairs("kind"), dict(OutputKind.choices)),
        "year": _sorted(pairs("year", int), by_count=False),
        "area": _sorted(pairs("area"), dict(ResearchArea.choices)),
        "use_case": _sorted(pairs("use_case"), dict(UseCase.choices)),
        "access": _sorted(pairs("access"), dict(Access.choices)),
        "licence": _sorted(pairs("licence")),
        "organisation": [
            FacetValue(slug, name, n) for slug, name, n in found.get("organisation", [])
        ],
        "creator": [FacetValue(name, name, n) for name, _label, n in found.get("creator", [])],
    }


def output_for_page(pk: int, user) -> Output | None:
    """The output at ``pk`` with everything its page shows if ``user`` may see it: published
    outputs and tombstones for everyone, drafts for their curators only; else ``None``."""
    output = with_relations(Output.objects.filter(pk=pk)).first()
    if output is None:
        return None
    # Published records and tombstones are public (``can()`` holds nothing for anonymous
    # visitors); a draft needs the permission.
    if output.is_published or output.is_deleted or can(user, "outputs.view_output", output):
        return output
    return None


def file_available_to(user, output: Output) -> bool:
    """Whether ``user`` (anonymous visitors included) may download ``output``'s file: anyone
    once the record is public and its file open (``Output.file_is_open``: open access, or an
    embargo whose date has come); otherwise only its curators
    (``outputs.download_file``). A tombstone serves no file."""
    if output.is_deleted or not output.file:
        return False
    if output.is_published and output.file_is_open():
        return True
    return can(user, "outputs.download_file", output)


def curated_by(user) -> QuerySet[Output]:
    """The outputs ``user`` curates, newest change first: all for staff, else those of the
    organisations they are a contact of. Tombstones included."""
    queryset = Output.objects.select_related("organisation")
    if not (user.is_authenticated and user.is_staff):
        queryset = queryset.filter(organisation__contacts__user_id=user.pk)
    return queryset.order_by("-updated_at", "-pk")


def curated_organisations(user) -> QuerySet[Organisation]:
    """The organisations for which ``user`` may add outputs."""
    if user.is_authenticated and user.is_staff:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(contacts__user_id=user.pk).order_by("name")


def outputs_of_organisation(organisation: Organisation, *, limit: int) -> list[Output]:
    """The newest published outputs with a creator affiliated to ``organisation`` (the
    catalogue's ``organisation`` filter), at most ``limit``; one query."""
    filters = Filters(organisation=organisation.slug)
    return list(filtered(filters).order_by(*SORTS["newest"])[:limit])


def kind_counts() -> dict[str, int]:
    return dict(_grouped(published_outputs(), "kind"))


# --- Provenance -------------------------------------------------------------------------------

CONSORTIUM_LABEL = _("The AI4Media consortium")


@dataclass(frozen=True)
class ProvenanceLink:
    """Where an output comes from, for a page or the API: the kind's code and label, and for a
    pillar's record its id, public title and absolute URL (empty for the consortium)."""

    kind: str
    label: str
    record_id: int | None = None
    title: str = ""
    url: str = ""


def provenance_choices() -> list[tuple[str, str]]:
    """The provenances a curator may choose: the consortium, then each pillar's kind that
    exists (``<app>/provenance.py``)."""
    sources = collect_provenance_sources()
    return [(CONSORTIUM, CONSORTIUM_LABEL), *((s.kind, s.label) for s in sources.values())]


def provenance_record(kind: str, record_id: int) -> tuple[str, str] | None:
    """(public title, absolute URL) of the record ``record_id`` of provenance ``kind``, or
    ``None`` when the kind is unknown or the record is not public; one query."""
    source = collect_provenance_sources().get(kind)
    if source is None:
        return None
    return source.resolve([record_id]).get(record_id)


def attach_provenance(outputs) -> list[Output]:
    """Set ``output.provenance_link`` (a ``ProvenanceLink``, or ``None`` when the record it
    names is no longer public) on each of ``outputs``: one query per kind present, however
    many outputs. Returns them as a list."""
    outputs = list(outputs)
    sources = collect_provenance_sources()
    wanted: dict[str, set[int]] = {}
    for output in outputs:
        if output.provenance_kind != CONSORTIUM and output.provenance_kind in sources:
            wanted.setdefault(output.provenance_kind, set()).add(output.provenance_id)
    found = {kind: sources[kind].resolve(ids) for kind, ids in wanted.items()}
    for output in outputs:
        kind = output.provenance_kind
        if kind == CONSORTIUM:
            output.provenance_link = ProvenanceLink(CONSORTIUM, str(CONSORTIUM_LABEL))
            continue
        record = found.get(kind, {}).get(output.provenance_id)
        output.provenance_link = (
            None
            if record is None
            else ProvenanceLink(
                kind, str(sources[kind].label), output.provenance_id, record[0], record[1]
            )
        )
    return outputs
