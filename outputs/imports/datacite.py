"""DataCite metadata (the JSON of DataCite's REST API or of the kernel, Zenodo's record JSON,
and DataCite XML) into import candidates. XML is parsed by defusedxml: a document with a DTD or
entities (the "billion laughs" expansion and external entities) is refused whole."""

import datetime

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

from ai4media_portal.core.exceptions import PortalError

from ..bibtex_import import Candidate
from ..enums import Access, IdentifierScheme, OutputKind, PublicationType
from .common import (
    ACCESS_TERMS,
    DATACITE_TYPES,
    candidate,
    guarded,
    organisation,
    pages,
    parse_date,
    person,
    text,
)

KERNEL = "http://datacite.org/schema/kernel-4"
ALTERNATE_SCHEMES = {"arxiv": IdentifierScheme.ARXIV, "handle": IdentifierScheme.HANDLE}
# Zenodo's resource types (``resource_type.type`` / ``subtype``).
ZENODO_TYPES = {
    ("publication", "article"): (OutputKind.PUBLICATION, PublicationType.JOURNAL_ARTICLE),
    ("publication", "conferencepaper"): (OutputKind.PUBLICATION, PublicationType.CONFERENCE_PAPER),
    ("publication", "preprint"): (OutputKind.PUBLICATION, PublicationType.PREPRINT),
    ("publication", "section"): (OutputKind.PUBLICATION, PublicationType.BOOK_CHAPTER),
    ("publication", "thesis"): (OutputKind.PUBLICATION, PublicationType.THESIS),
    ("publication", "report"): (OutputKind.PUBLICATION, PublicationType.REPORT),
    ("publication", "technicalnote"): (OutputKind.PUBLICATION, PublicationType.REPORT),
    ("dataset", ""): (OutputKind.DATASET, ""),
    ("software", ""): (OutputKind.SOFTWARE, ""),
}
ZENODO_ACCESS = {
    "open": Access.OPEN,
    "embargoed": Access.EMBARGOED,
    "restricted": Access.RESTRICTED,
    "closed": Access.METADATA_ONLY,
}


def _orcid(identifiers) -> str:
    for identifier in identifiers or []:
        if str(identifier.get("nameIdentifierScheme", "")).upper() == "ORCID":
            return str(identifier.get("nameIdentifier", ""))
    return ""


def _creators(values) -> list:
    creators = []
    for value in values or []:
        if not isinstance(value, dict):
            continue
        if value.get("nameType") == "Organizational":
            creators.append(organisation(value.get("name", "")))
        elif value.get("familyName") or value.get("givenName"):
            creators.append(
                person(
                    family=value.get("familyName", ""),
                    given=value.get("givenName", ""),
                    orcid=_orcid(value.get("nameIdentifiers")),
                )
            )
        else:
            family, _sep, given = str(value.get("name", "")).partition(",")
            creators.append(
                person(family=family, given=given, orcid=_orcid(value.get("nameIdentifiers")))
            )
    return creators


def _embargo_end(dates) -> datetime.date | None:
    for value in dates:
        if value.get("dateType") == "Available":
            year, month, day = parse_date(value.get("date"))
            if year and month and day:
                return datetime.date(year, month, day)
    return None


