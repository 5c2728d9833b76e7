"""What the programme's public pages show (see ``core/public_cache.py``): every model of the
pillar is listed, so that saving any of them (an offer, a fellow's profile, an exchange, an
outcome, a testimonial) invalidates the cached fellows pages at once; records never shown
publicly only refresh the cache a little more often than needed."""

import datetime

from django.apps import apps

from ai4media_portal.core.public_cache import seconds_until_midnight

MODELS = list(apps.get_app_config("fellows").get_models(include_auto_created=True))


def seconds_until_change(now: datetime.datetime) -> float:
    """Seconds until the next midnight in Brussels: offers and exchanges are dated by day."""
    return seconds_until_midnight(now)
