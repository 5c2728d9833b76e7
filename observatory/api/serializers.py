from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal

from ..models import ContentItem, Expert, Milestone, Regulation


class ContentAuthorSerializer(portal.Serializer):
    """One author of a piece, in the order shown: ``expert`` is the slug of their profile in
    the expert directory (``/api/v1/experts/{slug}/``) and ``url`` its page, both null for a
    staff author or a profile that is not listed. Never an email address."""

    name = serializers.CharField(read_only=True)
    expert = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.SlugField(allow_null=True))
    def get_expert(self, credit) -> str | None:
        return credit.expert.slug if credit.profile_url else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, credit) -> str | None:
        if not credit.profile_url:
            return None
        return self.context["request"].build_absolute_uri(credit.profile_url)


class RelatedOutputSerializer(portal.Serializer):
    """A public record of the Outputs catalogue the piece relates to: its id
    (``/api/v1/outputs/{id}/``), title, year and page."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    year = serializers.IntegerField(source="date_year", read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, output) -> str:
        return self.context["request"].build_absolute_uri(output.get_absolute_url())


class ContentItemSerializer(portal.ModelSerializer):
    """A published piece of the Observatory. ``body_html`` is the body rendered from Markdown
    and sanitised (no script, event handler, style or iframe); ``body`` is the Markdown."""

    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    authors = ContentAuthorSerializer(
        source="credits", many=True, read_only=True, help_text="The authors, in order."
    )
    related_outputs = RelatedOutputSerializer(
        source="public_outputs",
        many=True,
        read_only=True,
        help_text="Public research outputs of the catalogue the piece relates to, newest first.",
    )
    hero_image = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ContentItem
        fields = [
            "slug",
            "kind",
            "title",
            "standfirst",
            "body",
            "body_html",
            "hero_image",
            "hero_alt",
            "hero_caption",
            "video_url",
            "source_url",
            "language",
            "reading_minutes",
            "featured",
            "seo_title",
            "seo_description",
            "topics",
            "tags",
            "authors",
            "related_outputs",
            "published_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_hero_image(self, item) -> str | None:
        if not item.hero_image:
            return None
        return self.context["request"].build_absolute_uri(item.hero_image.url)

    def get_url(self, item) -> str:
        return self.context["request"].build_absolute_uri(item.get_absolute_url())


class PolicyMilestoneSerializer(portal.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["date", "title", "kind", "source_url", "description"]
        read_only_fields = fields


class RegulationSerializer(portal.ModelSerializer):
    """A regulation of the policy tracker with its dated milestones (oldest first)."""

    milestones = PolicyMilestoneSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Regulation
        fields = [*Regulation.EDITABLE_FIELDS, "milestones", "url"]
        read_only_fields = fields

    def get_url(self, regulation) -> str:
        return self.context["request"].build_absolute_uri(regulation.get_absolute_url())


class ExpertSerializer(portal.ModelSerializer):
    """A listed expert. No email address is ever part of it: readers write through the
    portal's contact relay (``contact_url``, signed in)."""

    country = serializers.CharField(source="country.code", read_only=True)
    organisation = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    photo = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Expert
        fields = [
            "slug",
            "name",
            "headline",
            "bio",
            "photo",
            "organisation",
            "organisation_name",
            "country",
            "expertise",
            "topics",
            "languages",
            "available_for",
            "orcid",
            "website",
            "accepts_contact",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, expert) -> str | None:
        if not expert.photo:
            return None
        return self.context["request"].build_absolute_uri(expert.photo.url)

    def get_url(self, expert) -> str:
        return self.context["request"].build_absolute_uri(expert.get_absolute_url())
