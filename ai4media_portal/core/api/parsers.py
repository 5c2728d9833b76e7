"""Request body parsers of the API: DRF's, plus one rule for every body, whatever its
endpoint: no string in it (keys included, at any depth) holds a control character other
than tab, newline or carriage return. Single-line fields refuse those three as well
(``PortalSerializerMixin``). The refusal is a 400 naming the field, e.g.
``areas_of_interest.0``; without it a NUL would reach PostgreSQL and fail there (a 500)."""

from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

from ..text import CONTROL_CHARACTER_CODE, CONTROL_CHARACTER_MESSAGE, forbidden_character


def _refusal(path: list, character: str) -> ValidationError:
    detail = {}
    inner = detail
    for part in path[:-1]:
        inner = inner.setdefault(str(part), {})
    message = str(CONTROL_CHARACTER_MESSAGE) % {"character": character}
    if path:
        inner[str(path[-1])] = [message]
        return ValidationError(detail, code=CONTROL_CHARACTER_CODE)
    return ValidationError([message], code=CONTROL_CHARACTER_CODE)


def check_body(data, path: list | None = None) -> None:
    """Raise a ValidationError at the first control character in ``data`` (parsed JSON or
    form data)."""
    path = path or []
    if isinstance(data, str):
        found = forbidden_character(data, multiline=True)
        if found:
            raise _refusal(path, found)
    elif isinstance(data, QueryDict):
        for key, values in data.lists():
            check_body(key, [*path, key])
            for value in values:
                check_body(value, [*path, key])
    elif isinstance(data, dict):
        for key, value in data.items():
            check_body(key, [*path, key])
            check_body(value, [*path, key])
    elif isinstance(data, list):
        for index, value in enumerate(data):
            check_body(value, [*path, index])


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_body(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_body(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_body(parsed.data)
        return parsed
