from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .mfa import MFA_REQUIRED_MESSAGE, second_factor_missing
from .models import ApiToken
from .services import hash_api_key


class SecondFactorMissing(exceptions.PermissionDenied):
    default_code = "mfa_required"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``) with a personal API token.

    A token is refused (401) once revoked — by its owner, or because the owner's password was
    changed or reset (``accounts.signals``) — and its owner's roles obey the same second-factor
    rule as a browser session (``accounts.mfa``): a privileged user without an authenticator
    gets 403 ``mfa_required`` whatever the token.
    """

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_api_key(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if second_factor_missing(token.user):
            raise SecondFactorMissing(MFA_REQUIRED_MESSAGE)
        now = timezone.now()
        # Recording every use would write on every request; a minute's precision is enough.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
