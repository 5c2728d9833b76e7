from django.db import models
from rest_framework import serializers

from ..models import AuditEntry
from ..text import NoControlCharacters
from .fields import OptionalEmailField, OptionalURLField, is_multiline


def _guard(field: serializers.Field) -> None:
    if isinstance(field, serializers.ListField | serializers.DictField):
        _guard(field.child)
    elif isinstance(field, serializers.CharField) and not field.read_only:
        field.validators.append(NoControlCharacters(multiline=is_multiline(field)))


class PortalSerializerMixin:
    """Every serializer of the API: a writable text field refuses control characters, all of
    them in single-line fields, all but tab, newline and carriage return in multi-line ones
    (``MultiLineCharField`` or a model ``TextField``). The request parsers already refuse the
    others anywhere in a body; this adds the single-line rule, with the field named in the
    400. A test checks that every serializer of every pillar uses this."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _guard(field)
        return fields


class Serializer(PortalSerializerMixin, serializers.Serializer):
    """Base of the API's plain serializers."""


class ModelSerializer(PortalSerializerMixin, serializers.ModelSerializer):
    """Base of the API's model serializers. A model ``URLField`` or ``EmailField`` that may be
    blank reads as ``null`` when it is (``BlankAsNullMixin``). ``Meta.optional_fields`` names
    fields that only some readers get: the schema does not mark them required."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.URLField) and model_field.blank:
            field_class = OptionalURLField
        elif isinstance(model_field, models.EmailField) and model_field.blank:
            field_class = OptionalEmailField
        return field_class, field_kwargs


class AuditEntrySerializer(ModelSerializer):
    object_type = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor_repr")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "data",
        ]
        read_only_fields = fields

    def get_object_type(self, entry) -> str | None:
        if entry.content_type is None:
            return None
        return f"{entry.content_type.app_label}.{entry.content_type.model}"
