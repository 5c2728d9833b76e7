"""Reading a BibTeX file into output records (bibtexparser 2): one ``Candidate`` per block,
either the metadata the services take or the reason it cannot be imported. Nothing here
writes; ``services.outputs_import`` decides and commits."""

import re
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock
from django.utils.translation import gettext as _
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import get_default_latex_context_db

from .enums import Access, CreatorKind, IdentifierScheme, OutputKind, PublicationType
from .services import CreatorData

MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
TYPES = {
    "article": (OutputKind.PUBLICATION, PublicationType.JOURNAL_ARTICLE),
    "inproceedings": (OutputKind.PUBLICATION, PublicationType.CONFERENCE_PAPER),
    "conference": (OutputKind.PUBLICATION, PublicationType.CONFERENCE_PAPER),
    "incollection": (OutputKind.PUBLICATION, PublicationType.BOOK_CHAPTER),
    "inbook": (OutputKind.PUBLICATION, PublicationType.BOOK_CHAPTER),
    "phdthesis": (OutputKind.PUBLICATION, PublicationType.THESIS),
    "mastersthesis": (OutputKind.PUBLICATION, PublicationType.THESIS),
    "techreport": (OutputKind.PUBLICATION, PublicationType.REPORT),
    "unpublished": (OutputKind.PUBLICATION, PublicationType.PREPRINT),
    "misc": (OutputKind.PUBLICATION, PublicationType.PREPRINT),
    "dataset": (OutputKind.DATASET, ""),
    "software": (OutputKind.SOFTWARE, ""),
}
VENUE_FIELDS = ("journal", "booktitle", "school", "institution")
_latex = LatexNodes2Text()


@dataclass
class Candidate:
    """One entry of the file: ``key`` and either ``data`` + ``creators`` or ``reason``."""

    key: str
    line: int
    title: str = ""
    data: dict = field(default_factory=dict)
    creators: list[CreatorData] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    reason: str = ""


# The default macro table, built once: pylatexenc otherwise rebuilds it for every value,
# which made that most of a 5,000-entry preview.
_LATEX_CONTEXT = get_default_latex_context_db()
# What LaTeX could make of a value; a value with none of these reads as itself.
_LATEX_MARKS = re.compile(r"[\\{}$%~&]|--|``|''|[!?]`")


def _text(value: str) -> str:
    if not _LATEX_MARKS.search(value):
        return " ".join(value.split())
    return " ".join(_latex.latex_to_text(value, latex_context=_LATEX_CONTEXT).split())


def _creators(value: str) -> list[CreatorData]:
    creators = []
    for name in split_multiple_persons_names(value):
        name = name.strip()
        if name.startswith("{") and name.endswith("}") and name.count("{") == 1:
            creators.append(CreatorData(name=_text(name[1:-1]), kind=CreatorKind.ORGANISATION))
            continue
        parts = parse_single_name_into_parts(name)
        family = _text(" ".join(parts.von + parts.last + parts.jr))
        creators.append(CreatorData(given_name=_text(" ".join(parts.first)), family_name=family))
    return creators


def nested_too_deeply(*, key: str, line: int) -> Candidate:
    """An entry skipped because reading it went deeper than Python's recursion limit (braces,
    brackets or elements nested thousands deep): every reader says so the same way."""
    return Candidate(key=key, line=line, reason=_("This entry nests too deeply to be read."))


def _read_entry(entry) -> Candidate:
    try:
        return _candidate(entry)
    except RecursionError:
        # pylatexenc decodes nested braces recursively: a few hundred levels exhaust the stack.
        return nested_too_deeply(key=entry.key, line=entry.start_line + 1)


def _candidate(entry) -> Candidate:
    fields = {f.key.lower(): f.value for f in entry.fields}
    candidate = Candidate(key=entry.key, line=entry.start_line + 1)
    candidate.title = _text(fields.get("title", ""))
    if entry.entry_type.lower() not in TYPES:
        candidate.reason = _("The entry type @%(type)s is not one of the standard types read.") % {
            "type": entry.entry_type
        }
        return candidate
    if not candidate.title:
        candidate.reason = _("The entry has no title.")
        return candidate
    kind, publication_type = TYPES[entry.entry_type.lower()]
    year = fields.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        candidate.reason = _("The year “%(year)s” is not a four-digit year.") % {"year": year}
        return candidate
    month = None
    if fields.get("month"):
        text = fields["month"].strip().lower()
        month = int(text) if text.isdigit() and 1 <= int(text) <= 12 else MONTHS.get(text[:3])
        if month is None:
            candidate.reason = _("The month “%(month)s” is not a month.") % {
                "month": fields["month"]
            }
            return candidate
    candidate.data = {
        "kind": kind,
        "title": candidate.title,
        "abstract": _text(fields.get("abstract", "")),
        "date_year": int(year),
        "date_month": month,
        "date_day": None,
        "keywords": [_text(k) for k in re.split(r"[,;]", fields.get("keywords", "")) if k.strip()],
        "doi": fields.get("doi", "").strip(),
        "licence": fields.get("copyright", "").strip(),
        "access": Access.OPEN,
        "publication_type": publication_type,
        "venue": next((_text(fields[name]) for name in VENUE_FIELDS if fields.get(name)), ""),
        "volume": fields.get("volume", "").strip(),
        "issue": fields.get("number", "").strip(),
        "pages": fields.get("pages", "").replace("--", "-").strip(),
        "publisher": _text(fields.get("publisher", "")),
        "version": fields.get("version", "").strip(),
    }
    candidate.creators = _creators(fields.get("author", ""))
    eprint = fields.get("eprint", "").strip()
    if eprint and fields.get("archiveprefix", "").lower() == "arxiv":
        candidate.identifiers.append((IdentifierScheme.ARXIV, eprint))
    return candidate


def read_bibtex(content: bytes) -> list[Candidate]:
    """Every block of a BibTeX file as a candidate, in file order. A file that is not UTF-8
    raises ``UnicodeDecodeError``; an unreadable block (unbalanced braces, a repeated key, values
    nested too deeply to decode) becomes a candidate with its reason."""
    library = bibtexparser.parse_string(content.decode("utf-8"))
    candidates = [_read_entry(entry) for entry in library.entries]
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            reason = _("Another entry of the file has the key “%(key)s”.") % {"key": block.key}
            key = block.key
        else:
            reason = _("This block could not be read (unbalanced braces or quotes?).")
            key = ""
        candidates.append(Candidate(key=key, line=block.start_line + 1, reason=reason))
    return sorted(candidates, key=lambda candidate: candidate.line)
