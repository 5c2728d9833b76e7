from rest_framework import serializers

from ..models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
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