def read_datacite_record(data, number: int) -> Candidate:
    """One DataCite record (the kernel's JSON, or an item of DataCite's REST API with its
    ``attributes``) as a candidate."""
    if not isinstance(data, dict):
        return Candidate(key="", line=number, reason=_("This entry is not a DataCite record."))
    data = data.get("attributes") or data
    if not isinstance(data, dict):
        return Candidate(key="", line=number, reason=_("This entry is not a DataCite record."))
    titles = [t for t in data.get("titles") or [] if isinstance(t, dict)]
    title = next((t.get("title", "") for t in titles if not t.get("titleType")), "")
    types = data.get("types") or {}
    general = str(types.get("resourceTypeGeneral", ""))
    dates = [d for d in data.get("dates") or [] if isinstance(d, dict)]
    issued = next((d.get("date") for d in dates if d.get("dateType") == "Issued"), None)
    year, month, day = parse_date(issued)
    year = year or parse_date(data.get("publicationYear"))[0]
    rights = [r for r in data.get("rightsList") or [] if isinstance(r, dict)]
    access = next(
        (
            ACCESS_TERMS[str(r.get("rightsUri", "")).lower()]
            for r in rights
            if str(r.get("rightsUri", "")).lower() in ACCESS_TERMS
        ),
        Access.OPEN,
    )
    licence = next(
        (
            str(r.get("rightsIdentifier", ""))
            for r in rights
            if str(r.get("rightsIdentifierScheme", "")).lower() == "spdx"
        ),
        "",
    )
    publisher = data.get("publisher") or ""
    if isinstance(publisher, dict):
        publisher = publisher.get("name", "")
    container = data.get("container") or {}
    first, last = container.get("firstPage", ""), container.get("lastPage", "")
    identifiers = [
        (
            ALTERNATE_SCHEMES[str(i.get("alternateIdentifierType", "")).lower()],
            i.get("alternateIdentifier", ""),
        )
        for i in data.get("alternateIdentifiers") or []
        if isinstance(i, dict)
        and str(i.get("alternateIdentifierType", "")).lower() in ALTERNATE_SCHEMES
    ]
    return candidate(
        key=data.get("doi") or data.get("id") or "",
        line=number,
        title=title,
        kind_type=DATACITE_TYPES.get(general),
        type_reason=_("The resource type “%(type)s” is not one of the types read.")
        % {"type": general},
        year=year,
        month=month,
        day=day,
        creators=_creators(data.get("creators")),
        identifiers=identifiers,
        abstract=next(
            (
                text(d.get("description"))
                for d in data.get("descriptions") or []
                if isinstance(d, dict) and d.get("descriptionType") == "Abstract"
            ),
            "",
        ),
        keywords=[
            text(s.get("subject"))
            for s in data.get("subjects") or []
            if isinstance(s, dict) and s.get("subject") and not s.get("subjectScheme")
        ],
        doi=str(data.get("doi") or "").strip(),
        licence=licence,
        access=access,
        embargo_until=_embargo_end(dates) if access == Access.EMBARGOED else None,
        venue=text(container.get("title")),
        volume=str(container.get("volume") or ""),
        issue=str(container.get("issue") or ""),
        pages=pages(f"{first}-{last}" if first and last else first),
        publisher=text(publisher),
        version=str(data.get("version") or "").strip(),
        formats=[str(f) for f in data.get("formats") or []],
    )


def read_zenodo_record(record, number: int) -> Candidate:
    """One Zenodo record (its JSON as Zenodo's REST API gives it, ``metadata`` inside)."""
    metadata = record.get("metadata") or {}
    resource = metadata.get("resource_type") or {}
    kind_key = (str(resource.get("type", "")), str(resource.get("subtype", "")))
    if kind_key[0] in ("dataset", "software"):
        kind_key = (kind_key[0], "")
    year, month, day = parse_date(metadata.get("publication_date"))
    access = ZENODO_ACCESS.get(str(metadata.get("access_right", "open")), Access.OPEN)
    embargo = None
    if access == Access.EMBARGOED:
        e_year, e_month, e_day = parse_date(metadata.get("embargo_date"))
        if e_year and e_month and e_day:
            embargo = datetime.date(e_year, e_month, e_day)
    journal = metadata.get("journal") or {}
    licence = metadata.get("license") or ""
    if isinstance(licence, dict):
        licence = licence.get("id", "")
    creators = []
    for value in metadata.get("creators") or []:
        family, _sep, given = str(value.get("name", "")).partition(",")
        creators.append(person(family=family, given=given, orcid=str(value.get("orcid", ""))))
    return candidate(
        key=record.get("id") or metadata.get("doi") or "",
        line=number,
        title=metadata.get("title", ""),
        kind_type=ZENODO_TYPES.get(kind_key),
        type_reason=_("The resource type “%(type)s” is not one of the types read.")
        % {"type": "/".join(part for part in kind_key if part)},
        year=year,
        month=month,
        day=day,
        creators=creators,
        abstract=text(metadata.get("description")),
        keywords=[text(k) for k in metadata.get("keywords") or [] if str(k).strip()],
        doi=str(metadata.get("doi") or record.get("doi") or "").strip(),
        licence=str(licence),
        access=access,
        embargo_until=embargo,
        venue=text(journal.get("title")),
        volume=str(journal.get("volume") or ""),
        issue=str(journal.get("issue") or ""),
        pages=pages(journal.get("pages")),
        publisher=text(metadata.get("publisher")),
        version=str(metadata.get("version") or "").strip(),
    )


def read_datacite_json(data) -> list[Candidate]:
    """A DataCite or Zenodo JSON document: one record, a list of them, DataCite's REST API
    answer (``data``: one item or a list) or Zenodo's search answer (``hits.hits``)."""
    if isinstance(data, dict) and isinstance(data.get("hits"), dict):
        data = data["hits"].get("hits") or []
    elif isinstance(data, dict) and "data" in data:
        data = data["data"]
    records = data if isinstance(data, list) else [data]
    return [guarded(_read_record, record, number) for number, record in enumerate(records, start=1)]


