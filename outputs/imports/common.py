"""What the readers share: building a candidate and reading dates, pages and markup."""

import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from ..bibtex_import import Candidate, nested_too_deeply
from ..enums import Access, CreatorKind, OutputKind, PublicationType
from ..services import CreatorData

# CSL types and DataCite resourceTypeGeneral values read, as (kind, publication type).
CSL_TYPES = {
    "article-journal": (OutputKind.PUBLICATION, PublicationType.JOURNAL_ARTICLE),
    "paper-conference": (OutputKind.PUBLICATION, PublicationType.CONFERENCE_PAPER),
    "article": (OutputKind.PUBLICATION, PublicationType.PREPRINT),
    "chapter": (OutputKind.PUBLICATION, PublicationType.BOOK_CHAPTER),
    "thesis": (OutputKind.PUBLICATION, PublicationType.THESIS),
    "report": (OutputKind.PUBLICATION, PublicationType.REPORT),
    "dataset": (OutputKind.DATASET, ""),
    "software": (OutputKind.SOFTWARE, ""),
    # The type names of Crossref's CSL-JSON (DOI content negotiation) where they differ.
    "journal-article": (OutputKind.PUBLICATION, PublicationType.JOURNAL_ARTICLE),
    "proceedings-article": (OutputKind.PUBLICATION, PublicationType.CONFERENCE_PAPER),
    "book-chapter": (OutputKind.PUBLICATION, PublicationType.BOOK_CHAPTER),
    "posted-content": (OutputKind.PUBLICATION, PublicationType.PREPRINT),
    "dissertation": (OutputKind.PUBLICATION, PublicationType.THESIS),
}
DATACITE_TYPES = {
    "JournalArticle": (OutputKind.PUBLICATION, PublicationType.JOURNAL_ARTICLE),
    "ConferencePaper": (OutputKind.PUBLICATION, PublicationType.CONFERENCE_PAPER),
    "Preprint": (OutputKind.PUBLICATION, PublicationType.PREPRINT),
    "BookChapter": (OutputKind.PUBLICATION, PublicationType.BOOK_CHAPTER),
    "Dissertation": (OutputKind.PUBLICATION, PublicationType.THESIS),
    "Report": (OutputKind.PUBLICATION, PublicationType.REPORT),
    "Dataset": (OutputKind.DATASET, ""),
    "Software": (OutputKind.SOFTWARE, ""),
}
# The info:eu-repo access terms (OpenAIRE), as DataCite records carry them.
ACCESS_TERMS = {
    "info:eu-repo/semantics/openaccess": Access.OPEN,
    "info:eu-repo/semantics/embargoedaccess": Access.EMBARGOED,
    "info:eu-repo/semantics/restrictedaccess": Access.RESTRICTED,
    "info:eu-repo/semantics/closedaccess": Access.METADATA_ONLY,
}


def text(value) -> str:
    """Plain text of a value that may hold HTML (Zenodo descriptions do), spaces collapsed."""
    return " ".join(strip_tags(str(value or "")).split())


def pages(value) -> str:
    return re.sub(r"\s*[-–—]+\s*", "-", str(value or "").strip())


def person(*, family: str = "", given: str = "", orcid: str = "") -> CreatorData:
    return CreatorData(family_name=text(family), given_name=text(given), orcid=orcid.strip())


def organisation(name: str) -> CreatorData:
    return CreatorData(name=text(name), kind=CreatorKind.ORGANISATION)


def parse_date(value) -> tuple[int | None, int | None, int | None]:
    """``(year, month, day)`` of ``2023``, ``2023-05`` or ``2023-05-17`` (a time after the date
    is ignored); ``(None, None, None)`` for anything else."""
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value or "").strip())
    if not match:
        return None, None, None
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        return None, None, None
    return year, month, day


def candidate(
    *,
    key: str,
    line: int,
    title: str,
    kind_type,
    year,
    month=None,
    day=None,
    creators,
    identifiers=(),
    **data,
) -> Candidate:
    """A candidate with the services' metadata, or with the reason it cannot be imported
    (unknown type, no title, no year)."""
    found = Candidate(key=str(key), line=line, title=text(title))
    if kind_type is None:
        found.reason = data.pop("type_reason")
        return found
    if not found.title:
        found.reason = _("The entry has no title.")
        return found
    if not year:
        found.reason = _("The entry has no year of publication.")
        return found
    data.pop("type_reason", None)
    kind, publication_type = kind_type
    found.data = {
        "kind": kind,
        "title": found.title,
        "abstract": "",
        "date_year": year,
        "date_month": month,
        "date_day": day if month else None,
        "keywords": [],
        "doi": "",
        "licence": "",
        "access": Access.OPEN,
        "embargo_until": None,
        "publication_type": publication_type,
        "venue": "",
        "volume": "",
        "issue": "",
        "pages": "",
        "publisher": "",
        "version": "",
        **{name: value for name, value in data.items() if value not in (None, "")},
    }
    found.creators = list(creators)
    found.identifiers = list(identifiers)
    return found


def guarded(read, entry, number: int) -> Candidate:
    """``read(entry, number)``, or a skipped entry when the entry's values have shapes the
    format does not allow (a string where an object belongs…) or nest too deeply to be read:
    one odd entry never stops the file."""
    try:
        return read(entry, number)
    except RecursionError:
        return nested_too_deeply(key="", line=number)
    except (AttributeError, TypeError, ValueError, KeyError):
        return Candidate(key="", line=number, reason=_("This entry could not be read."))
