import django_filters
from django.db.models import Prefetch
from rest_framework import permissions, viewsets

from ai4media_portal.core.api.filters import PortalFilterSet
from ai4media_portal.core.api.ordering import OrderingFilter
from ai4media_portal.core.public_cache import PublicListCacheMixin

from .. import selectors
from ..enums import Availability, ContentKind, ContentLanguage, RegulationStatus
from ..models import ContentItem, Expert, Regulation
from .serializers import ContentItemSerializer, ExpertSerializer, RegulationSerializer


class ContentFilter(PortalFilterSet):
    """The public list's filters."""

    kind = django_filters.ChoiceFilter(choices=ContentKind.choices, method="filter_listing")
    topic = django_filters.CharFilter(method="filter_listing", help_text="Slug of a topic.")
    tag = django_filters.CharFilter(method="filter_listing", help_text="Slug of a tag.")
    language = django_filters.ChoiceFilter(choices=ContentLanguage.choices, method="filter_listing")
    search = django_filters.CharFilter(
        method="filter_listing",
        help_text="Full-text search of titles, standfirsts and bodies; words match as prefixes.",
    )

    class Meta:
        model = ContentItem
        fields = ["kind", "topic", "tag", "language", "search"]

    def filter_listing(self, queryset, name, value):
        if name == "search":
            query = selectors.search_query(value)
            return queryset.filter(search_vector=query) if query is not None else queryset
        field = {"topic": "topics__slug", "tag": "tags__slug"}.get(name, name)
        return queryset.filter(**{field: value}).distinct()


class ContentViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The Observatory's published pieces, newest first, open to everyone. Drafts, pieces in
    review, scheduled, unpublished and archived ones are never listed nor found."""

    public_cache_scopes = ("observatory", "network", "outputs")
    serializer_class = ContentItemSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ContentFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"published_at": "published_at", "title": "title"}
    default_ordering = "-published_at"
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.with_list_relations(selectors.published_content()).prefetch_related(
            Prefetch(
                "related_outputs",
                queryset=selectors.related_outputs_queryset(),
                to_attr="public_outputs",
            )
        )


class RegulationFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=RegulationStatus.choices)

    class Meta:
        model = Regulation
        fields = ["status"]


class RegulationViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The regulations of the policy tracker with their milestones, open to everyone, by short
    name unless ``?ordering=`` says otherwise."""

    public_cache_scopes = ("observatory",)
    serializer_class = RegulationSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = RegulationFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"short_name": "short_name", "status_as_of": "status_as_of"}
    default_ordering = "short_name"
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.regulations()


class ExpertFilter(PortalFilterSet):
    """The expert directory's filters."""

    search = django_filters.CharFilter(method="filter_directory")
    topic = django_filters.CharFilter(method="filter_directory", help_text="Slug of a topic.")
    country = django_filters.CharFilter(
        method="filter_directory", help_text="ISO 3166 alpha-2 code."
    )
    language = django_filters.ChoiceFilter(
        choices=ContentLanguage.choices, method="filter_directory"
    )
    availability = django_filters.ChoiceFilter(
        choices=Availability.choices, method="filter_directory"
    )
    organisation = django_filters.CharFilter(
        method="filter_directory", help_text="Slug of a network organisation."
    )

    class Meta:
        model = Expert
        fields = ["search", "topic", "country", "language", "availability", "organisation"]

    def filter_directory(self, queryset, name, value):
        if name == "country":
            value = value.upper()
        matching = selectors.expert_directory(**{name: value}).values("pk")
        return queryset.filter(pk__in=matching)


class ExpertViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The listed experts (approved, not hidden), open to everyone, by name unless
    ``?ordering=`` says otherwise; never an email address."""

    public_cache_scopes = ("observatory", "network")
    serializer_class = ExpertSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ExpertFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"name": "name"}
    default_ordering = "name"
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.listed_experts().select_related("organisation").prefetch_related("topics")
