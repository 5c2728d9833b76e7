"""Every write of research outputs: create, edit, publish, return to draft, delete (which
leaves a tombstone).

Each service checks the actor's permission (``PermissionDenied``), runs in one transaction,
locks the record it changes, validates the metadata (``PortalError`` naming the field) and
writes the audit log. HTML views and the API call these.
"""

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes, apply_file_change
from ai4media_portal.core.exceptions import PortalError, Refusals
from ai4media_portal.core.permissions import can, require_perm
from ai4media_portal.core.text import control_character_error, first_forbidden_in
from ai4media_portal.core.workflow import ensure_transition
from network.models import Organisation

from . import selectors
from .enums import (
    CONSORTIUM,
    COVER_KINDS,
    FILE_KINDS,
    TRANSITIONS,
    Access,
    CreatorKind,
    IdentifierScheme,
    LinkKind,
    OutputKind,
    OutputStatus,
    RelationType,
)
from .models import (
    Creator,
    Funding,
    Identifier,
    Link,
    Output,
    OutputStatusChange,
    Relation,
    embargo_today,
)
from .validators import (
    normalise_arxiv,
    normalise_doi,
    normalise_handle,
    normalise_licence,
    normalise_orcid,
)

# The fields that only one kind of output has; the others are emptied when the kind is set.
KIND_FIELDS = {
    OutputKind.PUBLICATION: ("publication_type", "venue", "volume", "issue", "pages", "publisher"),
    OutputKind.DATASET: ("size_bytes", "formats", "item_count", "access_url"),
    OutputKind.SOFTWARE: ("repository_url", "languages", "version", "trl", "documentation_url"),
    OutputKind.RESULT_IN_BRIEF: ("brief_type",),
}
_EMPTY = {"size_bytes": None, "item_count": None, "trl": None, "formats": [], "languages": []}


@dataclass
class CreatorData:
    """One creator as a form, the API or an import gives it."""

    name: str = ""
    given_name: str = ""
    family_name: str = ""
    kind: str = CreatorKind.PERSON
    orcid: str = ""
    affiliations: Sequence[Organisation] = field(default_factory=list)


@dataclass
class FileChanges:
    """Uploads for an output, already checked by the form or serializer
    (``core.validators.validate_pdf`` / ``validate_image``): a new ``file`` (PDF) with the
    name the uploader gave it, a new ``cover_image``, or a request to remove either."""

    file: object = None
    file_name: str = ""
    clear_file: bool = False
    cover_image: object = None
    clear_cover_image: bool = False

    @property
    def empty(self) -> bool:
        return not (self.file or self.clear_file or self.cover_image or self.clear_cover_image)


@dataclass
class RelationData:
    relation_type: str
    target: Output | None = None
    target_doi: str = ""


def _error(exc: DjangoValidationError, field_name: str) -> PortalError:
    return PortalError(exc.messages[0], field=field_name, code=exc.code or "invalid")


def _clean_metadata(data: dict, current: Output | None = None) -> dict:
    """Normalise identifiers and licence, check the date and access rules, empty the fields
    of other kinds. Raises ``PortalError`` with every field at fault."""
    data = dict(data)
    refusals = Refusals()
    for name, normalise in (("doi", normalise_doi), ("licence", normalise_licence)):
        if data.get(name):
            data[name] = refusals.check(_normalised, normalise, data[name], name)
    if data.get("date_day") and not data.get("date_month"):
        refusals.found.append(PortalError(_("A day needs a month."), field="date"))
    kind = data.get("kind")
    if kind:
        for other, names in KIND_FIELDS.items():
            if other != kind:
                for name in names:
                    data[name] = _EMPTY.get(name, "")
    if "access" in data:
        if data["access"] == Access.EMBARGOED:
            refusals.check(_check_embargo, data.get("embargo_until"), current)
        else:
            data["embargo_until"] = None
    for name in ("keywords", "research_areas", "use_cases", "formats", "languages"):
        if name in data:
            data[name] = list(dict.fromkeys(v.strip() for v in data[name] if v and v.strip()))
    if "provenance_kind" in data or "provenance_id" in data:
        provenance = refusals.check(
            _clean_provenance, data.get("provenance_kind"), data.get("provenance_id")
        )
        data.update(provenance or {})
    refusals.raise_if_any()
    return data


