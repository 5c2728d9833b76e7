import django_filters
from rest_framework import permissions, viewsets

from ai4media_portal.core.api.filters import IntegerFilter, PortalFilterSet
from ai4media_portal.core.api.ordering import OrderingFilter

from .. import selectors
from ..enums import Access, OutputKind, ResearchArea, UseCase
from ..models import Output
from .serializers import OutputSerializer


class OutputFilter(PortalFilterSet):
    """The catalogue's filters."""

    kind = django_filters.ChoiceFilter(choices=OutputKind.choices, method="filter_catalogue")
    year = IntegerFilter(method="filter_catalogue")
    area = django_filters.ChoiceFilter(choices=ResearchArea.choices, method="filter_catalogue")
    use_case = django_filters.ChoiceFilter(choices=UseCase.choices, method="filter_catalogue")
    access = django_filters.ChoiceFilter(choices=Access.choices, method="filter_catalogue")
    licence = django_filters.CharFilter(
        method="filter_catalogue", help_text="SPDX identifier, e.g. CC-BY-4.0."
    )
    organisation = django_filters.CharFilter(
        method="filter_catalogue", help_text="Slug of an organisation a creator is affiliated to."
    )
    creator = django_filters.CharFilter(
        method="filter_catalogue", help_text="A creator's name as displayed, exactly."
    )
    search = django_filters.CharFilter(
        method="filter_catalogue",
        help_text="Full-text search of title, creators and abstract; words match as prefixes.",
    )

    class Meta:
        model = Output
        fields = [
            "kind",
            "year",
            "area",
            "use_case",
            "access",
            "licence",
            "organisation",
            "creator",
            "search",
        ]

    def filter_catalogue(self, queryset, name, value):
        value = int(value) if name == "year" else value
        return selectors.filtered(selectors.Filters(**{name: value}), queryset=queryset)


class OutputViewSet(viewsets.ReadOnlyModelViewSet):
    """The published research outputs of the network, open to everyone; the most recently
    published first unless ``?ordering=`` says otherwise (keyset pages order by one key and
    the id, so the catalogue's year-then-month sort is not offered)."""

    serializer_class = OutputSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = OutputFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"year": "date_year", "title": "title", "published_at": "published_at"}
    default_ordering = "-published_at"

    def get_queryset(self):
        return selectors.with_relations(selectors.published_outputs())
