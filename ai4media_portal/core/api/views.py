import django_filters
from rest_framework import permissions, viewsets

from ..models import AuditEntry
from .filters import PortalFilterSet
from .pagination import NewestFirstPagination
from .serializers import AuditEntrySerializer


class AuditEntryFilter(PortalFilterSet):
    action = django_filters.CharFilter(
        lookup_expr="startswith", help_text="Actions starting with this, e.g. `network.`"
    )
    actor = django_filters.CharFilter(field_name="actor_repr", lookup_expr="iexact")
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    object_id = django_filters.CharFilter()

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "since", "until", "object_id"]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, newest first, for staff."""

    queryset = AuditEntry.objects.select_related("content_type")
    serializer_class = AuditEntrySerializer
    permission_classes = [permissions.IsAdminUser]
    filterset_class = AuditEntryFilter
    pagination_class = NewestFirstPagination
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
