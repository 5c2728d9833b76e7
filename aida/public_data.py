"""What this pillar shows on the pages that others share (see ``core/public_cache.py``): its
figures on the home page and its section on an organisation's page. Every model of the pillar
is listed, so that any change to what those pages show invalidates them at once."""

import datetime

from django.apps import apps
from django.db.models import Min

from ai4media_portal.core.public_cache import seconds_until_midnight

MODELS = list(apps.get_app_config("aida").get_models(include_auto_created=True))


def seconds_until_change(now: datetime.datetime) -> float:
    """Seconds until the public pages change with the clock alone: an enrolment window opens
    or closes at midnight in Brussels (they are days), and a lecture moves from upcoming to
    past when it ends (one query)."""
    Lecture = apps.get_model("aida", "Lecture")
    next_end = Lecture.objects.filter(ends_at__gt=now).aggregate(at=Min("ends_at"))["at"]
    waits = [seconds_until_midnight(now)]
    if next_end is not None:
        waits.append((next_end - now).total_seconds())
    return min(waits)
