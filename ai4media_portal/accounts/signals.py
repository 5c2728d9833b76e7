"""Account events that other records follow: a new password revokes the API tokens."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from .models import TokenRevocation
from .services import api_tokens_revoke_all


@receiver(password_changed, dispatch_uid="accounts.revoke_tokens_on_password_change")
@receiver(password_set, dispatch_uid="accounts.revoke_tokens_on_password_set")
def revoke_tokens_on_password_change(sender, request, user, **kwargs):
    api_tokens_revoke_all(user=user, because=TokenRevocation.PASSWORD_CHANGED)


@receiver(password_reset, dispatch_uid="accounts.revoke_tokens_on_password_reset")
def revoke_tokens_on_password_reset(sender, request, user, **kwargs):
    api_tokens_revoke_all(user=user, because=TokenRevocation.PASSWORD_RESET)
