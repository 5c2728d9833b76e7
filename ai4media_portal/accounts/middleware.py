from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .mfa import MFA_REQUIRED_MESSAGE, second_factor_missing

# Places a user without a second factor may still go: signing in and out, setting up MFA,
# managing their email and password, and what every visitor sees anyway.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz", "/i18n/", "/privacy/")


class PrivilegedRolesNeedMfaMiddleware:
    """Staff and holders of privileged roles set up two-factor authentication before they
    reach anything else on the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "client_error",
                        "errors": [
                            {
                                "code": "mfa_required",
                                "detail": str(MFA_REQUIRED_MESSAGE),
                                "attr": None,
                            }
                        ],
                    },
                    status=403,
                )
            messages.warning(
                request,
                _(
                    "Your role gives you access to confidential material. Protect your account "
                    "with an authenticator app before you continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        if request.path == "/" or request.path.startswith(ALLOWED_PREFIXES):
            return False
        return second_factor_missing(request.user)
