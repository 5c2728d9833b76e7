"""Endpoints of this pillar under /api/v1/."""

from .views import CallViewSet, FundedProjectViewSet, ProposalViewSet

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("calls", CallViewSet, basename="call")
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("funded-projects", FundedProjectViewSet, basename="funded-project")
