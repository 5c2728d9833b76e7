"""DataCite Metadata Schema 4.5: a record as DataCite JSON (the JSON form of the kernel, as the
``datacite`` library defines and validates it) and as DataCite XML (written by that library from
the same JSON, so the two never disagree).

DataCite metadata describes a DOI: the kernel's one mandatory ``identifier`` is the DOI, so only
records with a DOI have DataCite metadata (``has_datacite``); exports and the ``oai_datacite``
format leave the others out."""

from collections.abc import Callable, Iterable

from datacite import schema45
from lxml import etree

from ..enums import Access, CreatorKind, IdentifierScheme, OutputKind, ResearchArea
from .vocabularies import (
    DATACITE_TYPES,
    EC_FUNDER_ID,
    EU_REPO_ACCESS,
    award_uri,
    brief_label,
    is_ec_grant,
    type_key,
)

NAMESPACE = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = "http://schema.datacite.org/meta/kernel-4.5/metadata.xsd"
SCHEMA_VERSION = "http://datacite.org/schema/kernel-4"
ALTERNATE_TYPES = {
    IdentifierScheme.ARXIV: "arXiv",
    IdentifierScheme.HANDLE: "Handle",
    IdentifierScheme.URL: "URL",
}


def has_datacite(output) -> bool:
    return bool(output.doi)


def _creator(creator) -> dict:
    if creator.kind == CreatorKind.ORGANISATION:
        return {"name": creator.name, "nameType": "Organizational"}
    data = {"name": creator.name, "nameType": "Personal"}
    if creator.family_name:
        data["name"] = f"{creator.family_name}, {creator.given_name}".strip(", ")
        data["familyName"] = creator.family_name
    if creator.given_name:
        data["givenName"] = creator.given_name
    if creator.orcid:
        data["nameIdentifiers"] = [
            {
                "nameIdentifier": f"https://orcid.org/{creator.orcid}",
                "nameIdentifierScheme": "ORCID",
                "schemeUri": "https://orcid.org",
            }
        ]
    affiliations = []
    for organisation in creator.affiliations.all():
        affiliation = {"name": organisation.name}
        if organisation.ror_id:
            affiliation.update(
                affiliationIdentifier=f"https://ror.org/{organisation.ror_id}",
                affiliationIdentifierScheme="ROR",
                schemeUri="https://ror.org",
            )
        affiliations.append(affiliation)
    if affiliations:
        data["affiliation"] = affiliations
    return data


def _related(output, page_url: Callable) -> list[dict]:
    related = []
    for relation in output.relations.all():
        target = relation.target
        if target is not None and target.doi:
            value, scheme = target.doi, "DOI"
        elif target is not None:
            value, scheme = page_url(target), "URL"
        else:
            value, scheme = relation.target_doi, "DOI"
        related.append(
            {
                "relatedIdentifier": value,
                "relatedIdentifierType": scheme,
                "relationType": relation.relation_type,
            }
        )
    return related


def datacite_json(output, *, page_url: Callable) -> dict:
    """The DataCite 4.5 JSON of ``output`` (which must have a DOI). ``page_url(output)`` gives
    a record's absolute address, for the landing page and for related records without a DOI.

    Funding by the European Commission carries its Crossref Funder ID and the OpenAIRE project
    URI; access rights use the info:eu-repo terms, the licence its SPDX identifier."""
    type_general = DATACITE_TYPES.get(type_key(output), "Text")
    types = {"resourceTypeGeneral": type_general}
    if output.kind == OutputKind.RESULT_IN_BRIEF and output.brief_type:
        types["resourceType"] = brief_label(output)
    elif output.kind == OutputKind.PUBLICATION and output.publication_type:
        types["resourceType"] = output.get_publication_type_display()
    else:
        # The kernel's free-text type beside the general one: never left empty.
        types["resourceType"] = output.get_kind_display()
    data = {
        "doi": output.doi,
        "url": page_url(output),
        "types": types,
        "creators": [_creator(creator) for creator in output.creators.all()],
        "titles": [{"title": output.title}],
        "publisher": {"name": output.publisher or output.organisation.name},
        "publicationYear": str(output.date_year),
        "dates": [{"date": output.date_iso, "dateType": "Issued"}],
        "alternateIdentifiers": [
            {"alternateIdentifier": page_url(output), "alternateIdentifierType": "URL"},
            *(
                {
                    "alternateIdentifier": identifier.value,
                    "alternateIdentifierType": ALTERNATE_TYPES[identifier.scheme],
                }
                for identifier in output.identifiers.all()
            ),
        ],
        "rightsList": [
            {"rights": output.get_access_display(), "rightsUri": EU_REPO_ACCESS[output.access]}
        ],
        "schemaVersion": SCHEMA_VERSION,
    }
    if not data["creators"]:
        data["creators"] = [{"name": output.organisation.name, "nameType": "Organizational"}]
    if output.access == Access.EMBARGOED and output.embargo_until:
        data["dates"].append({"date": output.embargo_until.isoformat(), "dateType": "Available"})
    if output.licence:
        data["rightsList"].append(
            {
                "rights": output.licence,
                "rightsUri": f"https://spdx.org/licenses/{output.licence}.html",
                "rightsIdentifier": output.licence,
                "rightsIdentifierScheme": "SPDX",
                "schemeUri": "https://spdx.org/licenses/",
            }
        )
    subjects = [{"subject": keyword} for keyword in output.keywords]
    subjects += [
        {"subject": str(ResearchArea(area).label), "subjectScheme": "AI4Media research areas"}
        for area in output.research_areas
    ]
    if subjects:
        data["subjects"] = subjects
    if output.abstract:
        data["descriptions"] = [{"description": output.abstract, "descriptionType": "Abstract"}]
    related = _related(output, page_url)
    if related:
        data["relatedIdentifiers"] = related
    sizes = []
    if output.size_bytes:
        sizes.append(f"{output.size_bytes} bytes")
    if output.item_count:
        sizes.append(f"{output.item_count} items")
    if sizes:
        data["sizes"] = sizes
    if output.formats:
        data["formats"] = list(output.formats)
    if output.version:
        data["version"] = output.version
    funding = []
    for grant in output.funding.all():
        reference = {"funderName": grant.funder}
        if is_ec_grant(grant):
            reference.update(
                funderIdentifier=EC_FUNDER_ID, funderIdentifierType="Crossref Funder ID"
            )
        if grant.award:
            reference["awardNumber"] = grant.award
        if award_uri(grant):
            reference["awardUri"] = award_uri(grant)
        funding.append(reference)
    if funding:
        data["fundingReferences"] = funding
    return data


def datacite_element(output, *, page_url: Callable):
    """The DataCite XML ``<resource>`` of ``output`` as an lxml element."""
    return schema45.dump_etree(datacite_json(output, page_url=page_url))


def datacite_xml(output, *, page_url: Callable) -> bytes:
    """One record (with a DOI) as a DataCite XML document."""
    root = datacite_element(output, page_url=page_url)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def datacite_xml_list(outputs: Iterable, *, page_url: Callable) -> bytes:
    """The records with a DOI among ``outputs`` as ``<resources>`` holding one kernel-4
    ``<resource>`` each: the kernel has no element for a collection, so that wrapper is this
    portal's; each resource is a complete DataCite record."""
    root = etree.Element(f"{{{NAMESPACE}}}resources", nsmap={None: NAMESPACE})
    for output in outputs:
        if has_datacite(output):
            root.append(datacite_element(output, page_url=page_url))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
