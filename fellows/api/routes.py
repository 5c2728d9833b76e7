"""Endpoints of this pillar under /api/v1/."""

from .views import ExchangeViewSet, HostOfferViewSet

urlpatterns = []


def register(router) -> None:
    """Add this pillar's viewsets to the API router."""
    router.register("fellows/host-offers", HostOfferViewSet, basename="fellows-host-offer")
    router.register("fellows/exchanges", ExchangeViewSet, basename="fellows-exchange")