def _normalised(normalise, value, field_name: str):
    try:
        return normalise(value)
    except DjangoValidationError as exc:
        raise _error(exc, field_name) from exc


def _check_embargo(until, current: Output | None) -> None:
    """An embargo has an end date, still to come (unless it is the record's own, unchanged:
    an embargo that ended before the nightly task lifted it does not block other edits)."""
    if not until:
        raise PortalError(_("Say until when the output is embargoed."), field="embargo_until")
    unchanged = current is not None and current.embargo_until == until
    if until <= embargo_today() and not unchanged:
        raise PortalError(
            _("This embargo has already ended: choose open access, or a later date."),
            field="embargo_until",
        )


def _clean_provenance(kind: str | None, record_id) -> dict:
    """The consortium (no record), or a kind that a pillar's ``provenance`` module defines
    with the id of one of its public records. ``PortalError`` on ``provenance_kind`` or
    ``provenance_id``."""
    kind = kind or CONSORTIUM
    if kind == CONSORTIUM:
        return {"provenance_kind": CONSORTIUM, "provenance_id": None}
    if kind not in dict(selectors.provenance_choices()):
        raise PortalError(
            _("Unknown provenance “%(kind)s”.") % {"kind": kind}, field="provenance_kind"
        )
    if record_id in (None, ""):
        raise PortalError(_("Give the number of the record it comes from."), field="provenance_id")
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        record_id = -1
    if record_id < 1 or selectors.provenance_record(kind, record_id) is None:
        raise PortalError(
            _("No public record of this kind has the number %(id)s.") % {"id": record_id},
            field="provenance_id",
            code="unknown",
        )
    return {"provenance_kind": kind, "provenance_id": record_id}


def _apply_files(output: Output, files: FileChanges | None) -> list[str]:
    """Put ``files`` in ``output`` (not saved); drop a file or cover its kind cannot carry.
    Returns the names of the fields changed. ``PortalError`` for an upload of the wrong kind."""
    changed: list[str] = []
    files = files or FileChanges()
    if files.file is not None and output.kind not in FILE_KINDS:
        raise PortalError(_("Software records carry no file; link the code instead."), field="file")
    if files.cover_image is not None and output.kind not in COVER_KINDS:
        raise PortalError(_("Only a result in brief has a cover image."), field="cover_image")
    clear_file = files.clear_file or output.kind not in FILE_KINDS
    if apply_file_change(output, "file", files.file, clear=clear_file):
        output.file_name = (files.file_name or "document.pdf")[:200] if files.file else ""
        changed += ["file", "file_name"]
    clear_cover = files.clear_cover_image or output.kind not in COVER_KINDS
    if apply_file_change(output, "cover_image", files.cover_image, clear=clear_cover):
        changed.append("cover_image")
    return changed


def _refusal(field: models.Field, value) -> str:
    """Why ``field`` cannot hold ``value``, or "": a control character, judged as every form and
    the API judge text (``core.text``: tab and line breaks only in a text field), or what the
    field's validators refuse (a length the database would refuse). For values no form has
    checked: an import's, read from a file."""
    found = first_forbidden_in(value, multiline=isinstance(field, models.TextField))
    if found:
        return control_character_error(found).messages[0]
    try:
        field.run_validators(value)
    except DjangoValidationError as exc:
        return exc.messages[0]
    return ""


