from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal

from ..models import User


class MeSerializer(portal.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "orcid", "timezone", "roles"]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_names)
