from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import health
from .navigation import PILLARS
from .pillars import PILLAR_APPS, collect_figures, collect_panels
from .public_cache import public_page


@public_page(*PILLAR_APPS)
def home(request):
    return render(
        request,
        "core/home.html",
        {
            "pillars": PILLARS,
            "figures": collect_figures(),
            "panels": collect_panels("home", request),
        },
    )


@public_page()
def privacy(request):
    return render(request, "core/privacy.html")


@never_cache
def healthz(request):
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value in {"ok", "eager"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _api_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": "client_error" if status < 500 else "server_error",
            "errors": [{"code": code, "detail": detail, "attr": None}],
        },
        status=status,
    )


def page_not_found(request, exception=None):
    """404 in the API's error format under /api/, as a page elsewhere."""
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", _("Not found."))
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _api_error(500, "error", _("A server error occurred."))
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