def _clean_creators(creators: Iterable[CreatorData]) -> list[CreatorData]:
    """The creators with their names trimmed and ORCID iDs normalised. Raises ``PortalError``
    (field ``creators``, naming the creator by number) when there is none, one has no name, a
    value the database cannot store (too long, a control character), a bad ORCID iD (ISO 7064
    11,2 check digit), an ORCID iD for an organisation, or one ORCID iD given to two
    creators."""
    cleaned = []
    numbers_by_orcid: dict[str, int] = {}
    for number, creator in enumerate(creators, start=1):
        if creator.kind == CreatorKind.PERSON:
            name = creator.name or " ".join(
                part for part in (creator.given_name, creator.family_name) if part
            )
        else:
            name = creator.name
        if not name.strip():
            raise PortalError(_("Creator %(n)s has no name.") % {"n": number}, field="creators")
        orcid = ""
        if creator.orcid:
            if creator.kind != CreatorKind.PERSON:
                raise PortalError(
                    _("Creator %(n)s: only a person has an ORCID iD.") % {"n": number},
                    field="creators",
                )
            try:
                orcid = normalise_orcid(creator.orcid)
            except DjangoValidationError as exc:
                raise PortalError(
                    _("Creator %(n)s: %(error)s") % {"n": number, "error": exc.messages[0]},
                    field="creators",
                ) from exc
            if orcid in numbers_by_orcid:
                raise PortalError(
                    _("Creators %(first)s and %(n)s have the same ORCID iD: one person has one.")
                    % {"first": numbers_by_orcid[orcid], "n": number},
                    field="creators",
                )
            numbers_by_orcid[orcid] = number
        found = CreatorData(
            name=name.strip(),
            given_name=creator.given_name.strip(),
            family_name=creator.family_name.strip(),
            kind=creator.kind,
            orcid=orcid,
            affiliations=list(creator.affiliations),
        )
        for field_name in ("given_name", "family_name", "name"):
            field = Creator._meta.get_field(field_name)
            refusal = _refusal(field, getattr(found, field_name))
            if refusal:
                raise PortalError(
                    _("Creator %(n)s: %(error)s")
                    % {"n": number, "error": f"{field.verbose_name}: {refusal}"},
                    field="creators",
                )
        cleaned.append(found)
    if not cleaned:
        raise PortalError(_("An output has at least one creator."), field="creators")
    return cleaned


