"""Which reader an uploaded file needs, told from its content: BibTeX, CSL-JSON, DataCite or
Zenodo JSON, DataCite XML, or a list of DOIs to look up."""

import json
import re

from django.utils.translation import gettext as _

from ai4media_portal.core.exceptions import PortalError

from ..bibtex_import import Candidate, read_bibtex
from .csl_json import read_csl_json
from .datacite import read_datacite_json, read_datacite_xml
from .doi import DOILookup, read_doi_list

_DOI_LINE = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:)?10\.\S+\s*$", re.IGNORECASE)


_DATACITE_KEYS = {"data", "hits", "metadata", "attributes", "titles"}


def _is_datacite(data) -> bool:
    """DataCite's or Zenodo's JSON rather than CSL-JSON: their keys for titles and records."""
    items = data if isinstance(data, list) else [data]
    return any(isinstance(item, dict) and _DATACITE_KEYS & set(item) for item in items)


def read_import_file(content: bytes, *, lookup: DOILookup) -> list[Candidate]:
    """Every entry of an uploaded file (UTF-8) as a candidate, in file order, whatever of the
    five forms it has: at least one. Raises ``PortalError`` (field ``file``) for a JSON or XML
    document that cannot be read, hostile XML, a file nested deeper than the readers can follow
    (an entry nested too deeply is skipped with that reason instead, where the reader can
    tell), or a file in which no entry is found, saying why (only comments, an empty list…)."""
    try:
        return _read(content, lookup=lookup)
    except RecursionError:
        # json.loads and the other parsers recurse once per level of nesting: thousands of
        # brackets exhaust the stack before any entry is found.
        raise PortalError(_("This file nests too deeply to be read."), field="file") from None


def _read(content: bytes, *, lookup: DOILookup) -> list[Candidate]:
    text = content.decode("utf-8").lstrip("\ufeff")
    if not text.strip():
        raise PortalError(_("This file holds only spaces and blank lines."), field="file")
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        try:
            data = json.loads(text)
        except ValueError as error:
            raise PortalError(
                _("This JSON cannot be read: %(error)s.") % {"error": error}, field="file"
            ) from None
        if _is_datacite(data):
            candidates = read_datacite_json(data)
        else:
            candidates = read_csl_json(data if isinstance(data, list) else [data])
        return _found(
            candidates, _("Nothing could be read from this file: its JSON holds no record.")
        )
    if head == "<":
        return _found(
            read_datacite_xml(text.encode("utf-8")),
            _("Nothing could be read from this file: its XML holds no DataCite <resource>."),
        )
    lines = text.splitlines()
    if _is_doi_list(text, lines):
        return read_doi_list(lines, lookup=lookup)
    return _found(
        read_bibtex(content),
        _(
            "Nothing could be read from this file: it holds no BibTeX entry such as "
            "@article{…} (only comments or other text), and it is not CSL-JSON, DataCite JSON "
            "or XML, or a list of DOIs."
        ),
    )


def _is_doi_list(text: str, lines: list[str]) -> bool:
    """Whether the file is a list of DOIs: one DOI a line (blank lines between), or some DOI
    lines among other lines in a file with no "@", so no BibTeX entry. The DOI list reports
    each other line as skipped, where reading the file as BibTeX would find nothing at all."""
    matches = [bool(_DOI_LINE.match(line)) for line in lines]
    if not any(matches):
        return False
    return "@" not in text or all(
        match or not line.strip() for match, line in zip(matches, lines, strict=True)
    )


def _found(candidates: list[Candidate], nothing: str) -> list[Candidate]:
    if not candidates:
        raise PortalError(nothing, field="file")
    return candidates
