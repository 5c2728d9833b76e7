import zoneinfo

from django.conf import settings
from django.utils import timezone

from .htmx import htmx_response_for_redirect


class UserTimezoneMiddleware:
    """Show times in the signed-in user's timezone (Europe/Brussels for visitors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = getattr(request.user, "timezone", "") or settings.PORTAL_DEFAULT_TIMEZONE
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.PORTAL_DEFAULT_TIMEZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ConfidentialResponsesMiddleware:
    """Whatever a signed-in person sees (proposals, applications, reviews, profiles,
    dashboards, their API data) is for them only: the response says ``Cache-Control: private,
    no-store`` so that neither a shared cache nor the browser's disk keeps it. So does every
    API response except a public read by an anonymous client. Signed-in covers a session and an
    API token alike (DRF puts the token's user on the request).

    A view that sets ``Cache-Control: public`` itself (public uploads) is believed. Every
    response is also same-origin only for other sites' pages (``Cross-Origin-Resource-Policy``)
    unless the view says otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        public = "public" in response.get("Cache-Control", "")
        if self._confidential(request, response) and not public:
            response["Cache-Control"] = "private, no-store"
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    @staticmethod
    def _confidential(request, response) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        if request.path.startswith("/api/v1/"):
            public_read = request.method in ("GET", "HEAD") and response.status_code < 400
            return not public_read
        return False


class HtmxRedirectsMiddleware:
    """htmx requests get a status and a reason instead of a redirect (``core.htmx``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return htmx_response_for_redirect(request, self.get_response(request))
