"""CSL-JSON (Citation Style Language JSON, as Zotero, Zenodo and doi.org content negotiation
write it) into import candidates."""

from django.utils.translation import gettext as _

from ..bibtex_import import Candidate
from ..enums import IdentifierScheme
from .common import CSL_TYPES, candidate, guarded, organisation, pages, person, text


def _creators(item: dict) -> list:
    creators = []
    for name in item.get("author") or []:
        if not isinstance(name, dict):
            continue
        if name.get("literal"):
            creators.append(organisation(name["literal"]))
        else:
            family = " ".join(
                part for part in (name.get("non-dropping-particle"), name.get("family")) if part
            )
            creators.append(person(family=family, given=name.get("given", "")))
    return creators


def _issued(item: dict) -> tuple:
    parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0] or []
    try:
        numbers = [int(part) for part in parts[:3]]
    except (TypeError, ValueError):
        return None, None, None
    numbers += [None] * (3 - len(numbers))
    return tuple(numbers)


def read_csl_item(item, number: int) -> Candidate:
    """One CSL-JSON item (the ``number``-th of the file, from 1) as a candidate."""
    if not isinstance(item, dict):
        return Candidate(key="", line=number, reason=_("This entry is not a CSL-JSON object."))
    csl_type = str(item.get("type", ""))
    year, month, day = _issued(item)
    identifiers = []
    url = str(item.get("URL") or "")
    if url and "doi.org/" not in url:
        identifiers.append((IdentifierScheme.URL, url))
    keywords = item.get("keyword") or ""
    return candidate(
        key=item.get("id", ""),
        line=number,
        title=item.get("title", ""),
        kind_type=CSL_TYPES.get(csl_type),
        type_reason=_("The CSL type “%(type)s” is not one of the types read.") % {"type": csl_type},
        year=year,
        month=month,
        day=day,
        creators=_creators(item),
        identifiers=identifiers,
        abstract=text(item.get("abstract")),
        keywords=[text(k) for k in str(keywords).split(",") if k.strip()],
        doi=str(item.get("DOI") or "").strip(),
        venue=text(item.get("container-title")),
        volume=str(item.get("volume") or "").strip(),
        issue=str(item.get("issue") or "").strip(),
        pages=pages(item.get("page")),
        publisher=text(item.get("publisher")),
        version=str(item.get("version") or "").strip(),
    )


def read_csl_json(items: list) -> list[Candidate]:
    """Every item of a CSL-JSON array, in order."""
    return [guarded(read_csl_item, item, number) for number, item in enumerate(items, start=1)]
