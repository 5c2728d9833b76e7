import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ai4media_portal.core.api.filters import IntegerFilter, PortalFilterSet
from ai4media_portal.core.api.ordering import OrderingFilter
from ai4media_portal.core.api.permissions import HasRulesPermission
from ai4media_portal.core.pillars import PILLAR_APPS
from ai4media_portal.core.public_cache import PublicListCacheMixin

from .. import selectors, services
from ..enums import Access, OutputKind, ResearchArea, UseCase
from ..models import Output
from .serializers import DeleteSerializer, OutputSerializer, OutputWriteSerializer


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


@extend_schema_view(
    create=extend_schema(
        summary="Add an output (a draft) for an organisation you curate",
        request=OutputWriteSerializer,
        responses={201: OutputSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an output you curate",
        request=OutputWriteSerializer,
        responses=OutputSerializer,
    ),
    destroy=extend_schema(
        summary="Delete an output you curate, leaving a tombstone",
        request=DeleteSerializer,
        responses={204: None},
    ),
    publish=extend_schema(summary="Publish a draft", request=None, responses=OutputSerializer),
    unpublish=extend_schema(
        summary="Take a published output back to draft", request=None, responses=OutputSerializer
    ),
)
class OutputViewSet(
    PublicListCacheMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The published research outputs of the network, open to everyone; the most recently
    published first unless ``?ordering=`` says otherwise (keyset pages order by one key and
    the id, so the catalogue's year-then-month sort is not offered).

    Curators write through the same services as the web pages: an organisation's contacts
    add and change its outputs, staff all of them; ``DELETE`` (with a ``reason``) leaves a
    tombstone. Outputs the caller does not curate are not found (404) for writes."""

    serializer_class = OutputSerializer
    filterset_class = OutputFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"year": "date_year", "title": "title", "published_at": "published_at"}
    default_ordering = "-published_at"
    # Anonymous lists come from the shared cache; provenance may link to any pillar.
    public_cache_scopes = PILLAR_APPS
    # Changes are partial (PATCH, no ``update``): a record is never replaced whole.
    rules_permissions = {
        "create": "outputs.curate_outputs",
        "partial_update": "outputs.change_output",
        "destroy": "outputs.delete_output",
        "publish": "outputs.publish_output",
        "unpublish": "outputs.publish_output",
    }

    def get_permissions(self):
        # Reads are public; a method the view does not offer (no action) answers 405.
        if self.action in ("list", "retrieve", None):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated(), HasRulesPermission()]

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return selectors.with_relations(selectors.published_outputs())
        # Writes reach the outputs the caller curates, tombstones refused by the rules.
        return selectors.with_relations(selectors.curated_by(self.request.user))

    def _respond(self, output, status_code=status.HTTP_200_OK):
        output = selectors.with_relations(Output.objects.filter(pk=output.pk)).get()
        return Response(
            OutputSerializer(output, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def create(self, request, *args, **kwargs):
        serializer = OutputWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        output = services.output_create(
            actor=request.user,
            organisation=serializer.validated_data["organisation"],
            data=serializer.metadata(),
            **{k: v for k, v in serializer.rows().items() if v is not None},
        )
        return self._respond(output, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        output = self.get_object()
        serializer = OutputWriteSerializer(output, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "organisation" in serializer.validated_data:
            serializer.validated_data.pop("organisation")
        output = services.output_update(
            output=output, actor=request.user, data=serializer.metadata(), **serializer.rows()
        )
        return self._respond(output)

    def destroy(self, request, *args, **kwargs):
        output = self.get_object()
        serializer = DeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.output_delete(
            output=output, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._respond(services.output_publish(output=self.get_object(), actor=request.user))

    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        output = services.output_unpublish(output=self.get_object(), actor=request.user)
        return self._respond(output)
