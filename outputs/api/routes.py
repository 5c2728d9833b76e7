"""Endpoints of this pillar under /api/v1/."""

from .views import OutputViewSet

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("outputs", OutputViewSet, basename="output")
