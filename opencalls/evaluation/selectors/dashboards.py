"""The call managers' evaluation panel."""

from django.db.models import Count, Q

from ...enums import CallStage
from ...models import Call
from ..enums import PoolStatus, ReviewStatus


def manager_evaluation_calls() -> list[Call]:
    """Calls under evaluation with their counts, for the call managers' panel."""
    calls = list(
        Call.objects.filter(stage=CallStage.UNDER_EVALUATION)
        .annotate(
            # A review set aside counts nowhere: its assignment is not one of the call's.
            assigned=Count(
                "assignments",
                filter=Q(assignments__review__isnull=True)
                | Q(assignments__review__set_aside_at__isnull=True),
                distinct=True,
            ),
            submitted=Count(
                "assignments",
                filter=Q(
                    assignments__review__status=ReviewStatus.SUBMITTED,
                    assignments__review__set_aside_at__isnull=True,
                ),
                distinct=True,
            ),
            pool_size=Count("pool", filter=Q(pool__status=PoolStatus.ACCEPTED), distinct=True),
        )
        .order_by("-number")
    )
    return calls