def _read_record(record, number: int) -> Candidate:
    if isinstance(record, dict) and isinstance(record.get("metadata"), dict):
        return read_zenodo_record(record, number)
    return read_datacite_record(record, number)


# --- DataCite XML -------------------------------------------------------------------------------


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element, name: str) -> list:
    return [child for child in element if _local(child) == name]


def _child_text(element, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "").strip() if found else ""


def _resource_as_json(resource) -> dict:
    """A kernel-4 ``<resource>`` as the kernel's JSON, for ``read_datacite_record``."""
    data: dict = {}
    for child in resource:
        name = _local(child)
        if name == "identifier" and child.get("identifierType", "").upper() == "DOI":
            data["doi"] = (child.text or "").strip()
        elif name == "creators":
            data["creators"] = [
                {
                    "name": _child_text(creator, "creatorName"),
                    "nameType": (_children(creator, "creatorName") or [creator])[0].get(
                        "nameType", ""
                    ),
                    "givenName": _child_text(creator, "givenName"),
                    "familyName": _child_text(creator, "familyName"),
                    "nameIdentifiers": [
                        {
                            "nameIdentifier": (n.text or "").strip(),
                            "nameIdentifierScheme": n.get("nameIdentifierScheme", ""),
                        }
                        for n in _children(creator, "nameIdentifier")
                    ],
                }
                for creator in _children(child, "creator")
            ]
        elif name == "titles":
            data["titles"] = [
                {"title": (t.text or "").strip(), "titleType": t.get("titleType", "")}
                for t in _children(child, "title")
            ]
        elif name in ("publisher", "publicationYear", "version"):
            data[name] = (child.text or "").strip()
        elif name == "resourceType":
            data["types"] = {"resourceTypeGeneral": child.get("resourceTypeGeneral", "")}
        elif name == "subjects":
            data["subjects"] = [
                {"subject": (s.text or "").strip(), "subjectScheme": s.get("subjectScheme", "")}
                for s in _children(child, "subject")
            ]
        elif name == "dates":
            data["dates"] = [
                {"date": (d.text or "").strip(), "dateType": d.get("dateType", "")}
                for d in _children(child, "date")
            ]
        elif name == "rightsList":
            data["rightsList"] = [
                {
                    "rightsUri": r.get("rightsURI", ""),
                    "rightsIdentifier": r.get("rightsIdentifier", ""),
                    "rightsIdentifierScheme": r.get("rightsIdentifierScheme", ""),
                }
                for r in _children(child, "rights")
            ]
        elif name == "descriptions":
            data["descriptions"] = [
                {
                    "description": "".join(d.itertext()),
                    "descriptionType": d.get("descriptionType", ""),
                }
                for d in _children(child, "description")
            ]
        elif name == "alternateIdentifiers":
            data["alternateIdentifiers"] = [
                {
                    "alternateIdentifier": (a.text or "").strip(),
                    "alternateIdentifierType": a.get("alternateIdentifierType", ""),
                }
                for a in _children(child, "alternateIdentifier")
            ]
        elif name == "formats":
            data["formats"] = [(f.text or "").strip() for f in _children(child, "format")]
    return data


def read_datacite_xml(content: bytes) -> list[Candidate]:
    """A DataCite XML document: one ``<resource>`` or several in a ``<resources>`` element (as
    this portal exports them). Raises ``PortalError`` for hostile XML (a DTD, entities) or a
    document that is not well-formed or not DataCite."""
    try:
        root = SafeET.fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise PortalError(
            _("This XML declares a DTD or entities, which are refused for safety."),
            field="file",
        ) from None
    except SafeET.ParseError as error:
        raise PortalError(
            _("This XML is not well-formed: %(error)s.") % {"error": error}, field="file"
        ) from None
    if root.tag == f"{{{KERNEL}}}resource":
        resources = [root]
    elif root.tag == f"{{{KERNEL}}}resources":
        resources = _children(root, "resource")
    else:
        raise PortalError(
            _("This XML is not DataCite metadata (kernel 4 <resource>)."), field="file"
        )
    return [
        guarded(_read_resource, resource, number)
        for number, resource in enumerate(resources, start=1)
    ]


def _read_resource(resource, number: int) -> Candidate:
    return read_datacite_record(_resource_as_json(resource), number)
