"""The second-factor rule, in one place for every way of signing in (browser session, API
token): staff and holders of privileged roles must have an authenticator before they reach
anything confidential. ``MFA_REQUIRED_FOR_PRIVILEGED`` switches it off for local demos only."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MFA_REQUIRED_MESSAGE = _("Set up two-factor authentication on the portal first.")


def second_factor_missing(user) -> bool:
    """True when ``user`` must set up an authenticator before going further: the setting is
    on, the user is signed in, staff or holding a privileged role, and has no authenticator."""
    if not settings.MFA_REQUIRED_FOR_PRIVILEGED or not user.is_authenticated:
        return False
    return user.needs_second_factor and not is_mfa_enabled(user)
