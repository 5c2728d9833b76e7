from decimal import Decimal

from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal

from ..models import Course, Enrolment, Lecture, Member, Offering, Resource


class MemberSerializer(portal.ModelSerializer):
    """An AIDA member institution. ``organisation`` is the slug of its network organisation;
    ``country`` ISO 3166 alpha-2; dates ISO 8601."""

    name = serializers.CharField(source="organisation.name", read_only=True)
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    country = serializers.CharField(source="organisation.country.code", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "name", "organisation", "country", "tier", "joined_on", "mou_signed_on"]


class CourseSerializer(portal.ModelSerializer):
    """A course of the catalogue. ``ects`` is a decimal string (halves) or null; ``host`` the
    slug of the host's network organisation; ``topics`` slugs of the shared vocabulary."""

    host = serializers.CharField(source="host.organisation.slug", read_only=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "slug",
            "code",
            "title",
            "description",
            "syllabus",
            "learning_outcomes",
            "prerequisites",
            "curricula",
            "format",
            "ects",
            "level",
            "language",
            "host",
            "topics",
            "url",
        ]
        # The model's validator says 0.5, a float; DRF wants a Decimal bound for a decimal.
        extra_kwargs = {"ects": {"min_value": Decimal("0.5")}}

    @extend_schema_field(serializers.URLField())
    def get_url(self, course) -> str:
        return self.context["request"].build_absolute_uri(course.get_absolute_url())


class OfferingSerializer(portal.ModelSerializer):
    """One run of a course. Dates are calendar days in ``timezone`` (IANA name); ``capacity``
    is the number of seats, null for unlimited; ``seats_left`` null when unlimited."""

    course = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    seats_left = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Offering
        fields = [
            "id",
            "course",
            "starts_on",
            "ends_on",
            "schedule",
            "timezone",
            "mode",
            "location",
            "enrolment_opens_on",
            "enrolment_closes_on",
            "capacity",
            "seats_taken",
            "seats_left",
            "waitlist_length",
            "audience",
            "confirm_by_hand",
            "materials_url",
            "status",
        ]


class EligibilitySerializer(serializers.Serializer):
    """Whether the requester may request a place now (``allowed``) and why: ``reason`` is a
    code of ``aida.enums.Eligibility``, ``message`` its words."""

    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    message = serializers.CharField()


class EnrolmentSerializer(portal.ModelSerializer):
    """One of the requester's own enrolments; ``requested_at`` is UTC; ``waitlist_position``
    is 1 for the first waiting, null when not waitlisted; ``participant_affiliation`` and
    ``participant_country`` (ISO 3166 alpha-2) are what was recorded when they asked (from the
    student registration for an AIDA student), ``is_aida_student`` whether they were one."""

    offering = OfferingSerializer(read_only=True)
    waitlist_position = serializers.SerializerMethodField()
    participant_country = serializers.CharField(source="participant_country.code", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "offering",
            "status",
            "requested_at",
            "attended",
            "waitlist_position",
            "participant_affiliation",
            "participant_country",
            "is_aida_student",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_waitlist_position(self, enrolment) -> int | None:
        return getattr(enrolment, "position", None)


class EnrolmentRequestSerializer(portal.Serializer):
    """A request for a place. An external participant (not a validated AIDA student, in an
    offering open to external participants) also gives ``participant_affiliation`` and
    ``participant_country`` (ISO 3166 alpha-2): missing ones are a 400 naming the field.
    An AIDA student's are taken from their registration and these are ignored."""

    offering = serializers.PrimaryKeyRelatedField(queryset=Offering.objects.all())
    participant_affiliation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    participant_country = serializers.ChoiceField(
        choices=list(countries), required=False, allow_blank=True, default=""
    )


class LectureSerializer(portal.ModelSerializer):
    """An AI Excellence Lecture. ``starts_at``/``ends_at`` are ISO 8601 with their offset;
    ``timezone`` (IANA name) is where it is held; ``uid`` is the event's UID in the calendar
    feeds; status ``cancelled`` lectures stay listed."""

    course = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)

    class Meta:
        model = Lecture
        fields = [
            "id",
            "slug",
            "title",
            "speaker",
            "affiliation",
            "abstract",
            "starts_at",
            "ends_at",
            "timezone",
            "online_url",
            "recording_url",
            "course",
            "status",
            "uid",
            "sequence",
        ]


class ResourceSerializer(portal.ModelSerializer):
    """An accepted educational resource. ``licence`` is an SPDX identifier; ``language`` ISO
    639-1; ``topics`` slugs of the shared vocabulary; ``course`` a course slug or null.
    ``url`` is its link (null when it has none), ``file_url`` the address of its file (a PDF,
    slides, a document, a ZIP archive or a Jupyter notebook; null when it has none) and
    ``file_name`` the name the file is offered under; a resource has a link, a file or both."""

    course = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "slug",
            "title",
            "description",
            "type",
            "curricula",
            "topics",
            "level",
            "language",
            "licence",
            "authors",
            "url",
            "file_url",
            "file_name",
            "course",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, resource) -> str | None:
        if not resource.file:
            return None
        return self.context["request"].build_absolute_uri(resource.file_url)
