"""The AI-on-demand (AIoD) export: a record shaped like an asset of the AIoD metadata
catalogue, so that the platform can take the network's outputs in. A pure function of records
loaded by ``selectors.with_relations``.

The field names are the catalogue's (``platform``, ``platform_resource_identifier``, ``name``,
``description``, ``keyword``, ``license``, ``creator``, ``distribution``, ``research_area``…).
Where the catalogue points to other entries by their AIoD identifiers (creators are contacts
there), this export gives the people and organisations themselves, with their ORCID iD or ROR
id, for the platform to match."""

import datetime
from collections.abc import Callable, Iterable

from ..enums import Access, CreatorKind, OutputKind, ResearchArea
from .vocabularies import brief_label

PLATFORM = "ai4media"
# The catalogue's asset type per kind; results in brief (factsheets, booklets, white papers,
# the research agenda) are the network's educational content.
RESOURCE_TYPES = {
    OutputKind.DATASET: "dataset",
    OutputKind.PUBLICATION: "publication",
    OutputKind.SOFTWARE: "software",
    OutputKind.RESULT_IN_BRIEF: "educational_resource",
}
COLLECTIONS = {
    "dataset": "datasets",
    "publication": "publications",
    "software": "software",
    "educational_resource": "educational_resources",
}


def _creator(creator) -> dict:
    if creator.kind == CreatorKind.ORGANISATION:
        return {"type": "organisation", "name": creator.name}
    data = {"type": "person", "name": creator.name}
    if creator.given_name:
        data["given_name"] = creator.given_name
    if creator.family_name:
        data["surname"] = creator.family_name
    if creator.orcid:
        data["orcid"] = f"https://orcid.org/{creator.orcid}"
    affiliations = [
        {"name": o.name, **({"ror": f"https://ror.org/{o.ror_id}"} if o.ror_id else {})}
        for o in creator.affiliations.all()
    ]
    if affiliations:
        data["affiliation"] = affiliations
    return data


def _date_published(output) -> str:
    """The catalogue takes a date and time: the first day of a year- or month-precise date."""
    day = datetime.date(output.date_year, output.date_month or 1, output.date_day or 1)
    return f"{day.isoformat()}T00:00:00"


def _distributions(output) -> list[dict]:
    distributions = []
    if output.kind == OutputKind.DATASET and output.access_url:
        distribution = {"name": output.title, "content_url": output.access_url}
        if output.formats:
            distribution["encoding_format"] = output.formats[0]
        if output.size_bytes:
            # The catalogue counts kilobytes (1,000 bytes), rounded up.
            distribution["content_size_kb"] = -(-output.size_bytes // 1000)
        distributions.append(distribution)
    if output.kind == OutputKind.SOFTWARE and output.repository_url:
        distribution = {"name": "Source code", "content_url": output.repository_url}
        if output.trl:
            distribution["technology_readiness_level"] = output.trl
        distributions.append(distribution)
    return distributions


def aiod_record(output, *, page_url: Callable) -> dict:
    """``output`` as an AIoD catalogue asset: ``{"resource_type", "platform",
    "platform_resource_identifier" (the record's stable UUID), "name", ...}``. Empty lists and
    strings are kept, as the catalogue's schema has them. ``page_url(output)`` gives the
    record's absolute address (``same_as``)."""
    resource_type = RESOURCE_TYPES[output.kind]
    record = {
        "resource_type": resource_type,
        "platform": PLATFORM,
        "platform_resource_identifier": str(output.uid),
        "name": output.title,
        "description": {"plain": output.abstract},
        "date_published": _date_published(output),
        "same_as": page_url(output),
        "is_accessible_for_free": output.access == Access.OPEN,
        "keyword": list(output.keywords),
        "license": output.licence,
        "creator": [_creator(creator) for creator in output.creators.all()],
        "distribution": _distributions(output),
        "research_area": [str(ResearchArea(area).label) for area in output.research_areas],
        "relevant_link": [link.url for link in output.links.all()],
        "version": output.version,
    }
    if output.doi:
        record["doi"] = output.doi
    if resource_type == "publication":
        record["type"] = output.get_publication_type_display() if output.publication_type else ""
        record["venue"] = output.venue
    if resource_type == "educational_resource":
        record["type"] = brief_label(output)
    if resource_type == "dataset" and output.item_count:
        record["size"] = {"unit": "items", "value": output.item_count}
    if resource_type == "software":
        record["programming_language"] = list(output.languages)
    return record


def aiod_export(outputs: Iterable, *, page_url: Callable) -> dict:
    """Every record of ``outputs`` grouped by the catalogue's asset type, in the given order:
    ``{"platform": "ai4media", "datasets": [...], "publications": [...], "software": [...],
    "educational_resources": [...]}``."""
    export = {"platform": PLATFORM, **{name: [] for name in COLLECTIONS.values()}}
    for output in outputs:
        record = aiod_record(output, page_url=page_url)
        export[COLLECTIONS[record["resource_type"]]].append(record)
    return export
