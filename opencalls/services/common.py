"""What the open calls' services share."""

from django.utils import timezone
from django.utils.formats import date_format


def _local(moment, tz) -> str:
    """A moment as "1 December 2021, 17:00 CET" in ``tz``, for messages."""
    local = timezone.localtime(moment, tz)
    return f"{date_format(local, 'j F Y, H:i')} {local.tzname()}"
