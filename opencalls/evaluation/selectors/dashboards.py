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
            assigned=Count("assignments", distinct=True),
            submitted=Count(
                "assignments",
                filter=Q(assignments__review__status=ReviewStatus.SUBMITTED),
                distinct=True,
            ),
            pool_size=Count("pool", filter=Q(pool__status=PoolStatus.ACCEPTED), distinct=True),
        )
        .order_by("-number")
    )
    return calls
