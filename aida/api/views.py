import django_filters
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ai4media_portal.core.api.filters import PortalFilterSet
from ai4media_portal.core.api.ordering import OrderingFilter
from ai4media_portal.core.api.permissions import HasRulesPermission
from ai4media_portal.core.public_cache import PublicListCacheMixin

from .. import selectors, services
from ..enums import (
    CourseFormat,
    Curriculum,
    EnrolmentStatus,
    Language,
    MemberTier,
    OfferingMode,
    OfferingStatus,
    ResourceType,
)
from ..models import Course, Enrolment, Member, Offering, Resource
from .serializers import (
    CourseSerializer,
    EligibilitySerializer,
    EnrolmentRequestSerializer,
    EnrolmentSerializer,
    LectureSerializer,
    MemberSerializer,
    OfferingSerializer,
    ResourceSerializer,
)


class MemberFilter(PortalFilterSet):
    tier = django_filters.ChoiceFilter(choices=MemberTier.choices)
    country = django_filters.CharFilter(method="filter_country", help_text="ISO 3166 alpha-2 code.")

    class Meta:
        model = Member
        fields = ["tier", "country"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(organisation__country=value.upper())


class MemberViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """AIDA's member institutions, open to everyone, by name."""

    public_cache_scopes = ("aida", "network")

    serializer_class = MemberSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = MemberFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"name": "organisation__name", "joined_on": "joined_on"}
    default_ordering = "name"

    def get_queryset(self):
        return selectors.members()


class CourseFilter(PortalFilterSet):
    search = django_filters.CharFilter(
        method="filter_search", help_text="Full-text search; words match as prefixes."
    )
    curriculum = django_filters.ChoiceFilter(choices=Curriculum.choices, method="filter_curriculum")
    # Not "format": DRF reads that parameter as the response's format.
    course_format = django_filters.ChoiceFilter(field_name="format", choices=CourseFormat.choices)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    topic = django_filters.CharFilter(field_name="topics__slug", distinct=True)
    host = django_filters.CharFilter(
        field_name="host__organisation__slug", help_text="Slug of the host organisation."
    )

    class Meta:
        model = Course
        fields = ["search", "curriculum", "course_format", "language", "topic", "host"]

    def filter_search(self, queryset, name, value):
        query = selectors.search_query(value)
        return queryset.filter(search_vector=query) if query is not None else queryset

    def filter_curriculum(self, queryset, name, value):
        return queryset.filter(curricula__contains=[value])


class CourseViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The course catalogue, open to everyone, by title."""

    public_cache_scopes = ("aida", "network")

    serializer_class = CourseSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = CourseFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"title": "title", "code": "code"}
    default_ordering = "title"
    lookup_field = "slug"

    def get_queryset(self):
        return Course.objects.select_related("host__organisation").prefetch_related("topics")


class OfferingFilter(PortalFilterSet):
    course = django_filters.CharFilter(field_name="course__slug", help_text="Slug of a course.")
    status = django_filters.ChoiceFilter(choices=OfferingStatus.choices)
    mode = django_filters.ChoiceFilter(choices=OfferingMode.choices)

    class Meta:
        model = Offering
        fields = ["course", "status", "mode"]


class OfferingViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Every offering of every course, open to everyone, by first day. ``eligibility`` says
    whether the requester may request a place, with the same answer as the page."""

    public_cache_scopes = ("aida", "network")

    serializer_class = OfferingSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = OfferingFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"starts_on": "starts_on"}
    default_ordering = "starts_on"

    def get_queryset(self):
        return selectors.offerings()

    @extend_schema(responses=EligibilitySerializer, summary="May I request a place, and why?")
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        allowed, reason = selectors.enrolment_eligibility(request.user, self.get_object())
        return Response({"allowed": allowed, "reason": reason.value, "message": reason.label})


class MyEnrolmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The requester's own enrolments (nobody else's). POST ``{"offering": id}`` requests a
    place (201, or 400 saying why not), with ``participant_affiliation`` and
    ``participant_country`` from an external participant; ``cancel`` gives it up, promoting
    the first waitlisted student."""

    serializer_class = EnrolmentSerializer
    permission_classes = [permissions.IsAuthenticated, HasRulesPermission]
    rules_permissions = {
        "list": "aida.request_enrolment",
        "retrieve": "aida.request_enrolment",
        "create": "aida.request_enrolment",
        "cancel": "aida.cancel_enrolment",
    }
    filter_backends = [OrderingFilter]
    ordering_fields = {"requested_at": "requested_at"}
    default_ordering = "-requested_at"

    def get_queryset(self):
        ahead = Enrolment.objects.filter(
            offering=OuterRef("offering"),
            status=EnrolmentStatus.WAITLISTED,
        ).filter(
            Q(requested_at__lt=OuterRef("requested_at"))
            | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk"))
        )
        position = Subquery(
            ahead.order_by().values("offering").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        )
        return selectors.my_enrolments(self.request.user).annotate(
            position=Case(
                When(
                    status=EnrolmentStatus.WAITLISTED,
                    then=Value(1) + Coalesce(position, Value(0)),
                ),
                default=None,
                output_field=IntegerField(),
            )
        )

    @extend_schema(
        request=EnrolmentRequestSerializer,
        responses={201: EnrolmentSerializer, 400: OpenApiResponse(description="Refused: why.")},
    )
    def create(self, request, *args, **kwargs):
        serializer = EnrolmentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enrolment = services.enrolment_request(
            offering=data["offering"],
            actor=request.user,
            affiliation=data["participant_affiliation"],
            country=data["participant_country"],
        )
        enrolment = self.get_queryset().get(pk=enrolment.pk)
        return Response(self.get_serializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=EnrolmentSerializer, summary="Cancel my enrolment")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        enrolment = self.get_object()
        services.enrolment_cancel(enrolment=enrolment, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=enrolment.pk)).data)


class LectureViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """AI Excellence Lectures, past and upcoming, open to everyone, by start."""

    public_cache_scopes = ("aida", "network")

    serializer_class = LectureSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = [OrderingFilter]
    ordering_fields = {"starts_at": "starts_at"}
    default_ordering = "starts_at"
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.lectures()


class ResourceFilter(PortalFilterSet):
    search = django_filters.CharFilter(
        method="filter_search", help_text="Full-text search; words match as prefixes."
    )
    type = django_filters.ChoiceFilter(choices=ResourceType.choices)
    curriculum = django_filters.ChoiceFilter(choices=Curriculum.choices, method="filter_curriculum")
    language = django_filters.ChoiceFilter(choices=Language.choices)

    class Meta:
        model = Resource
        fields = ["search", "type", "curriculum", "language"]

    def filter_search(self, queryset, name, value):
        query = selectors.search_query(value)
        return queryset.filter(search_vector=query) if query is not None else queryset

    def filter_curriculum(self, queryset, name, value):
        return queryset.filter(curricula__contains=[value])


class ResourceViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The accepted educational resources, open to everyone, by title; resources under review,
    with changes asked or rejected are never listed nor found."""

    public_cache_scopes = ("aida", "network")

    serializer_class = ResourceSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ResourceFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"title": "title"}
    default_ordering = "title"
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.public_resources().prefetch_related("topics")
