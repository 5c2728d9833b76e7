"""The evaluation API. Evaluators: their own assignments (the proposal redacted as on their
pages) and reviews (drafts, then ``submit``). Call managers: a call's ranking. Querysets are
filtered per user, so anything else is not found (404)."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ai4media_portal.core.api import serializers as portal
from ai4media_portal.core.api.fields import MultiLineCharField
from ai4media_portal.core.api.permissions import HasRulesPermission
from ai4media_portal.core.permissions import can

from ...models import Call, EvaluationCriterion
from .. import selectors, services
from ..models import Review
from .serializers import (
    AssignmentSerializer,
    ReviewSerializer,
    TrackRankingSerializer,
    track_ranking,
)


class ConflictDeclarationSerializer(portal.Serializer):
    reason = MultiLineCharField(help_text="Why you have a conflict of interest.")


@extend_schema_view(
    list=extend_schema(summary="Your assignments (evaluators)"),
    retrieve=extend_schema(summary="One of your assignments"),
)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The proposals assigned to you in calls under evaluation, never one you have a conflict
    with. The proposal is redacted as on your pages (blind calls hide the applicant)."""

    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated, HasRulesPermission]
    rules_permissions = {
        "list": "opencalls.list_evaluation",
        "retrieve": "opencalls.view_assignment",
        "declare_conflict": "opencalls.view_assignment",
    }

    def get_queryset(self):
        return selectors.evaluator_assignments(user=self.request.user).select_related(
            "proposal__current_version"
        )

    @extend_schema(request=ConflictDeclarationSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="declare-conflict")
    def declare_conflict(self, request, pk=None):
        """Declare a conflict of interest with this proposal: it leaves your assignments."""
        assignment = self.get_object()
        body = ConflictDeclarationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.conflict_declare(
            proposal=assignment.proposal, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _int_keys(mapping: dict | None, name: str) -> dict | None:
    if mapping is None:
        return None
    result = {}
    for key, value in mapping.items():
        try:
            result[int(key)] = value
        except (TypeError, ValueError):
            raise serializers.ValidationError({name: {key: ["Not a criterion id."]}}) from None
    return result


@extend_schema_view(
    list=extend_schema(summary="Your reviews (evaluators)"),
    create=extend_schema(summary="Start the review of an assignment (a draft)"),
    partial_update=extend_schema(summary="Save the draft"),
    update=extend_schema(summary="Save the draft"),
)
class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Your reviews. Writing saves the draft: every score must be 0–5 in half points (a 400
    names the field and nothing is saved). ``submit`` checks that every criterion is scored and
    commented and that the deadline has not passed, then locks the review. Once yours is
    submitted, ``other_reviews`` shows the proposal's other submitted reviews, anonymised."""

    serializer_class = ReviewSerializer
    permission_classes = [permissions.IsAuthenticated, HasRulesPermission]
    rules_permissions = {
        "list": "opencalls.list_evaluation",
        "retrieve": "opencalls.view_review",
        "create": "opencalls.list_evaluation",
        "update": "opencalls.view_review",
        "partial_update": "opencalls.view_review",
        "submit": "opencalls.view_review",
    }

    def get_queryset(self):
        visible = selectors.evaluator_assignments(user=self.request.user)
        criteria = Prefetch(
            "assignment__call__criteria",
            queryset=EvaluationCriterion.objects.order_by("order", "pk"),
        )
        return (
            Review.objects.filter(assignment__in=visible.values("pk"))
            .select_related("assignment__call__evaluation_settings", "assignment__proposal__call")
            .prefetch_related("scores", criteria)
            .order_by("-pk")
        )

    def _save(self, assignment, data):
        scores = _int_keys(data.get("scores"), "scores")
        comments = _int_keys(data.get("comments"), "comments")
        with transaction.atomic():
            outcome = services.review_save_draft(
                assignment=assignment,
                actor=self.request.user,
                scores=scores,
                comments=comments,
                overall_comment=data.get("overall_comment"),
            )
            if outcome.errors:
                # All or nothing through the API: roll the draft back and name the fields.
                errors = {}
                for field, messages in outcome.errors.items():
                    kind, _sep, criterion = field.partition("_")
                    errors.setdefault(f"{kind}s", {})[criterion] = messages
                raise serializers.ValidationError(errors)
        return outcome.obj

    def _fresh(self, review):
        return self.get_serializer(self.get_queryset().get(pk=review.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = self._save(serializer.validated_data["assignment"], serializer.validated_data)
        return Response(self._fresh(review), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        review = self.get_object()
        serializer = self.get_serializer(review, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        review = self._save(review.assignment, serializer.validated_data)
        return Response(self._fresh(review))

    @extend_schema(request=None, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the review (a 400 lists every missing score or comment, or says the deadline
        has passed)."""
        review = self.get_object()
        services.review_submit(assignment=review.assignment, actor=request.user)
        return Response(self._fresh(review))


class EvaluationCallViewSet(viewsets.GenericViewSet):
    """A call's evaluation for call managers. Not found for anyone else."""

    permission_classes = [permissions.IsAuthenticated, HasRulesPermission]
    rules_permissions = {"ranking": "opencalls.manage_evaluation"}
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    serializer_class = TrackRankingSerializer
    pagination_class = None  # a ranking is one document, not a list to page through

    def get_queryset(self):
        if not can(self.request.user, "opencalls.manage_evaluation"):
            return Call.objects.none()
        return Call.objects.all()

    @extend_schema(
        summary="The call's ranking per track (call managers)",
        parameters=[
            OpenApiParameter(
                "view", str, description="`call` for one ranking of the whole call", enum=["call"]
            )
        ],
        responses={200: TrackRankingSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, number=None):
        """Per track (or ``?view=call``): ranked proposals with the budget line
        (``decision``: fund / reserve), those below a threshold with reasons, those without a
        consensus yet. Provisional rows use the suggested consensus. The proposals you are a party
        to are only named, in ``conflict_of_interest``: their evaluation is not yours to read.
        Proposals you evaluate without having submitted your review are left out (``hidden``)."""
        view = request.query_params.get("view", "")
        if view not in {"", "call"}:
            raise ValidationError({"view": [_("Use “call” for one ranking of the whole call.")]})
        call = self.get_object()
        rankings = selectors.call_ranking(
            call,
            whole_call=view == "call",
            hidden=selectors.own_cases(user=request.user, call=call),
            withheld=selectors.blind_proposal_ids(request.user, call),
        )
        return Response(
            TrackRankingSerializer([track_ranking(r) for r in rankings], many=True).data
        )
