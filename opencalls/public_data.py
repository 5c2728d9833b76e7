"""What this pillar's public pages and API lists show (see ``core/public_cache.py``): calls
with their structure, funded projects with their outputs and pitches. Proposals, reviews and
a project's follow-up are never shown publicly, so their changes keep the cache."""

from datetime import datetime

from .enums import CallStage
from .models import (
    Call,
    CallFaq,
    Challenge,
    DemoDayPitch,
    EligibilityItem,
    EvaluationCriterion,
    FundedProject,
    OutputLink,
    Track,
)

MODELS = [
    Call,
    Track,
    Challenge,
    Challenge.topics.through,
    EvaluationCriterion,
    EligibilityItem,
    CallFaq,
    FundedProject,
    DemoDayPitch,
    OutputLink,
]

SECONDS_PER_MINUTE = 60


def seconds_until_change(now: datetime) -> float | None:
    """Seconds until the public pages change with the clock alone: a published call opens or
    closes, or an open call's countdown ("3 hours, 12 minutes") shows another minute. None
    when no published call has a deadline ahead."""
    dates = Call.objects.filter(stage=CallStage.PUBLISHED, closes_at__gt=now).values_list(
        "opens_at", "closes_at"
    )
    waits = []
    for opens_at, closes_at in dates:
        if opens_at > now:
            waits.append((opens_at - now).total_seconds())
        left = (closes_at - now).total_seconds()
        waits.append(left)
        if opens_at <= now:
            waits.append(left % SECONDS_PER_MINUTE or SECONDS_PER_MINUTE)
    return min(waits) if waits else None