def _clean_identifiers(identifiers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The identifiers normalised, each once. Raises ``PortalError`` (field ``identifiers``)
    for an unknown scheme, a value its scheme refuses, or one the database cannot store (too
    long, a control character)."""
    from django.core.validators import URLValidator

    checks = {
        IdentifierScheme.ARXIV: normalise_arxiv,
        IdentifierScheme.HANDLE: normalise_handle,
    }
    cleaned = []
    for scheme, value in identifiers:
        if scheme not in IdentifierScheme.values:
            raise PortalError(
                _("Unknown identifier type “%(scheme)s”.") % {"scheme": scheme},
                field="identifiers",
            )
        try:
            if scheme == IdentifierScheme.URL:
                URLValidator(schemes=["http", "https"])(value)
            else:
                value = checks[scheme](value)
        except DjangoValidationError as exc:
            raise _error(exc, "identifiers") from exc
        refusal = _refusal(Identifier._meta.get_field("value"), value)
        if refusal:
            raise PortalError(
                _("%(scheme)s identifier: %(error)s")
                % {"scheme": IdentifierScheme(scheme).label, "error": refusal},
                field="identifiers",
            )
        if (scheme, value) not in cleaned:
            cleaned.append((scheme, value))
    return cleaned


def _clean_links(links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    from django.core.validators import URLValidator

    cleaned = []
    for kind, url in links:
        if kind not in LinkKind.values:
            raise PortalError(_("Unknown link type “%(kind)s”.") % {"kind": kind}, field="links")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError as exc:
            raise _error(exc, "links") from exc
        cleaned.append((kind, url))
    return cleaned


def _clean_relations(output: Output | None, relations: Iterable[RelationData]):
    cleaned = []
    for relation in relations:
        if relation.relation_type not in RelationType.values:
            raise PortalError(
                _("Unknown relation type “%(type)s”.") % {"type": relation.relation_type},
                field="relations",
            )
        if relation.target is not None:
            if output is not None and relation.target.pk == output.pk:
                raise PortalError(_("An output cannot relate to itself."), field="relations")
            cleaned.append(RelationData(relation.relation_type, relation.target, ""))
        else:
            try:
                doi = normalise_doi(relation.target_doi)
            except DjangoValidationError as exc:
                raise _error(exc, "relations") from exc
            cleaned.append(RelationData(relation.relation_type, None, doi))
    return cleaned


def _check_doi_free(output: Output, doi: str) -> None:
    if (
        doi
        and Output.objects.filter(doi=doi)
        .exclude(status=OutputStatus.DELETED)
        .exclude(pk=output.pk)
        .exists()
    ):
        raise PortalError(_("Another output already has this DOI."), field="doi", code="unique")


def _full_clean(output: Output) -> None:
    try:
        # Uploads were checked by the form or serializer; their names are the portal's own.
        output.full_clean(exclude=["organisation", "search_vector", "doi", "file", "cover_image"])
    except DjangoValidationError as exc:
        raise PortalError.together(
            PortalError(errors[0].messages[0], field=None if name == "__all__" else name)
            for name, errors in exc.error_dict.items()
        ) from exc


def _write_creators(output: Output, creators: list[CreatorData]) -> None:
    output.creators.all().delete()
    rows = Creator.objects.bulk_create(
        Creator(
            output=output,
            position=position,
            kind=creator.kind,
            name=creator.name,
            given_name=creator.given_name,
            family_name=creator.family_name,
            orcid=creator.orcid,
        )
        for position, creator in enumerate(creators)
    )
    Through = Creator.affiliations.through
    Through.objects.bulk_create(
        Through(creator_id=row.pk, organisation_id=organisation.pk)
        for row, creator in zip(rows, creators, strict=True)
        for organisation in dict.fromkeys(creator.affiliations)
    )
    output.search_names = " ".join(creator.name for creator in creators)
    output.creator_names = list(dict.fromkeys(creator.name for creator in creators))
    output.affiliation_ids = list(
        dict.fromkeys(o.pk for creator in creators for o in creator.affiliations)
    )
    # updated_at is the record's OAI-PMH datestamp: it moves whenever anything shown changes.
    output.save(update_fields=["search_names", "creator_names", "affiliation_ids", "updated_at"])


# The catalogue's columns of ``Output`` from its creators, for writers that bulk-create creators
# (the demo data, benchmarks, test factories); ``_write_creators`` sets them itself.
_FACETS_FROM_CREATORS = """
    UPDATE outputs_output o SET
        search_names = COALESCE(
            (SELECT string_agg(name, ' ' ORDER BY position) FROM outputs_creator
              WHERE output_id = o.id),
            ''),
        creator_names = COALESCE(
            (SELECT array_agg(c.name ORDER BY c.first)
               FROM (SELECT name, MIN(position) AS first FROM outputs_creator
                      WHERE output_id = o.id GROUP BY name) c),
            '{}'),
        affiliation_ids = COALESCE(
            (SELECT array_agg(DISTINCT a.organisation_id)
               FROM outputs_creator c
               JOIN outputs_creator_affiliations a ON a.creator_id = c.id
              WHERE c.output_id = o.id),
            '{}')
    WHERE o.id = ANY(%s)
"""


def catalogue_columns_refresh(output_ids: Iterable[int]) -> None:
    """Recompute ``search_names``, ``creator_names`` and ``affiliation_ids`` of the outputs
    ``output_ids`` from their stored creators and affiliations, in one statement. Not their
    datestamp: nothing a harvester sees changes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_FACETS_FROM_CREATORS, [list(output_ids)])


def _write_rows(output, identifiers, links, relations) -> None:
    if identifiers is not None:
        output.identifiers.all().delete()
        Identifier.objects.bulk_create(
            Identifier(output=output, scheme=scheme, value=value) for scheme, value in identifiers
        )
    if links is not None:
        output.links.all().delete()
        Link.objects.bulk_create(Link(output=output, kind=kind, url=url) for kind, url in links)
    if relations is not None:
        output.relations.all().delete()
        Relation.objects.bulk_create(
            Relation(
                output=output,
                relation_type=relation.relation_type,
                target=relation.target,
                target_doi=relation.target_doi,
            )
            for relation in relations
        )


