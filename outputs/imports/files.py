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
    five forms it has. Raises ``PortalError`` (field ``file``) for a JSON or XML document that
    cannot be read, hostile XML, or a file nested deeper than the readers can follow (an entry
    nested too deeply is skipped with that reason instead, where the reader can tell)."""
    try:
        return _read(content, lookup=lookup)
    except RecursionError:
        # json.loads and the other parsers recurse once per level of nesting: thousands of
        # brackets exhaust the stack before any entry is found.
        raise PortalError(_("This file nests too deeply to be read."), field="file") from None


def _read(content: bytes, *, lookup: DOILookup) -> list[Candidate]:
    text = content.decode("utf-8").lstrip("\ufeff")
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        try:
            data = json.loads(text)
        except ValueError as error:
            raise PortalError(
                _("This JSON cannot be read: %(error)s.") % {"error": error}, field="file"
            ) from None
        if _is_datacite(data):
            return read_datacite_json(data)
        return read_csl_json(data if isinstance(data, list) else [data])
    if head == "<":
        return read_datacite_xml(text.encode("utf-8"))
    lines = text.splitlines()
    if lines and all(_DOI_LINE.match(line) or not line.strip() for line in lines):
        return read_doi_list(lines, lookup=lookup)
    return read_bibtex(content)
