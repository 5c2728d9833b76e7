"""The OpenAIRE Guidelines for Literature Repository Managers v4 (``oai_openaire``): a record
as an ``oaire:resource`` element, with COAR resource types and access rights, the funding
reference of the European Commission with its Crossref Funder ID, and the citation details of
a publication. Built with ``xml.etree`` like the rest of the OAI-PMH responses."""

import xml.etree.ElementTree as ET
from collections.abc import Callable

from ..enums import Access, CreatorKind, IdentifierScheme, OutputKind
from .vocabularies import (
    COAR_ACCESS_RIGHTS,
    COAR_OTHER,
    COAR_TYPES,
    EC_FUNDER_ID,
    OPENAIRE_GENERAL_TYPES,
    award_uri,
    is_ec_grant,
    type_key,
)

OAIRE = "http://namespace.openaire.eu/schema/oaire/"
DATACITE = "http://datacite.org/schema/kernel-4"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd"
for _prefix, _uri in (("oaire", OAIRE), ("datacite", DATACITE)):
    ET.register_namespace(_prefix, _uri)

ALTERNATE_TYPES = {
    IdentifierScheme.ARXIV: "arXiv",
    IdentifierScheme.HANDLE: "Handle",
    IdentifierScheme.URL: "URL",
}


def _el(parent, namespace: str, tag: str, text=None, **attributes):
    element = ET.SubElement(
        parent, f"{{{namespace}}}{tag}", {k: v for k, v in attributes.items() if v}
    )
    if text is not None:
        element.text = str(text)
    return element


def _creators(root, output) -> None:
    creators = _el(root, DATACITE, "creators")
    for creator in output.creators.all():
        node = _el(creators, DATACITE, "creator")
        if creator.kind == CreatorKind.ORGANISATION or not creator.family_name:
            _el(
                node,
                DATACITE,
                "creatorName",
                creator.name,
                nameType="Organizational"
                if creator.kind == CreatorKind.ORGANISATION
                else "Personal",
            )
            continue
        name = f"{creator.family_name}, {creator.given_name}".strip(", ")
        _el(node, DATACITE, "creatorName", name, nameType="Personal")
        if creator.given_name:
            _el(node, DATACITE, "givenName", creator.given_name)
        _el(node, DATACITE, "familyName", creator.family_name)
        if creator.orcid:
            _el(
                node,
                DATACITE,
                "nameIdentifier",
                f"https://orcid.org/{creator.orcid}",
                nameIdentifierScheme="ORCID",
                schemeURI="https://orcid.org",
            )
        for organisation in creator.affiliations.all():
            _el(node, DATACITE, "affiliation", organisation.name)


def _funding(root, output) -> None:
    grants = list(output.funding.all())
    if not grants:
        return
    references = _el(root, OAIRE, "fundingReferences")
    for grant in grants:
        node = _el(references, OAIRE, "fundingReference")
        _el(node, OAIRE, "funderName", grant.funder)
        if is_ec_grant(grant):
            _el(
                node,
                OAIRE,
                "funderIdentifier",
                EC_FUNDER_ID,
                funderIdentifierType="Crossref Funder ID",
            )
        if grant.programme:
            _el(node, OAIRE, "fundingStream", grant.programme)
        if grant.award:
            _el(node, OAIRE, "awardNumber", grant.award, awardURI=award_uri(grant))


def openaire_element(parent, output, *, page_url: Callable):
    """Append the ``oaire:resource`` of ``output`` to ``parent`` and return it.
    ``page_url(output)`` gives a record's absolute address (its identifier when it has no DOI,
    and related records' without one)."""
    root = _el(parent, OAIRE, "resource")
    root.set(f"{{{XSI}}}schemaLocation", f"{OAIRE} {SCHEMA_LOCATION}")
    titles = _el(root, DATACITE, "titles")
    _el(titles, DATACITE, "title", output.title)
    _creators(root, output)
    _funding(root, output)
    alternates = [(page_url(output), "URL")] if output.doi else []
    alternates += [(i.value, ALTERNATE_TYPES[i.scheme]) for i in output.identifiers.all()]
    if alternates:
        node = _el(root, DATACITE, "alternateIdentifiers")
        for value, scheme in alternates:
            _el(node, DATACITE, "alternateIdentifier", value, alternateIdentifierType=scheme)
    relations = list(output.relations.all())
    if relations:
        node = _el(root, DATACITE, "relatedIdentifiers")
        for relation in relations:
            target = relation.target
            if target is not None and not target.doi:
                value, scheme = page_url(target), "URL"
            else:
                value, scheme = (target.doi if target is not None else relation.target_doi), "DOI"
            _el(
                node,
                DATACITE,
                "relatedIdentifier",
                value,
                relatedIdentifierType=scheme,
                relationType=relation.relation_type,
            )
    if output.publisher:
        _el(root, DC, "publisher", output.publisher)
    dates = _el(root, DATACITE, "dates")
    _el(dates, DATACITE, "date", output.date_iso, dateType="Issued")
    if output.access == Access.EMBARGOED and output.embargo_until:
        # The guidelines' embargo: from acceptance (here the publication date) to availability.
        _el(dates, DATACITE, "date", output.date_iso, dateType="Accepted")
        _el(dates, DATACITE, "date", output.embargo_until.isoformat(), dateType="Available")
    label, uri = COAR_TYPES.get(type_key(output), COAR_OTHER)
    _el(
        root,
        OAIRE,
        "resourceType",
        label,
        resourceTypeGeneral=OPENAIRE_GENERAL_TYPES[output.kind],
        uri=uri,
    )
    if output.abstract:
        _el(root, DC, "description", output.abstract)
    for media_type in output.formats:
        _el(root, DC, "format", media_type)
    if output.doi:
        _el(root, DATACITE, "identifier", output.doi, identifierType="DOI")
    else:
        _el(root, DATACITE, "identifier", page_url(output), identifierType="URL")
    label, uri = COAR_ACCESS_RIGHTS[output.access]
    _el(root, DATACITE, "rights", label, rightsURI=uri)
    if output.keywords:
        subjects = _el(root, DATACITE, "subjects")
        for keyword in output.keywords:
            _el(subjects, DATACITE, "subject", keyword)
    if output.licence:
        # The licence applies from the end of an embargo, else from publication.
        embargoed = output.access == Access.EMBARGOED and output.embargo_until
        _el(
            root,
            OAIRE,
            "licenseCondition",
            output.licence,
            startDate=output.embargo_until.isoformat() if embargoed else output.date_iso,
            uri=f"https://spdx.org/licenses/{output.licence}.html",
        )
    if output.size_bytes:
        sizes = _el(root, DATACITE, "sizes")
        _el(sizes, DATACITE, "size", f"{output.size_bytes} bytes")
    if output.version:
        _el(root, OAIRE, "version", output.version)
    if output.kind == OutputKind.PUBLICATION:
        if output.venue:
            _el(root, OAIRE, "citationTitle", output.venue)
        if output.volume:
            _el(root, OAIRE, "citationVolume", output.volume)
        if output.issue:
            _el(root, OAIRE, "citationIssue", output.issue)
        first, _sep, last = output.pages.partition("-")
        if first.strip():
            _el(root, OAIRE, "citationStartPage", first.strip())
        if last.strip("- "):
            _el(root, OAIRE, "citationEndPage", last.strip("- "))
    return root