def output_create(
    *,
    actor,
    organisation: Organisation,
    data: dict,
    creators: Iterable[CreatorData],
    identifiers: Iterable[tuple[str, str]] = (),
    links: Iterable[tuple[str, str]] = (),
    relations: Iterable[RelationData] = (),
    files: FileChanges | None = None,
) -> Output:
    """A new draft output curated by ``organisation`` (its contacts and staff may), funded by
    the network's grant (European Commission, H2020, 951911).

    ``data`` holds ``Output.METADATA_FIELDS``; the DOI and licence are normalised, an ORCID iD
    with a wrong check digit, an unknown SPDX licence, a DOI another output has or a
    provenance record that does not exist (or is not public) are refused with ``PortalError``
    naming the field. ``files`` may bring the PDF (publications, datasets, results in brief)
    and the cover image (results in brief).
    """
    require_perm(actor, "outputs.add_output", organisation)
    refusals = Refusals()
    data = refusals.check(_clean_metadata, data)
    creators = refusals.check(_clean_creators, creators)
    identifiers = refusals.check(_clean_identifiers, identifiers)
    links = refusals.check(_clean_links, links)
    relations = refusals.check(_clean_relations, None, relations)
    refusals.raise_if_any()
    with transaction.atomic():
        output = Output(organisation=organisation)
        apply_changes(output, data, Output.METADATA_FIELDS)
        _apply_files(output, files)
        _full_clean(output)
        _check_doi_free(output, output.doi)
        output.save()
        _write_creators(output, creators)
        _write_rows(output, identifiers, links, relations)
        Funding.objects.create(output=output)
        log_action("outputs.output.create", actor=actor, target=output, data={"kind": output.kind})
    return output


def output_update(
    *,
    output: Output,
    actor,
    data: dict,
    creators: Iterable[CreatorData] | None = None,
    identifiers: Iterable[tuple[str, str]] | None = None,
    links: Iterable[tuple[str, str]] | None = None,
    relations: Iterable[RelationData] | None = None,
    files: FileChanges | None = None,
) -> Output:
    """Change an output's metadata and files (its curators may, not once deleted); what is
    ``None`` is left as it is. A kind that carries no file or cover loses them. Every change
    moves the record's datestamp. Logs the names of the fields that changed."""
    require_perm(actor, "outputs.change_output", output)
    refusals = Refusals()
    data = refusals.check(_clean_metadata, data, current=output)
    if creators is not None:
        creators = refusals.check(_clean_creators, creators)
    if identifiers is not None:
        identifiers = refusals.check(_clean_identifiers, identifiers)
    if links is not None:
        links = refusals.check(_clean_links, links)
    if relations is not None:
        relations = refusals.check(_clean_relations, output, relations)
    refusals.raise_if_any()
    with transaction.atomic():
        locked = Output.objects.select_for_update().get(pk=output.pk)
        require_perm(actor, "outputs.change_output", locked)
        changed = apply_changes(locked, data, Output.METADATA_FIELDS)
        changed += _apply_files(locked, files)
        _full_clean(locked)
        if "doi" in changed:
            _check_doi_free(locked, locked.doi)
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        if creators is not None:
            _write_creators(locked, creators)
            changed.append("creators")
        _write_rows(locked, identifiers, links, relations)
        if any(rows is not None for rows in (identifiers, links, relations)):
            locked.save(update_fields=["updated_at"])
        changed += [
            name
            for name, value in (
                ("identifiers", identifiers),
                ("links", links),
                ("relations", relations),
            )
            if value is not None
        ]
        log_action("outputs.output.update", actor=actor, target=locked, data={"fields": changed})
    return locked


def _set_status(output: Output, target: OutputStatus, *, actor, message: str = "") -> None:
    """The one writer of ``Output.status``, on a row the caller has locked."""
    current = OutputStatus(output.status)
    ensure_transition(current, target, TRANSITIONS)
    output.status = target
    fields = ["status", "updated_at"]
    if target == OutputStatus.PUBLISHED and output.published_at is None:
        output.published_at = timezone.now()
        fields.append("published_at")
    if target == OutputStatus.DELETED:
        output.deleted_at = timezone.now()
        output.deletion_reason = message[:300]
        fields += ["deleted_at", "deletion_reason"]
    output.save(update_fields=fields)
    OutputStatusChange.objects.create(
        output=output, from_status=current, to_status=target, actor=actor, message=message
    )
    log_action(
        f"outputs.output.{target.value}",
        actor=actor,
        target=output,
        data={"from": current.value, "to": target.value},
    )


