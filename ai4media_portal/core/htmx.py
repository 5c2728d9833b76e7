"""Answers to htmx requests that cannot be served: the page that sent them stays as it is, with
what the person typed, and ``static/js/portal.js`` says plainly why nothing was saved.

A redirect is never right for an htmx request: the browser would follow it inside the request
and put the page it lands on (the sign-in page, say) into the small box meant for the answer.
So the sign-in redirect of ``login_required`` becomes 401, the second-factor redirect and a
refused CSRF token become 403, each with a one-line reason as plain text; any other redirect is
handed to htmx as ``HX-Redirect`` (a full navigation)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

REDIRECT_CODES = {301, 302, 303, 307, 308}


def is_htmx(request) -> bool:
    """Whether htmx sent the request: django-htmx's ``request.htmx``, or, for code that runs
    before its middleware (such as the CSRF failure view), django-htmx's own reading of the
    request."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx if htmx is not None else HtmxDetails(request))


def htmx_refusal(status: int, reason: str) -> HttpResponse:
    """A short plain-text answer that portal.js shows beside the form."""
    response = HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def signed_out() -> HttpResponse:
    return htmx_refusal(401, _("You are signed out."))


def htmx_response_for_redirect(request, response):
    """The answer an htmx request gets instead of ``response`` when that is a redirect."""
    if not is_htmx(request) or response.status_code not in REDIRECT_CODES:
        return response
    target = urlsplit(response["Location"]).path
    if target == resolve_url(settings.LOGIN_URL):
        return signed_out()
    if target == reverse("mfa_activate_totp"):
        return htmx_refusal(403, _("Set up two-factor authentication first."))
    redirect = HttpResponse(status=204)
    redirect["HX-Redirect"] = response["Location"]
    return redirect
