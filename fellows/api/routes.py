"""Endpoints of this pillar under /api/v1/."""

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
