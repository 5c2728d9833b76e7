import django_filters
from django.db.models import Q
from rest_framework import permissions, viewsets

from ai4media_portal.core.api.filters import BooleanFilter, IntegerFilter, PortalFilterSet
from ai4media_portal.core.public_cache import PublicListCacheMixin

from .. import selectors
from ..enums import COMPLETED_STATUSES, ExchangeStatus, Mode
from ..models import Exchange, HostOffer
from .serializers import ExchangeSerializer, HostOfferSerializer


class HostOfferFilter(PortalFilterSet):
    mode = django_filters.ChoiceFilter(choices=Mode.choices, method="filter_mode")
    country = django_filters.CharFilter(
        field_name="organisation__country", help_text="ISO 3166-1 alpha-2 code of the host."
    )
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", help_text="Slug of the host organisation."
    )
    is_open = BooleanFilter(help_text="Only offers open (true) or closed (false).")
    search = django_filters.CharFilter(
        method="filter_search", help_text="Words in the title, topics or description."
    )

    class Meta:
        model = HostOffer
        fields = ["mode", "country", "organisation", "is_open", "search"]

    def filter_mode(self, queryset, name, value):
        return queryset.filter(modes__contains=[value])

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(topics__icontains=value) | Q(description__icontains=value)
        )


class HostOfferViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The host offers of the network's organisations, open and closed, open to everyone."""

    permission_classes = [permissions.AllowAny]
    serializer_class = HostOfferSerializer
    filterset_class = HostOfferFilter
    ordering_fields = {"created_at": "created_at", "title": "title"}
    default_ordering = "-created_at"
    public_cache_scopes = ("fellows", "network")

    def get_queryset(self):
        return HostOffer.objects.select_related("organisation", "supervisor")


class ExchangeFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=ExchangeStatus.choices)
    mode = django_filters.ChoiceFilter(choices=Mode.choices)
    year = IntegerFilter(method="filter_year", help_text="Year the physical part began.")
    sender = django_filters.CharFilter(field_name="sender__slug", help_text="Sender's slug.")
    host = django_filters.CharFilter(field_name="host__slug", help_text="Host's slug.")

    class Meta:
        model = Exchange
        fields = ["status", "mode", "year", "sender", "host"]

    def filter_year(self, queryset, name, value):
        # A year no calendar date has (0, -1, 10000) matches nothing rather than failing.
        if not 1 <= value <= 9999:
            return queryset.none()
        return queryset.filter(start_date__year=value)


class ExchangeViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Exchanges: the public summary of completed ones for everyone; the fellow, the
    supervisors and the fellows coordinators also see their other exchanges, with the full
    record (``ExchangeSerializer``). Any other exchange answers 404."""

    # Anonymous lists (completed exchanges only) come from the shared cache.
    public_cache_scopes = ("fellows", "network", "outputs")
    permission_classes = [permissions.AllowAny]
    serializer_class = ExchangeSerializer
    filterset_class = ExchangeFilter
    ordering_fields = {"start_date": "start_date", "created_at": "created_at"}
    default_ordering = "-created_at"

    def get_queryset(self):
        visible = selectors.exchanges_visible_to(self.request.user).values("pk")
        queryset = Exchange.objects.filter(Q(status__in=COMPLETED_STATUSES) | Q(pk__in=visible))
        return selectors.with_relations(queryset).prefetch_related("outcomes")
