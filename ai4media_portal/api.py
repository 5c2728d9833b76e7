"""The REST API under /api/v1/: one router; each pillar registers its endpoints in
``<app>/api/routes.py`` with ``register(router)`` and may add plain paths in ``urlpatterns``."""

from importlib import import_module

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ai4media_portal.accounts.api.views import MeView
from ai4media_portal.core.api.views import AuditEntryViewSet
from ai4media_portal.core.pillars import PILLAR_APPS

router = DefaultRouter()
router.register("audit-log", AuditEntryViewSet, basename="audit-log")
extra_patterns = [path("me/", MeView.as_view(), name="me")]

for label in PILLAR_APPS:
    routes = import_module(f"{label}.api.routes")
    routes.register(router)
    extra_patterns += getattr(routes, "urlpatterns", [])

urlpatterns = [*extra_patterns, path("", include(router.urls))]
