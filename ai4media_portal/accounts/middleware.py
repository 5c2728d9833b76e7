from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

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
                                "detail": _(
                                    "Set up two-factor authentication on the portal first."
                                ),
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
        if not settings.MFA_REQUIRED_FOR_PRIVILEGED:
            return False
        user = request.user
        if not user.is_authenticated or request.path.startswith(ALLOWED_PREFIXES):
            return False
        if request.path == "/":
            return False
        return user.needs_second_factor and not is_mfa_enabled(user)
