"""What this pillar shows on the pages that others share (see ``core/public_cache.py``): its
figure on the home page and its section on an organisation's page. Every model of the pillar
is listed, so that any change to what those pages show invalidates them at once; changes to
records never shown publicly only refresh the cache a little more often than needed."""

import datetime

from django.apps import apps

from ai4media_portal.core.public_cache import seconds_until_midnight

# Staff authors appear by their account's name.
MODELS = [
    *apps.get_app_config("observatory").get_models(include_auto_created=True),
    apps.get_model("accounts", "User"),
]


def seconds_until_change(now: datetime.datetime) -> float:
    """Seconds until the next midnight in Brussels: the policy tracker and the Observatory's
    home tell past milestones from upcoming ones by the date alone."""
    return seconds_until_midnight(now)
