"""Serializer fields shared by the pillars' APIs."""

from rest_framework import serializers

TEXTAREA_STYLE = {"base_template": "textarea.html"}


class MultiLineCharField(serializers.CharField):
    """Text of several lines (a description, a message): tab, newline and carriage return are
    allowed, other control characters are not. Plain ``CharField``s are single-line. It is
    DRF's own mark of multi-line text (what ``ModelSerializer`` gives a model ``TextField``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("style", TEXTAREA_STYLE)
        super().__init__(**kwargs)


def is_multiline(field: serializers.Field) -> bool:
    return field.style.get("base_template") == TEXTAREA_STYLE["base_template"]


class BlankAsNullMixin:
    """A value that may be missing: blank in the database, ``null`` in the API (an empty
    string is not a URI nor an email address, so the schema could not promise its format
    otherwise). Writing ``null`` or ``""`` stores a blank."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        is_empty, value = super().validate_empty_values(data)
        if is_empty and value is None and data is None:
            return True, ""
        return is_empty, value

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class OptionalURLField(BlankAsNullMixin, serializers.URLField):
    """A URL that may be missing (``BlankAsNullMixin``)."""


class OptionalEmailField(BlankAsNullMixin, serializers.EmailField):
    """An email address that may be missing (``BlankAsNullMixin``)."""
