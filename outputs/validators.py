"""Checks and normalisations of persistent identifiers, dates and licences (no Django models).

Each ``normalise_*`` returns the canonical form or raises ``ValidationError`` with a message
fit for the person who typed the value.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ORCID = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi:",
)


def orcid_checksum(base_digits: str) -> str:
    """The check character of an ORCID iD's first 15 digits: ISO 7064 MOD 11-2, as ORCID
    documents it ("Structure of the ORCID Identifier")."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str:
    """``0000-0002-1825-0097`` from that iD written with or without hyphens or as its
    ``https://orcid.org/`` URL; an iD whose check character is wrong is refused."""
    text = (value or "").strip()
    for prefix in ("https://orcid.org/", "http://orcid.org/", "orcid.org/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    match = _ORCID.match(text.upper())
    if not match:
        raise ValidationError(
            _("An ORCID iD has 16 characters, e.g. 0000-0002-1825-0097."), code="orcid_format"
        )
    digits = "".join(match.groups())
    if orcid_checksum(digits[:15]) != digits[15]:
        raise ValidationError(
            _("This ORCID iD's check digit is wrong: please check it for a typo."),
            code="orcid_checksum",
        )
    return "-".join(match.groups())


def normalise_doi(value: str) -> str:
    """A DOI in lower case without resolver prefix (``10.5281/zenodo.123``), as DOIs are case
    insensitive (DOI Handbook 2.4); written as ``doi:…`` or a doi.org URL it is accepted."""
    text = (value or "").strip()
    for prefix in _DOI_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.strip().lower()
    if not _DOI.match(text):
        raise ValidationError(
            _("A DOI starts with 10. and a prefix, then a slash, e.g. 10.5281/zenodo.4584285."),
            code="doi",
        )
    return text


def normalise_licence(value: str) -> str:
    """An SPDX licence expression in its canonical spelling (``mit`` → ``MIT``, ``cc-by-4.0
    or mit`` → ``CC-BY-4.0 OR MIT``), checked against the SPDX licence list vendored by the
    ``license-expression`` package; unknown identifiers are refused."""
    text = (value or "").strip()
    try:
        info = _spdx().validate(text) if text else None
    except (ValueError, AttributeError):
        # license-expression 30.4 fails while reporting some syntax errors ("MIT OR").
        info = None
    if info is None or info.errors or not info.normalized_expression:
        raise ValidationError(
            _("“%(value)s” is not an SPDX licence identifier or expression (e.g. CC-BY-4.0, MIT).")
            % {"value": text},
            code="licence",
        )
    return info.normalized_expression


_licensing = None


def _spdx():
    # Building the licensing index reads a large JSON file: once per process.
    global _licensing
    if _licensing is None:
        from license_expression import get_spdx_licensing

        _licensing = get_spdx_licensing()
    return _licensing


def normalise_arxiv(value: str) -> str:
    """An arXiv identifier (``2101.01234`` or ``cs/0112017``, optional version)."""
    text = (value or "").strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    if not re.match(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$", text):
        raise ValidationError(_("An arXiv identifier looks like 2101.01234."), code="arxiv")
    return text


def normalise_handle(value: str) -> str:
    text = (value or "").strip()
    if not re.match(r"^\d[\d.]*/\S+$", text):
        raise ValidationError(_("A handle looks like 11245/1.123456."), code="handle")
    return text


def parse_partial_date(value: str) -> tuple[int, int | None, int | None]:
    """``2023`` → (2023, None, None), ``2023-05`` → (2023, 5, None), ``2023-05-17`` →
    (2023, 5, 17): a publication date at the precision it is known (DataCite allows the
    three W3CDTF forms)."""
    import datetime

    text = (value or "").strip()
    match = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$", text)
    if not match:
        raise ValidationError(
            _("Write the date as a year (2023), a month (2023-05) or a day (2023-05-17)."),
            code="date",
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ValidationError(_("This date does not exist."), code="date") from None
    if not 1900 <= year <= 2100:
        raise ValidationError(_("The year must be between 1900 and 2100."), code="date")
    return year, month, day
