"""Checks on what people type about an organisation: ROR IDs and logos."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ai4media_portal.core.validators import MiB, validate_image

LOGO_MAX_BYTES = 1 * MiB
LOGO_MAX_PIXELS = 2048

# Crockford's base32 (no i, l, o, u), the alphabet of ROR IDs.
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
ROR_PATTERN = re.compile(rf"^0[{CROCKFORD}]{{6}}[0-9]{{2}}$")
ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/")


def normalise_ror_id(value: str) -> str:
    """``https://ror.org/0abcde123``, ``ror.org/0ABCDE123`` or ``0abcde123`` → ``0abcde123``.

    Only strips and lower-cases; ``validate_ror_id`` says whether the result is a ROR ID.
    """
    value = (value or "").strip()
    lowered = value.lower()
    for prefix in ROR_PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix) :]
            break
    return value.strip("/").lower()


def ror_checksum(body: str) -> str:
    """ISO 7064 Mod 97-10 over the number that the six base32 characters encode."""
    number = 0
    for char in body:
        number = number * 32 + CROCKFORD.index(char)
    return f"{98 - (number * 100) % 97:02d}"


def validate_ror_id(value: str) -> None:
    """A ROR ID as stored: ``0``, six Crockford base32 characters and a two-digit checksum."""
    if not ROR_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "A ROR ID has nine characters: a 0, six letters or digits and two check digits, "
                "e.g. 04dkp9463 or https://ror.org/04dkp9463."
            ),
            code="ror_format",
        )
    if ror_checksum(value[1:7]) != value[7:]:
        raise ValidationError(
            _("The check digits of this ROR ID do not match: please copy it again from ror.org."),
            code="ror_checksum",
        )


def validate_logo(upload) -> None:
    """A PNG, JPEG, WebP or GIF image, judged by its content, at most 1 MiB and 2048 pixels."""
    validate_image(upload, max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS)