def _move(output: Output, *, actor, perm: str, target: OutputStatus, message: str = ""):
    require_perm(actor, perm, output)
    with transaction.atomic():
        locked = Output.objects.select_for_update().select_related("organisation").get(pk=output.pk)
        require_perm(actor, perm, locked)
        _set_status(locked, target, actor=actor, message=message)
    return locked


def output_publish(*, output: Output, actor) -> Output:
    """Make a draft public in the catalogue, the API and the exports (its curators may)."""
    return _move(output, actor=actor, perm="outputs.publish_output", target=OutputStatus.PUBLISHED)


def output_unpublish(*, output: Output, actor) -> Output:
    """Take a published output back to draft (its curators may)."""
    return _move(output, actor=actor, perm="outputs.publish_output", target=OutputStatus.DRAFT)


def output_delete(*, output: Output, actor, reason: str) -> Output:
    """Delete an output, leaving a tombstone: the record keeps its identifier and title and
    says it was deleted, when and why; it leaves the catalogue, the API lists and the exports.
    Final. ``reason`` is required (shown on the tombstone)."""
    if not (reason or "").strip():
        raise PortalError(_("Say why the output is deleted."), field="reason")
    return _move(
        output,
        actor=actor,
        perm="outputs.delete_output",
        target=OutputStatus.DELETED,
        message=reason.strip(),
    )


def embargoes_lift(*, today) -> int:
    """Open every embargoed output whose embargo ends on or before ``today`` (a date): its
    access becomes open, its embargo date is cleared and its datestamp moves, so harvesters
    fetch it again. Run daily by the ``outputs.lift_embargoes`` task; no actor, no permission.
    Returns how many outputs were opened."""
    with transaction.atomic():
        due = list(
            Output.objects.select_for_update(skip_locked=True)
            .filter(access=Access.EMBARGOED, embargo_until__lte=today)
            .exclude(status=OutputStatus.DELETED)
        )
        for output in due:
            ended = output.embargo_until
            output.access = Access.OPEN
            output.embargo_until = None
            output.save(update_fields=["access", "embargo_until", "updated_at"])
            log_action(
                "outputs.output.embargo_lift",
                target=output,
                data={"embargo_until": ended.isoformat()},
            )
    return len(due)


# --- Import ------------------------------------------------------------------------------------


class ImportAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SKIP = "skip"


@dataclass
class ImportRow:
    """What happens to one entry of an imported file, and why."""

    candidate: object
    action: ImportAction
    reason: str = ""
    output: Output | None = None


_NOT_ALNUM = re.compile(r"[\W_]+")


def _title_key(title: str, year) -> tuple[str, int]:
    # Run against every stored title of the file's years: a regular expression, not a
    # character loop (100,000 titles).
    return _NOT_ALNUM.sub("", title.casefold()), int(year)


def _check_fields(data: dict) -> None:
    """What the commit's insert would refuse, found without touching the database: control
    characters, as every form and the API refuse them (an import's values come from a file,
    which no form has checked), then the model's field checks (lengths, ranges, choices).
    Raises ``PortalError`` naming the field."""
    for name, value in data.items():
        field = Output._meta.get_field(name)
        refusal = _refusal(field, value)
        if refusal:
            raise PortalError(f"{field.verbose_name}: {refusal}", field=name)
    output = Output()
    apply_changes(output, data, Output.METADATA_FIELDS)
    try:
        output.clean_fields(exclude=["organisation", "search_vector", "doi", "uid"])
    except DjangoValidationError as exc:
        name, errors = next(iter(exc.error_dict.items()))
        raise PortalError(
            f"{Output._meta.get_field(name).verbose_name}: {errors[0].messages[0]}", field=name
        ) from exc


