"""Endpoints of this pillar under /api/v1/."""

from .views import ContentViewSet, ExpertViewSet, RegulationViewSet

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("observatory/content", ContentViewSet, basename="observatory-content")
    router.register("observatory/policies", RegulationViewSet, basename="observatory-policy")
    router.register("experts", ExpertViewSet, basename="expert")
