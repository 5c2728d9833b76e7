"""Refuse control characters in the address before any view looks anything up with it.

Every URL kwarg (slugs, numbers, tokens) and every query parameter is single-line text: a NUL
in one would reach PostgreSQL and fail there (a 500), and the other C0 characters have no
honest use in an address. One check here covers every page and endpoint, present and future,
except the protocol endpoints of ``settings.CONTROL_CHARACTER_PROTOCOL_PATHS`` (OAI-PMH), which
must answer in their protocol's own error format and make the same check themselves.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from .text import CONTROL_CHARACTER_CODE, CONTROL_CHARACTER_MESSAGE, forbidden_character


def _first_problem(request) -> tuple[str | None, str] | None:
    """(parameter name or None for the path, character) of the first refused input."""
    found = forbidden_character(request.path_info)
    if found:
        return None, found
    for key, values in request.GET.lists():
        for text in (key, *values):
            found = forbidden_character(text)
            if found:
                return key, found
    return None


class ControlCharacterMiddleware:
    """A 400 (the API's error format under /api/, a page elsewhere) naming the parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(tuple(settings.CONTROL_CHARACTER_PROTOCOL_PATHS)):
            return self.get_response(request)
        problem = _first_problem(request)
        if problem is None:
            return self.get_response(request)
        attr, character = problem
        detail = str(CONTROL_CHARACTER_MESSAGE) % {"character": character}
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "validation_error",
                    "errors": [{"code": CONTROL_CHARACTER_CODE, "detail": detail, "attr": attr}],
                },
                status=400,
            )
        body = loader.render_to_string(
            "400.html",
            {"parameter": attr or _("the address"), "detail": detail},
            request=request,
        )
        return HttpResponseBadRequest(body)