def outputs_import(*, actor, organisation: Organisation, candidates: list, commit: bool):
    """Plan (``commit=False``) or carry out (``commit=True``) the import of ``candidates``
    (``bibtex_import.Candidate``) as outputs of ``organisation`` (its contacts and staff may).

    Each entry is created as a draft, updates the live output with its DOI when the actor
    curates that one, or is skipped with the reason: unreadable, invalid metadata (bad DOI,
    ORCID iD or licence, no creator…), the same DOI or title and year as an earlier entry of
    the file or as an output of the catalogue. The commit is all or nothing: if any entry
    fails, nothing is written and ``PortalError`` names it. Returns one ``ImportRow`` per
    candidate, in file order.
    """
    require_perm(actor, "outputs.add_output", organisation)
    rows, seen = [], {}
    years = {c.data.get("date_year") for c in candidates if not c.reason}
    live = Output.objects.exclude(status=OutputStatus.DELETED)
    by_title = {
        _title_key(title, year): pk
        for pk, title, year in live.filter(date_year__in=years).values_list(
            "pk", "title", "date_year"
        )
    }
    # The stored outputs with the file's DOIs, in one query (the raw DOIs normalised as the
    # checks below do; a DOI that does not normalise is skipped there anyway).
    dois = set()
    for candidate in candidates:
        if not candidate.reason and candidate.data.get("doi"):
            with contextlib.suppress(DjangoValidationError):
                dois.add(normalise_doi(candidate.data["doi"]))
    by_doi = {
        output.doi: output
        for output in live.filter(doi__in=dois).select_related("organisation").order_by("pk")
    }
    for candidate in candidates:
        if candidate.reason:
            rows.append(ImportRow(candidate, ImportAction.SKIP, candidate.reason))
            continue
        try:
            data = _clean_metadata(candidate.data)
            _clean_creators(candidate.creators)
            _clean_identifiers(candidate.identifiers)
            _check_fields(data)
        except PortalError as error:
            rows.append(ImportRow(candidate, ImportAction.SKIP, str(error.message)))
            continue
        keys = [("doi", data["doi"])] if data["doi"] else []
        keys.append(("title", _title_key(data["title"], data["date_year"])))
        earlier = next((seen[key] for key in keys if key in seen), None)
        if earlier is not None:
            rows.append(
                ImportRow(
                    candidate,
                    ImportAction.SKIP,
                    _("Same DOI or title and year as entry “%(key)s” above.") % {"key": earlier},
                )
            )
            continue
        seen.update(dict.fromkeys(keys, candidate.key))
        existing = by_doi.get(data["doi"]) if data["doi"] else None
        if existing is not None:
            if can(actor, "outputs.change_output", existing):
                rows.append(ImportRow(candidate, ImportAction.UPDATE, output=existing))
            else:
                rows.append(
                    ImportRow(
                        candidate,
                        ImportAction.SKIP,
                        _("Output #%(pk)s already has this DOI.") % {"pk": existing.pk},
                    )
                )
            continue
        twin = by_title.get(keys[-1][1])
        if twin is not None:
            rows.append(
                ImportRow(
                    candidate,
                    ImportAction.SKIP,
                    _("Output #%(pk)s has the same title and year.") % {"pk": twin},
                )
            )
            continue
        rows.append(ImportRow(candidate, ImportAction.CREATE))
    if commit:
        with transaction.atomic():
            for row in rows:
                candidate = row.candidate
                if row.action == ImportAction.CREATE:
                    row.output = output_create(
                        actor=actor,
                        organisation=organisation,
                        data=candidate.data,
                        creators=candidate.creators,
                        identifiers=candidate.identifiers,
                    )
                elif row.action == ImportAction.UPDATE:
                    data = {k: v for k, v in candidate.data.items() if k not in ("kind", "access")}
                    row.output = output_update(
                        output=row.output,
                        actor=actor,
                        data=data,
                        creators=candidate.creators,
                        identifiers=candidate.identifiers,
                    )
            log_action(
                "outputs.import",
                actor=actor,
                target=organisation,
                data={
                    action.value: sum(r.action == action for r in rows) for action in ImportAction
                },
            )
    return rows
