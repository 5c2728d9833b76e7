"""The metadata formats of one output through the API: its formatted citations."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response

from ai4media_portal.core.api.serializers import Serializer

from .. import selectors
from ..formats import csl


class CitationSerializer(Serializer):
    style = serializers.CharField(read_only=True, help_text="The style's key: apa or ieee.")
    label = serializers.CharField(read_only=True, help_text="The style's name.")
    text = serializers.CharField(read_only=True, help_text="The citation as plain text.")
    html = serializers.CharField(
        read_only=True,
        help_text="The citation as HTML: <i> for the style's italics, the record's text escaped.",
    )


class OutputCitationsView(generics.GenericAPIView):
    """The citations of a published output in every style offered (APA 7th edition, IEEE),
    formatted by citeproc-py from the record's CSL-JSON. 404 for drafts, tombstones and
    unknown ids."""

    serializer_class = CitationSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        return selectors.with_relations(selectors.published_outputs())

    @extend_schema(responses=CitationSerializer(many=True))
    def get(self, request, pk):
        output = self.get_object()
        page_url = request.build_absolute_uri(output.get_absolute_url())
        citations = csl.citations(output, page_url=page_url)
        return Response(CitationSerializer(citations, many=True).data)
