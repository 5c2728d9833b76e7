import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def validate_orcid(value: str) -> None:
    """An ORCID iD: four groups of four digits whose ISO 7064 11,2 check digit is right."""
    if not ORCID_RE.match(value):
        raise ValidationError(_("Enter an ORCID iD like 0000-0002-1825-0097."), code="format")
    digits = value.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        raise ValidationError(
            _("This ORCID iD's check digit is wrong; please check it."), code="checksum"
        )
