"""Endpoints of this pillar under /api/v1/."""

from .views import MembershipApplicationViewSet, OrganisationViewSet

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register(
        "membership-applications", MembershipApplicationViewSet, basename="membership-application"
    )
