from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import health
from .navigation import PILLARS
from .pillars import collect_figures, collect_panels


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


def privacy(request):
    return render(request, "core/privacy.html")


@never_cache
def healthz(request):
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value in {"ok", "eager"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
