"""Control characters in what people send. PostgreSQL cannot store NUL in text, and no other
C0 control character belongs in a name, a title or a parameter: single-line values refuse
every one (U+0000–U+001F); multi-line text keeps tab, newline and carriage return only.

Forms (``core.forms.PortalFormMixin``), API bodies (``core.api.parsers`` and
``core.api.serializers.PortalSerializerMixin``) and query strings and paths
(``core.request_guard``) all judge text with these functions.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f]")
MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_CHARACTER_CODE = "control_characters"
CONTROL_CHARACTER_MESSAGE = _(
    "Remove the control character %(character)s: it cannot be part of this text."
)


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first control character ``value`` may not hold, as ``U+0000``, or None."""
    pattern = MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    match = pattern.search(value)
    return None if match is None else f"U+{ord(match.group()):04X}"


def first_forbidden_in(value, *, multiline: bool = False) -> str | None:
    """Like ``forbidden_character`` for a raw input: a string, or a list, tuple or dict of
    them (dict keys included), as forms and parsers receive it; other values pass."""
    if isinstance(value, str):
        return forbidden_character(value, multiline=multiline)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = value
    else:
        return None
    for item in items:
        found = first_forbidden_in(item, multiline=multiline)
        if found:
            return found
    return None


def control_character_error(character: str) -> ValidationError:
    return ValidationError(
        CONTROL_CHARACTER_MESSAGE, code=CONTROL_CHARACTER_CODE, params={"character": character}
    )


@deconstructible
class NoControlCharacters:
    """Validator: refuse control characters; ``multiline=True`` allows tab, newline and CR."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        found = first_forbidden_in(value, multiline=self.multiline)
        if found:
            raise control_character_error(found)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((NoControlCharacters, self.multiline))
