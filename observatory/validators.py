"""Checks on what experts type about themselves."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ORCID_PATTERN = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def normalise_orcid(value: str) -> str:
    """``https://orcid.org/0000-0002-1825-0097`` or the bare iD → ``0000-0002-1825-0097``."""
    value = (value or "").strip()
    for prefix in ORCID_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.upper()


def orcid_check_digit(base: str) -> str:
    """The ISO 7064 11,2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_orcid(value: str) -> None:
    """An ORCID iD (``0000-0002-1825-0097``) whose check character is right."""
    if not ORCID_PATTERN.match(value or ""):
        raise ValidationError(_("An ORCID iD looks like 0000-0002-1825-0097."), code="orcid_format")
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            _("This ORCID iD is not valid: check it for a typing mistake."), code="orcid_checksum"
        )
