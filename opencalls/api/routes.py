"""Endpoints of this pillar under /api/v1/."""

from ..evaluation.api.views import AssignmentViewSet, EvaluationCallViewSet, ReviewViewSet
from .views import CallViewSet, FundedProjectViewSet, ProposalViewSet

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("calls", CallViewSet, basename="call")
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("funded-projects", FundedProjectViewSet, basename="funded-project")
    # The evaluation: evaluators' assignments and reviews, call managers' rankings.
    router.register("evaluation/assignments", AssignmentViewSet, basename="evaluation-assignment")
    router.register("evaluation/reviews", ReviewViewSet, basename="evaluation-review")
    router.register("evaluation/calls", EvaluationCallViewSet, basename="evaluation-call")
