from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal
from ai4media_portal.core.api.fields import OptionalURLField

from .. import selectors
from ..enums import BriefType, PublicationType
from ..models import Creator, Funding, Identifier, Link, Output, Relation


class CreatorSerializer(portal.ModelSerializer):
    affiliations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Creator
        fields = ["kind", "name", "given_name", "family_name", "orcid", "affiliations"]
        read_only_fields = fields


class IdentifierSerializer(portal.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["scheme", "value"]
        read_only_fields = fields


class LinkSerializer(portal.ModelSerializer):
    class Meta:
        model = Link
        fields = ["kind", "url"]
        read_only_fields = fields


class FundingSerializer(portal.ModelSerializer):
    class Meta:
        model = Funding
        fields = ["funder", "programme", "award"]
        read_only_fields = fields


class RelationSerializer(portal.ModelSerializer):
    target_id = serializers.SerializerMethodField(help_text="Id of the related output here.")
    target_doi = serializers.SerializerMethodField()

    class Meta:
        model = Relation
        fields = ["relation_type", "target_id", "target_doi"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_target_id(self, relation) -> int | None:
        # Only published outputs are named: a draft's existence is not revealed.
        target = relation.target
        return target.pk if target is not None and target.is_published else None

    def get_target_doi(self, relation) -> str:
        return relation.target_doi or (relation.target.doi if relation.target else "")


class ProvenanceSerializer(portal.Serializer):
    """Where the output comes from: ``consortium`` (no record), or a pillar's record
    (``opencall_project``, ``fellows_exchange``, ``aida_course``) with its id, public title
    and page. ``null`` when the record it named is no longer public."""

    kind = serializers.CharField()
    label = serializers.CharField()
    id = serializers.IntegerField(source="record_id", allow_null=True)
    title = serializers.CharField()
    url = OptionalURLField()


class OutputListSerializer(serializers.ListSerializer):
    """A page of outputs: their provenance records are resolved together, one query per
    kind present."""

    def to_representation(self, data):
        items = data.all() if hasattr(data, "all") else data
        return super().to_representation(selectors.attach_provenance(items))


class OutputSerializer(portal.ModelSerializer):
    """A published output: the common DataCite-like metadata and its kind's fields (those of
    other kinds are empty). ``date`` is ISO 8601 at its precision: YYYY, YYYY-MM or
    YYYY-MM-DD."""

    date = serializers.CharField(source="date_iso", read_only=True)
    organisation = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    # Blank for the kinds without them: the schema must allow "" (a read-only model field
    # loses ``allow_blank``) and a missing URL is null, as elsewhere in the API.
    publication_type = serializers.ChoiceField(
        choices=PublicationType.choices, allow_blank=True, read_only=True
    )
    brief_type = serializers.ChoiceField(
        choices=BriefType.choices, allow_blank=True, read_only=True
    )
    access_url = OptionalURLField(read_only=True)
    repository_url = OptionalURLField(read_only=True)
    documentation_url = OptionalURLField(read_only=True)
    creators = CreatorSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    funding = FundingSerializer(many=True, read_only=True)
    relations = RelationSerializer(many=True, read_only=True)
    provenance = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField(
        help_text="The PDF, for publications, datasets and results in brief that carry one; "
        "while embargoed it answers 403 to all but the curators."
    )
    cover_image_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Output
        fields = [
            "id",
            "uid",
            "date",
            *Output.METADATA_FIELDS,
            "organisation",
            "creators",
            "identifiers",
            "links",
            "funding",
            "relations",
            "provenance",
            "file_url",
            "cover_image_url",
            "url",
        ]
        read_only_fields = fields
        list_serializer_class = OutputListSerializer

    @extend_schema_field(ProvenanceSerializer(allow_null=True))
    def get_provenance(self, output) -> dict | None:
        if not hasattr(output, "provenance_link"):
            selectors.attach_provenance([output])
        link = output.provenance_link
        return None if link is None else ProvenanceSerializer(link).data

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, output) -> str | None:
        if not output.file:
            return None
        return self.context["request"].build_absolute_uri(reverse("outputs:file", args=[output.pk]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_image_url(self, output) -> str | None:
        if not output.cover_image:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("outputs:cover", args=[output.pk])
        )

    def get_url(self, output) -> str:
        return self.context["request"].build_absolute_uri(output.get_absolute_url())
