"""Writes to accounts: profiles and personal API tokens."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError

from .models import ApiToken, TokenRevocation, User

TOKEN_BYTES = 30


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token named ``name`` for ``user`` and return it with its key.

    The key is returned this once and never stored: only its SHA-256 hash is kept.
    """
    name = name.strip()
    if not name:
        raise PortalError(_("Give the token a name."), field="name")
    if ApiToken.objects.filter(user=user, name__iexact=name, revoked_at__isnull=True).exists():
        raise PortalError(_("You already have an active token with this name."), field="name")
    key = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=hash_api_key(key)
    )
    log_action("accounts.api_token.create", actor=user, target=token, data={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke ``token``; only its owner or staff may. Revoking twice changes nothing."""
    if token.user_id != actor.pk and not actor.is_staff:
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_because = (
            TokenRevocation.BY_OWNER if token.user_id == actor.pk else TokenRevocation.BY_STAFF
        )
        token.save(update_fields=["revoked_at", "revoked_because"])
        log_action("accounts.api_token.revoke", actor=actor, target=token)
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user: User, because: TokenRevocation) -> int:
    """Revoke every active token of ``user`` and return how many there were.

    Called when the password changes or is reset (``accounts.signals``): whoever knew the old
    password may have made a token with it, so no token outlives it. Audited once per token.
    """
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        token.revoked_because = because
        token.save(update_fields=["revoked_at", "revoked_because"])
        log_action("accounts.api_token.revoke", actor=user, target=token, data={"because": because})
    return len(tokens)


@transaction.atomic
def profile_update(*, user: User, full_name: str, timezone_name: str, orcid: str) -> User:
    user.full_name = full_name.strip()
    user.timezone = timezone_name
    user.orcid = orcid.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "timezone", "orcid"])
    return user
