from django.core.exceptions import ValidationError as DjangoValidationError
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal
from ai4media_portal.core.api.fields import MultiLineCharField
from ai4media_portal.core.models import Topic

from ..enums import Benefit, OrganisationType
from ..models import ApplicationStatusChange, MembershipApplication, Organisation, OrganisationRole
from ..validators import normalise_ror_id, validate_logo, validate_ror_id


class OrganisationRoleSerializer(portal.ModelSerializer):
    class Meta:
        model = OrganisationRole
        fields = ["role", "since"]


class OrganisationSerializer(portal.ModelSerializer):
    """An organisation of the network as the public directory shows it."""

    country = CountryField()
    country_name = serializers.CharField(source="country.name", read_only=True)
    roles = OrganisationRoleSerializer(many=True, read_only=True)
    areas_of_interest = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    logo = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "slug",
            *Organisation.PROFILE_FIELDS,
            "country_name",
            "logo",
            "areas_of_interest",
            "roles",
            "joined_on",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo(self, organisation) -> str | None:
        if not organisation.logo:
            return None
        return self.context["request"].build_absolute_uri(organisation.logo.url)

    def get_url(self, organisation) -> str:
        return self.context["request"].build_absolute_uri(organisation.get_absolute_url())


class StatusChangeSerializer(portal.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None, read_only=True)

    class Meta:
        model = ApplicationStatusChange
        fields = ["from_status", "to_status", "actor", "message", "created_at"]
        read_only_fields = fields


class MembershipApplicationSerializer(portal.ModelSerializer):
    """An application with its history, as the applicant and the network managers see it."""

    applicant = serializers.EmailField(source="applicant.email", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    org_country = CountryField()
    areas_of_interest = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    possible_duplicates = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    history = StatusChangeSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = MembershipApplication
        fields = [
            "id",
            "status",
            "applicant",
            "organisation",
            *MembershipApplication.APPLICANT_FIELDS,
            "areas_of_interest",
            "terms_version",
            "terms_accepted_at",
            "created_at",
            "submitted_at",
            "decided_at",
            "decision_message",
            "possible_duplicates",
            "history",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, application) -> str:
        return self.context["request"].build_absolute_uri(application.get_absolute_url())


class MembershipApplicationWriteSerializer(portal.Serializer):
    """What an applicant sends to create or change a draft. ``form_token`` makes creation
    idempotent: sending the same token again returns the application already created."""

    form_token = serializers.UUIDField(required=False)
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the listed organisation applied for; omit for a new organisation.",
    )
    org_name = serializers.CharField(max_length=200)
    org_short_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    org_legal_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    org_type = serializers.ChoiceField(choices=OrganisationType.choices)
    org_country = CountryField()
    org_city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    org_website = serializers.URLField(max_length=300)
    org_ror_id = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="`0abcde123` or `https://ror.org/0abcde123`; stored as the nine characters.",
    )
    org_logo = serializers.FileField(required=False, allow_null=True)
    org_description = MultiLineCharField()
    org_contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200)
    contact_position = serializers.CharField(max_length=150)
    motivation = MultiLineCharField()
    areas_of_interest = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Topic.objects.all()
    )
    benefits = serializers.ListField(
        child=serializers.ChoiceField(choices=Benefit.choices), allow_empty=False
    )
    accept_terms = serializers.BooleanField(
        write_only=True,
        help_text="Must be true: the applicant accepts the current terms and privacy notice.",
    )

    def validate_org_ror_id(self, value: str) -> str:
        value = normalise_ror_id(value)
        if value:
            try:
                validate_ror_id(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return value

    def validate_org_logo(self, value):
        if value:
            try:
                validate_logo(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return value

    def application_data(self) -> dict:
        data = dict(self.validated_data)
        for name in (
            "form_token",
            "organisation",
            "org_logo",
            "areas_of_interest",
            "accept_terms",
        ):
            data.pop(name, None)
        return data


class MessageSerializer(portal.Serializer):
    message = MultiLineCharField(help_text="Sent to the applicant by email.")


class OptionalMessageSerializer(portal.Serializer):
    message = MultiLineCharField(required=False, allow_blank=True, default="")


class ApproveSerializer(OptionalMessageSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Approve into this listed organisation instead of creating a new one.",
    )
