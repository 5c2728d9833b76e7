"""Pure checks of AIDA's fields."""

from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def _spdx():
    # Building the licensing index reads a large JSON file: once per process.
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def normalise_licence(value: str) -> str:
    """An SPDX licence identifier or expression in its canonical spelling (``cc-by-4.0`` →
    ``CC-BY-4.0``), checked against the SPDX list that ``license-expression`` ships; anything
    else raises ``ValidationError`` (code ``licence``)."""
    text = (value or "").strip()
    try:
        info = _spdx().validate(text) if text else None
    except (ValueError, AttributeError):
        info = None
    if info is None or info.errors or not info.normalized_expression:
        raise ValidationError(
            _("“%(value)s” is not an SPDX licence identifier (e.g. CC-BY-4.0, MIT).")
            % {"value": text},
            code="licence",
        )
    return info.normalized_expression


def validate_licence(value: str) -> None:
    normalise_licence(value)
