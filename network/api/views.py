import django_filters
from django_countries import countries
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ai4media_portal.core.api.filters import PortalFilterSet
from ai4media_portal.core.api.ordering import OrderingFilter
from ai4media_portal.core.api.permissions import HasRulesPermission
from ai4media_portal.core.public_cache import PublicListCacheMixin

from .. import selectors, services
from ..enums import ApplicationStatus, NetworkRole, OrganisationType
from ..models import MembershipApplication, Organisation
from .serializers import (
    ApproveSerializer,
    MembershipApplicationSerializer,
    MembershipApplicationWriteSerializer,
    MessageSerializer,
    OptionalMessageSerializer,
    OrganisationSerializer,
)


class OrganisationFilter(PortalFilterSet):
    """The member directory's filters."""

    country = django_filters.ChoiceFilter(
        choices=list(countries), method="filter_directory", help_text="ISO 3166 alpha-2 code."
    )
    type = django_filters.ChoiceFilter(choices=OrganisationType.choices, method="filter_directory")
    role = django_filters.ChoiceFilter(choices=NetworkRole.choices, method="filter_directory")
    topic = django_filters.CharFilter(
        method="filter_directory", help_text="Slug of an area of interest."
    )
    search = django_filters.CharFilter(
        method="filter_directory",
        help_text="Full-text search of names, city and description; words match as prefixes.",
    )

    class Meta:
        model = Organisation
        fields = ["country", "type", "role", "topic", "search"]

    def filter_directory(self, queryset, name, value):
        return selectors.organisations_filtered(queryset=queryset, **{name: value})


class OrganisationViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The organisations of the network (those holding a role), open to everyone."""

    public_cache_scopes = ("network",)

    serializer_class = OrganisationSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = OrganisationFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {"name": "name", "country": "country", "joined_on": "joined_on"}
    default_ordering = "-id"
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.with_directory_relations(selectors.member_organisations())


class ApplicationFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    country = django_filters.ChoiceFilter(field_name="org_country", choices=list(countries))
    type = django_filters.ChoiceFilter(field_name="org_type", choices=OrganisationType.choices)

    class Meta:
        model = MembershipApplication
        fields = ["status", "country", "type"]


def _action_schema(summary, request=None):
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            200: MembershipApplicationSerializer,
            400: OpenApiResponse(description="The workflow refuses this step now."),
        },
    )


@extend_schema_view(
    create=extend_schema(
        request=MembershipApplicationWriteSerializer,
        responses={
            201: MembershipApplicationSerializer,
            200: OpenApiResponse(
                MembershipApplicationSerializer,
                description="The form_token was used before: the existing application.",
            ),
        },
    ),
    update=extend_schema(
        request=MembershipApplicationWriteSerializer, responses=MembershipApplicationSerializer
    ),
    partial_update=extend_schema(
        request=MembershipApplicationWriteSerializer, responses=MembershipApplicationSerializer
    ),
)
class MembershipApplicationViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Associate-membership applications: applicants see and change their own; network
    managers see all and decide. Each action calls the same service as the web pages."""

    serializer_class = MembershipApplicationSerializer
    permission_classes = [permissions.IsAuthenticated, HasRulesPermission]
    rules_permissions = {
        "list": "network.list_membershipapplication",
        "retrieve": "network.view_membershipapplication",
        "create": "network.add_membershipapplication",
        "update": "network.change_membershipapplication",
        "partial_update": "network.change_membershipapplication",
        "submit": "network.submit_membershipapplication",
        "resubmit": "network.submit_membershipapplication",
        "withdraw": "network.withdraw_membershipapplication",
        "start_review": "network.review_membershipapplication",
        "request_information": "network.review_membershipapplication",
        "approve": "network.decide_membershipapplication",
        "reject": "network.decide_membershipapplication",
    }
    filterset_class = ApplicationFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = {
        "status": "status",
        "org_name": "org_name",
        "created_at": "created_at",
        "submitted_at": "submitted_at",
    }
    default_ordering = "-id"

    def get_queryset(self):
        return (
            selectors.applications_visible_to(self.request.user)
            .select_related("applicant", "organisation")
            .prefetch_related(
                "history__actor",
                "areas_of_interest",
                "possible_duplicates",
            )
        )

    def _respond(self, application, status_code=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = MembershipApplicationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application, created = services.application_create(
            applicant=request.user,
            data=serializer.application_data(),
            areas_of_interest=data["areas_of_interest"],
            accept_terms=data["accept_terms"],
            logo=data.get("org_logo"),
            organisation=data.get("organisation"),
            form_token=data.get("form_token"),
        )
        return self._respond(
            application, status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    def update(self, request, *args, **kwargs):
        application = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = MembershipApplicationWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = services.application_update(
            application=application,
            actor=request.user,
            data=serializer.application_data(),
            areas_of_interest=data.get("areas_of_interest"),
            accept_terms=data.get("accept_terms", False),
            logo=data.get("org_logo") or None,
            clear_logo="org_logo" in data and data["org_logo"] is None,
        )
        return self._respond(application)

    def _run(self, service, serializer_class=None, **extra):
        application = self.get_object()
        kwargs = {}
        if serializer_class is not None:
            serializer = serializer_class(data=self.request.data)
            serializer.is_valid(raise_exception=True)
            kwargs = dict(serializer.validated_data)
        application = service(application=application, actor=self.request.user, **kwargs)
        return self._respond(application)

    @_action_schema("Submit a draft to the network managers")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._run(services.application_submit)

    @_action_schema("Send back an application after more information was requested")
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._run(services.application_resubmit)

    @_action_schema("Withdraw the application before a decision", OptionalMessageSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(services.application_withdraw, OptionalMessageSerializer)

    @_action_schema("Start reviewing a submitted application (network managers)")
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        return self._run(services.application_start_review)

    @_action_schema("Ask the applicant for more information (network managers)", MessageSerializer)
    @action(detail=True, methods=["post"], url_path="request-information")
    def request_information(self, request, pk=None):
        return self._run(services.application_request_information, MessageSerializer)

    @_action_schema("Approve: the organisation becomes an associate member", ApproveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._run(services.application_approve, ApproveSerializer)

    @_action_schema("Reject, with the reason (network managers)", MessageSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._run(services.application_reject, MessageSerializer)
