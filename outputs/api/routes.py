"""Endpoints of this pillar under /api/v1/."""

from django.urls import path

from .formats import OutputCitationsView
from .views import OutputViewSet

urlpatterns = [
    path("outputs/<int:pk>/citations/", OutputCitationsView.as_view(), name="output-citations"),
]


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("outputs", OutputViewSet, basename="output")
