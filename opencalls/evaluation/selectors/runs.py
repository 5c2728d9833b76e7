"""Automatic assignment runs."""

from ...models import Call
from ..enums import RunStatus
from ..models import AssignmentRun


def latest_run(call: Call) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(call=call).select_related("actor").first()


def active_run(call: Call) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(
        call=call, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
