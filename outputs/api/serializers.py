from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal
from ai4media_portal.core.api.fields import OptionalURLField
from ai4media_portal.core.validators import validate_image, validate_pdf
from network.models import Organisation

from .. import selectors
from ..enums import (
    BriefType,
    CreatorKind,
    IdentifierScheme,
    LinkKind,
    PublicationType,
    RelationType,
)
from ..models import Creator, Funding, Identifier, Link, Output, Relation
from ..services import CreatorData, FileChanges, RelationData
from ..validators import parse_partial_date


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


# --- Writes ------------------------------------------------------------------------------------


class CreatorWriteSerializer(portal.Serializer):
    """A creator as sent: a person by given and family name (or ``name``), an organisation by
    ``name``; ``orcid`` as ``0000-0002-1825-0097`` or its https://orcid.org/ URL (the check
    digit is verified); ``affiliations`` are slugs of network organisations."""

    kind = serializers.ChoiceField(choices=CreatorKind.choices, default=CreatorKind.PERSON)
    name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    given_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    orcid = serializers.CharField(max_length=60, required=False, allow_blank=True)
    affiliations = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Organisation.objects.all(), required=False
    )

    def to_data(self, values: dict) -> CreatorData:
        return CreatorData(
            name=values.get("name", ""),
            given_name=values.get("given_name", ""),
            family_name=values.get("family_name", ""),
            kind=values["kind"],
            orcid=values.get("orcid", ""),
            affiliations=values.get("affiliations", []),
        )


class IdentifierWriteSerializer(portal.Serializer):
    scheme = serializers.ChoiceField(choices=IdentifierScheme.choices)
    value = serializers.CharField(max_length=500)


class LinkWriteSerializer(portal.Serializer):
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    url = serializers.CharField(max_length=500)


class RelationWriteSerializer(portal.Serializer):
    relation_type = serializers.ChoiceField(choices=RelationType.choices)
    target_doi = serializers.CharField(max_length=255, help_text="The related output's DOI.")


class OutputWriteSerializer(portal.ModelSerializer):
    """What a curator sends to create or change an output (JSON, or multipart with ``file``
    and ``cover_image``). ``date`` is YYYY, YYYY-MM or YYYY-MM-DD. The DOI (``10.…`` or its
    https://doi.org/ URL), the SPDX licence, the ORCID iDs and the provenance record are
    checked by the same service as the web form: a refusal is a 400 naming the field.
    ``creators``, ``identifiers``, ``links`` and ``relations`` replace the lists they name;
    left out of a PATCH they stay as they are."""

    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text="Slug of the organisation whose contacts curate the output (create only).",
    )
    date = serializers.CharField(max_length=10)
    creators = CreatorWriteSerializer(many=True)
    identifiers = IdentifierWriteSerializer(many=True, required=False)
    links = LinkWriteSerializer(many=True, required=False)
    relations = RelationWriteSerializer(many=True, required=False)
    provenance_kind = serializers.CharField(
        max_length=40,
        required=False,
        help_text="consortium (default), or a pillar's kind: opencall_project, "
        "fellows_exchange, aida_course.",
    )
    provenance_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of that pillar's public record."
    )
    file = serializers.FileField(required=False, allow_null=True, validators=[validate_pdf])
    cover_image = serializers.FileField(
        required=False, allow_null=True, validators=[validate_image]
    )

    class Meta:
        model = Output
        fields = [
            "organisation",
            "date",
            *(
                name
                for name in Output.METADATA_FIELDS
                if name not in ("date_year", "date_month", "date_day")
            ),
            "creators",
            "identifiers",
            "links",
            "relations",
            "file",
            "cover_image",
        ]
        # The service checks the DOI's uniqueness, with the message the form shows.
        validators = []
        extra_kwargs = {"doi": {"validators": []}}

    def validate_date(self, value):
        try:
            return parse_partial_date(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from exc

    def metadata(self) -> dict:
        """The validated fields in the shape ``services.output_create/update`` take."""
        data = self.validated_data
        metadata = {name: data[name] for name in Output.METADATA_FIELDS if name in data}
        if "date" in data:
            year, month, day = data["date"]
            metadata.update(date_year=year, date_month=month, date_day=day)
        return metadata

    def rows(self) -> dict:
        """Creators, identifiers, links, relations (``None`` when not sent) and files."""
        data = self.validated_data
        creator = CreatorWriteSerializer()
        rows = {
            "creators": [creator.to_data(c) for c in data["creators"]]
            if "creators" in data
            else None,
            "identifiers": [(i["scheme"], i["value"]) for i in data["identifiers"]]
            if "identifiers" in data
            else None,
            "links": [(link["kind"], link["url"]) for link in data["links"]]
            if "links" in data
            else None,
            "relations": [
                RelationData(relation_type=r["relation_type"], target_doi=r["target_doi"])
                for r in data["relations"]
            ]
            if "relations" in data
            else None,
        }
        upload, cover = data.get("file"), data.get("cover_image")
        rows["files"] = FileChanges(
            file=upload,
            file_name=upload.name if upload else "",
            clear_file="file" in data and upload is None,
            cover_image=cover,
            clear_cover_image="cover_image" in data and cover is None,
        )
        return rows


class DeleteSerializer(portal.Serializer):
    reason = serializers.CharField(
        max_length=300, help_text="Shown on the tombstone, e.g. “duplicate of …”, “withdrawn”."
    )
