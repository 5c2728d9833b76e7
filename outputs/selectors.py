"""Reads of research outputs: the one ``published_outputs`` every public surface starts from,
the catalogue's search and facets, a record's page, the curators' list."""

import dataclasses
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
from .models import FACET_BITS, Creator, Output

MAX_SEARCH_WORDS = 8
SORTS = {
    "newest": (
        "-date_year",
        F("date_month").desc(nulls_last=True),
        F("date_day").desc(nulls_last=True),
        "-pk",
    ),
    "oldest": (
        "date_year",
        F("date_month").asc(nulls_first=True),
        F("date_day").asc(nulls_first=True),
        "pk",
    ),
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
    # The search vector is the database's alone: never read, not worth sending.
    return (
        queryset.defer("search_vector")
        .select_related("organisation")
        .prefetch_related(
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
    year: int | str | None = None  # a year; a value that is not one matches nothing
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


def _year(value: int | str) -> int:
    """A year filter as the database compares it: a year, or 0 (no record's) for a value
    that is not one or lies beyond the column's range (which Django would refuse to
    compare, failing the whole statement)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return 0
    return year if 0 < year < 32768 else 0


def filtered(filters: Filters, queryset: QuerySet[Output] | None = None) -> QuerySet[Output]:
    """Apply ``filters`` to the published outputs (or ``queryset``); with a search, annotate
    ``rank``. Unknown values simply match nothing."""
    queryset = published_outputs() if queryset is None else queryset
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year:
        queryset = queryset.filter(date_year=_year(filters.year))
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


# The catalogue's ordering in SQL over the matching rows (``m``), as ``SORTS`` orders the
# queryset: the relevance of a search first, then the newest.
_SQL_SORTS = {
    "newest": "date_year DESC, date_month DESC NULLS LAST, date_day DESC NULLS LAST, pk DESC",
    "oldest": "date_year ASC, date_month ASC NULLS FIRST, date_day ASC NULLS FIRST, pk ASC",
    "title": "title ASC, pk ASC",
}
FACET_TOP = 20


@dataclass(frozen=True)
class CatalogueResult:
    """One page of the catalogue: the matches' ``count``, the keys of the page's outputs in
    order (``keys``, at most ``limit``) and the ``facets``."""

    count: int
    keys: list[int]
    facets: dict[str, list[FacetValue]]
    chosen_label: str = ""  # the chosen organisation's name (``_catalogue_pass``)


def _sort_sql(filters: Filters, searching: bool) -> str:
    if filters.sort in _SQL_SORTS:
        return _SQL_SORTS[filters.sort]
    if searching:
        return f"rank DESC, {_SQL_SORTS['newest']}"
    return _SQL_SORTS["newest"]


# The filters that are also facets: each takes one value, and choosing another value of the
# same facet replaces it.
FACET_FILTERS = ("kind", "year", "area", "use_case", "access", "licence", "organisation", "creator")


def catalogue_pass(filters: Filters, *, offset: int = 0, limit: int = 0) -> CatalogueResult:
    """The catalogue's matches for ``filters``: how many, the keys of ``limit`` of them from
    ``offset`` in the catalogue's order (``catalogue``'s: relevance when searching, then the
    newest; or ``filters.sort``), and the facets — how many match per kind, year, research
    area, use case, access, licence, and for the ``FACET_TOP`` most frequent affiliated
    organisations and creators.

    A facet that is also a chosen filter is counted without that filter (and with all the
    others), since choosing another of its values replaces the chosen one: each count is the
    number of results its link leads to. That takes one more statement per such filter.

    A chosen value is always listed in its facet, so that it shows as chosen and can be
    lifted, even where the counting leaves it out (beyond the ``FACET_TOP`` creators or
    organisations, or matching nothing): its count is then the number of results, the
    outputs that have it among those matching the other filters.
    """
    result = _catalogue_pass(filters, offset=offset, limit=limit)
    facets = dict(result.facets)
    for name in FACET_FILTERS:
        chosen = getattr(filters, name)
        if not chosen:
            continue
        others = dataclasses.replace(filters, **{name: None if name == "year" else ""})
        counted = _catalogue_pass(others, organisation_label=filters.organisation)
        facets[name] = counted.facets[name]
        if all(facet.value != str(chosen) for facet in facets[name]):
            label = counted.chosen_label or _facet_label(name, chosen)
            facets[name] = [*facets[name], FacetValue(str(chosen), label, result.count)]
    return CatalogueResult(count=result.count, keys=result.keys, facets=facets)


_FACET_LABELS = {
    "kind": dict(OutputKind.choices),
    "area": dict(ResearchArea.choices),
    "use_case": dict(UseCase.choices),
    "access": dict(Access.choices),
}


def _facet_label(name: str, value) -> str:
    """How a facet value reads: a choice's label, else the value itself (years, licences,
    creators' names, and an organisation's slug when no organisation has it)."""
    return str(_FACET_LABELS.get(name, {}).get(value, value))


def _catalogue_pass(
    filters: Filters, *, offset: int = 0, limit: int = 0, organisation_label: str = ""
) -> CatalogueResult:
    """``catalogue_pass`` without the facets of chosen filters counted apart.

    One statement, however many outputs: the matching rows are read once (a materialised
    common table expression, with the search's rank) and the page, the count and every facet
    are computed from them: kind, access, research areas and use cases from the rows' facet
    keys (``Output.facet_key``), with years and licences in one grouping pass; creators and
    organisations in one pass over the rows' ``creator_names`` and ``affiliation_ids``. Facet
    values that match nothing are left out. With ``organisation_label`` (an organisation's
    slug), that organisation's name comes back too, as ``chosen_label``.
    """
    searching = search_query(filters.search) is not None
    columns = ["pk", "date_year", "date_month", "date_day", "licence", "facet_key"]
    columns += ["creator_names", "affiliation_ids"]
    if searching:
        columns.append("rank")
    if filters.sort == "title":
        columns.append("title")
    inner, inner_params = filtered(filters).order_by().values(*columns).query.sql_with_params()
    organisation = Organisation._meta.db_table
    # Kinds, access rights, research areas and use cases from the facet key's bits, years and
    # licences: one grouping pass. Creators and organisations: one pass over both lists.
    sql = f"""
        WITH m AS MATERIALIZED ({inner}),
        people AS (
            SELECT GROUPING(name) AS grouped, name, organisation_id, COUNT(*) AS n
            FROM (SELECT unnest(creator_names) AS name,
                         unnest(affiliation_ids) AS organisation_id FROM m) listed
            GROUP BY GROUPING SETS ((name), (organisation_id)))
        SELECT 'count', '', '', COUNT(*) FROM m
        UNION ALL SELECT 'hit', k.pk::text, '', k.n
            FROM unnest(ARRAY(
                SELECT pk FROM m ORDER BY {_sort_sql(filters, searching)} LIMIT %s OFFSET %s
            )) WITH ORDINALITY AS k(pk, n)
        UNION ALL SELECT
            CASE WHEN GROUPING(facet_key) = 0 THEN 'key'
                 WHEN GROUPING(date_year) = 0 THEN 'year'
                 ELSE 'licence' END,
            COALESCE(facet_key::text, date_year::text, licence), '', COUNT(*)
            FROM m
            GROUP BY GROUPING SETS ((facet_key), (date_year), (licence))
        UNION ALL (SELECT 'creator', name, '', n FROM people
            WHERE grouped = 0 AND name IS NOT NULL
            ORDER BY n DESC, name LIMIT {FACET_TOP})
        UNION ALL (SELECT 'organisation', o.slug, o.name, p.n
            FROM people p JOIN {organisation} o ON o.id = p.organisation_id
            WHERE p.grouped = 1
            ORDER BY p.n DESC, o.name LIMIT {FACET_TOP})
        UNION ALL SELECT 'label', o.slug, o.name, 0 FROM {organisation} o WHERE o.slug = %s
    """
    found: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, limit, offset, organisation_label])
        for facet, value, label, count in cursor.fetchall():
            found.setdefault(facet, []).append((value, label, count))

    def pairs(name, convert=str):
        return [(convert(value), count) for value, _label, count in found.get(name, [])]

    # Each bit of a facet key is a value of one facet (``FACET_BITS``).
    from_bits: dict[str, dict[str, int]] = {}
    for key, _label, count in found.get("key", []):
        for bit, (facet, value) in enumerate(FACET_BITS):
            if int(key) >> bit & 1:
                counts = from_bits.setdefault(facet, {})
                counts[value] = counts.get(value, 0) + count

    def bits(name):
        return list(from_bits.get(name, {}).items())

    hits = sorted(found.get("hit", []), key=lambda row: row[2])
    return CatalogueResult(
        count=found["count"][0][2],
        keys=[int(value) for value, _label, _n in hits],
        chosen_label=next((label for _slug, label, _n in found.get("label", [])), ""),
        facets={
            "kind": _sorted(bits("kind"), _FACET_LABELS["kind"]),
            "year": _sorted(pairs("year", int), by_count=False),
            "area": _sorted(bits("area"), _FACET_LABELS["area"]),
            "use_case": _sorted(bits("use_case"), _FACET_LABELS["use_case"]),
            "access": _sorted(bits("access"), _FACET_LABELS["access"]),
            "licence": _sorted(pairs("licence")),
            "organisation": [
                FacetValue(slug, name, n) for slug, name, n in found.get("organisation", [])
            ],
            "creator": [FacetValue(name, name, n) for name, _label, n in found.get("creator", [])],
        },
    )


def facets(filters: Filters) -> dict[str, list[FacetValue]]:
    """How many published outputs match ``filters`` per facet (``catalogue_pass``)."""
    return catalogue_pass(filters).facets


# What a result in the catalogue shows (``outputs/_output_item.html``).
CARD_FIELDS = (
    "pk",
    "updated_at",
    "kind",
    "title",
    "date_year",
    "date_month",
    "date_day",
    "venue",
    "access",
    "licence",
    "cover_image",
    "creator_names",
)


def catalogue_cards(keys: list[int]) -> list[Output]:
    """The outputs at ``keys``, in that order, with the fields a catalogue result shows
    (``CARD_FIELDS``; the byline from ``creator_names``): one query."""
    rows = {output.pk: output for output in Output.objects.filter(pk__in=keys).only(*CARD_FIELDS)}
    return [rows[key] for key in keys if key in rows]


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


def file_is_public(output: Output) -> bool:
    """Whether anyone may download ``output``'s file: it has one, the record is published
    and the file open (``Output.file_is_open``: open access, or an embargo whose date has
    come)."""
    return bool(output.file) and output.is_published and output.file_is_open()


def file_available_to(user, output: Output) -> bool:
    """Whether ``user`` (anonymous visitors included) may download ``output``'s file: anyone
    once it is public (``file_is_public``); otherwise only its curators
    (``outputs.download_file``). A tombstone serves no file."""
    if output.is_deleted or not output.file:
        return False
    if file_is_public(output):
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
