from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health
from .files import file_response
from .htmx import htmx_refusal, is_htmx
from .navigation import PILLARS
from .pillars import PILLAR_APPS, collect_figures, collect_panels
from .public_cache import public_page
from .search import clean_query, search_everywhere


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


def search(request):
    """``/search/?q=``: what every pillar finds for the text, a few hits each."""
    text = clean_query(request.GET.get("q"))
    groups = search_everywhere(text, user=request.user)
    return render(request, "core/search.html", {"q": text, "groups": groups})


@never_cache
def healthz(request):
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value in {"ok", "eager"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@never_cache
def healthz_live(request):
    """Liveness: the process answers. Checks nothing else (``core.health``)."""
    return JsonResponse({"status": "ok"})


@never_cache
def healthz_ready(request):
    """Readiness: 503 without the database; broker and cache reported (``core.health``)."""
    status, body = health.readiness()
    return JsonResponse(body, status=status)


@require_safe
def media(request, path: str):
    """Public uploads (organisations' logos, call guides), with the headers of
    ``core.files.file_response``: images inline, anything else downloaded, nothing run.
    Confidential files are not in this storage at all."""
    try:
        if not path or path.endswith("/") or not default_storage.exists(path):
            raise Http404
        handle = default_storage.open(path, "rb")
    except (SuspiciousFileOperation, IsADirectoryError, PermissionError) as exc:
        raise Http404 from exc
    return file_response(handle, stored_name=path, public=True)


def csrf_failure(request, reason=""):
    """A form sent with a token that no longer matches (``CSRF_FAILURE_VIEW``): for htmx a
    one-line reason that portal.js shows beside the form, otherwise a page that says how to
    send it again without losing what was typed."""
    if is_htmx(request):
        return htmx_refusal(403, _("This page has expired."))
    return render(request, "403_csrf.html", status=403)


def permission_denied(request, exception=None):
    """403: a one-line reason for htmx, the API's format under /api/, a page elsewhere."""
    if is_htmx(request):
        return htmx_refusal(403, _("You may not change this (any more)."))
    if request.path.startswith("/api/"):
        return _api_error(403, "permission_denied", _("You do not have permission."))
    return render(request, "403.html", status=403)


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
    # No context processors: the database may be what failed. The request's id (core.logs)
    # lets the person quote what operators find in the logs.
    context = {"request_id": getattr(request, "request_id", "")}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
