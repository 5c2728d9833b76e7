"""The open calls API: public calls and funded projects, applicants' own proposals."""

import django_filters
from django_countries import countries
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ai4media_portal.core.api.filters import BooleanFilter, IntegerFilter, PortalFilterSet
from ai4media_portal.core.api.parsers import FormParser, MultiPartParser
from ai4media_portal.core.api.permissions import HasRulesPermission
from ai4media_portal.core.public_cache import PublicListCacheMixin

from .. import selectors, services
from ..enums import CallStatus, ProposalStatus, TrackKind
from ..models import Call, FundedProject, Proposal
from .serializers import (
    CallSerializer,
    FundedProjectSerializer,
    ProposalDocumentSerializer,
    ProposalSerializer,
    ProposalWithdrawSerializer,
    VersionSerializer,
)


class CallFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(
        field_name="status_value", choices=CallStatus.choices, help_text="Derived from the dates."
    )
    track = django_filters.ChoiceFilter(
        field_name="tracks__kind",
        choices=TrackKind.choices,
        distinct=True,
        help_text="Calls with a track of this kind.",
    )

    class Meta:
        model = Call
        fields = ["status", "track"]


class CallViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Calls for proposals with their tracks, challenges, criteria and FAQ. Public; drafts are
    visible to call managers only."""

    serializer_class = CallSerializer
    permission_classes = [permissions.AllowAny]
    public_cache_scopes = ("opencalls",)
    filterset_class = CallFilter
    ordering_fields = {"number": "number", "opens_at": "opens_at", "closes_at": "closes_at"}
    default_ordering = "-number"
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.calls_with_structure(selectors.calls_visible(user=self.request.user))


class ProposalFilter(PortalFilterSet):
    call = IntegerFilter(field_name="call__number")
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)
    track = IntegerFilter(field_name="track_id")
    country = django_filters.ChoiceFilter(
        field_name="organisation_country", choices=list(countries)
    )

    class Meta:
        model = Proposal
        fields = ["call", "status", "track", "country"]


@extend_schema_view(
    list=extend_schema(summary="Your proposals (call managers: all proposals)"),
    create=extend_schema(
        summary="Start a draft proposal in an open call",
        responses={
            201: ProposalSerializer,
            200: OpenApiResponse(
                ProposalSerializer,
                description="The form_token was used before: the draft it started, unchanged.",
            ),
        },
    ),
    partial_update=extend_schema(summary="Save the draft (until the deadline)"),
    update=extend_schema(summary="Save the draft (until the deadline)"),
)
class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Applicants see and edit their own proposals; call managers read them all. Someone
    else's proposal does not exist for you (404). Documents download only through the
    permission-checked links given in ``document.url`` and ``versions[].document_url``."""

    serializer_class = ProposalSerializer
    permission_classes = [permissions.IsAuthenticated, HasRulesPermission]
    filterset_class = ProposalFilter
    # Related objects order by one comparable column, so keyset pages stay exact.
    ordering_fields = {
        "status": "status",
        "call": "call__number",
        "track": "track_id",
        "challenge": "challenge_id",
        "submitted_at": "submitted_at",
        "created_at": "created_at",
        "updated_at": "updated_at",
    }
    default_ordering = "-id"
    rules_permissions = {
        "list": "opencalls.list_proposals",
        "retrieve": "opencalls.view_proposal",
        "create": "opencalls.start_proposal",
        "update": "opencalls.change_proposal",
        "partial_update": "opencalls.change_proposal",
        "submit": "opencalls.submit_proposal",
        "withdraw": "opencalls.withdraw_proposal",
        "document": "opencalls.change_proposal",
    }

    def get_queryset(self):
        return selectors.proposals_visible(user=self.request.user).prefetch_related(
            "team", "budget_lines", "milestones", "versions"
        )

    def _save(self, proposal, data):
        fields = {name: value for name, value in data.items() if name in Proposal.DRAFT_FIELDS}
        return services.proposal_save_draft(
            proposal=proposal,
            actor=self.request.user,
            fields=fields,
            team=data.get("team"),
            budget=data.get("budget_lines"),
            milestones=data.get("milestones"),
        )

    def perform_create(self, serializer):
        token = serializer.validated_data.get("form_token")
        proposal = services.proposal_start(
            call=serializer.validated_data["call"], actor=self.request.user, form_token=token
        )
        if proposal.already_started:
            # The same create sent again: the draft it made, unchanged.
            serializer.instance = proposal
            return False
        serializer.instance = self._save(proposal, serializer.validated_data)
        return True

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer.instance, serializer.validated_data)

    def _fresh(self, proposal):
        return self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = self.perform_create(serializer)
        return Response(
            self._fresh(serializer.instance),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self._fresh(serializer.instance))

    @extend_schema(
        request=None,
        responses={
            201: VersionSerializer,
            200: OpenApiResponse(
                VersionSerializer,
                description="Nothing changed since the current version: it stands, and no "
                "new version or receipt was made.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit (or resubmit) before the deadline: a new immutable version (201). Sent
        again without changes, it does nothing and answers the current version (200). A 400
        lists every missing item by field."""
        version = services.proposal_submit(proposal=self.get_object(), actor=request.user)
        return Response(
            VersionSerializer(version, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if version.unchanged else status.HTTP_201_CREATED,
        )

    @extend_schema(request=ProposalWithdrawSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw before the deadline."""
        proposal = self.get_object()  # first: someone else's proposal is a 404, not a 400
        body = ProposalWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_withdraw(
            proposal=proposal,
            actor=request.user,
            reason=body.validated_data.get("reason", ""),
        )
        return Response(self._fresh(proposal))

    @extend_schema(request=ProposalDocumentSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def document(self, request, pk=None):
        """Upload the proposal document (multipart, PDF only, size limit set by the call)."""
        proposal = self.get_object()  # first: someone else's proposal is a 404, not a 400
        body = ProposalDocumentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_save_draft(
            proposal=proposal,
            actor=request.user,
            document=body.validated_data["document"],
        )
        return Response(self._fresh(proposal))


class FundedProjectFilter(PortalFilterSet):
    call = IntegerFilter(field_name="call__number")
    track = django_filters.ChoiceFilter(field_name="track__kind", choices=TrackKind.choices)
    country = django_filters.ChoiceFilter(
        field_name="organisation_country", choices=list(countries)
    )
    mine = BooleanFilter(
        method="filter_mine",
        help_text="Only the projects whose team you are in (nothing when signed out). It only "
        "narrows the list: what each project shows depends on who you are, not on this.",
    )

    class Meta:
        model = FundedProject
        fields = ["call", "track", "country", "mine"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        if not self.request.user.is_authenticated:
            return queryset.none()
        return queryset.filter(pk__in=selectors.projects_of_team(user=self.request.user))


class FundedProjectViewSet(PublicListCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The funded projects: a public summary for everyone; their team and call managers also
    get the agreement, tranches, deliverables and support sessions, project by project."""

    permission_classes = [permissions.AllowAny]
    serializer_class = FundedProjectSerializer
    filterset_class = FundedProjectFilter
    ordering_fields = {
        "start_date": "start_date",
        "acronym": "acronym",
        "call": "call__number",
    }
    default_ordering = "-id"
    public_cache_scopes = ("opencalls",)

    def get_queryset(self):
        projects = FundedProject.objects.select_related(
            "call", "challenge", "track"
        ).prefetch_related("outputs", "pitches", "members")
        if self.request.user.is_authenticated:
            projects = projects.prefetch_related("tranches", "deliverables", "support_sessions")
        return projects
