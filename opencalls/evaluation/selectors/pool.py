"""The evaluator pool: an evaluator's invitations and pools, a call's pool for its managers."""

from django.db.models import Count, Q, QuerySet

from ai4media_portal.core.roles import Role

from ...enums import CallStage
from ...models import Call
from ..enums import InvitationStatus, PoolStatus
from ..models import Assignment, Invitation, PoolMember


def evaluator_invitations(*, user) -> QuerySet[PoolMember]:
    """Calls whose pool ``user`` is invited to and has not answered yet."""
    if not (user and user.is_authenticated):
        return PoolMember.objects.none()
    return (
        PoolMember.objects.filter(evaluator=user, status=PoolStatus.INVITED)
        .exclude(call__stage=CallStage.RESULTS_PUBLISHED)
        .select_related("call", "invited_by")
        .order_by("-created_at")
    )


def evaluator_pools(*, user) -> QuerySet[PoolMember]:
    if not (user and user.is_authenticated):
        return PoolMember.objects.none()
    return (
        PoolMember.objects.filter(evaluator=user, status=PoolStatus.ACCEPTED)
        .select_related("call__evaluation_settings")
        .annotate(assigned=Count("call__assignments", filter=Q(call__assignments__evaluator=user)))
        .order_by("-call__number")
    )


def membership(*, call: Call, user) -> PoolMember | None:
    if not (user and user.is_authenticated):
        return None
    return PoolMember.objects.filter(call=call, evaluator=user).first()


def pool_membership(*, user, number: int) -> PoolMember | None:
    """``user``'s place in the pool of call ``number`` (invited or answered), while the call's
    results are not published; ``None`` otherwise."""
    return (
        PoolMember.objects.select_related("call", "invited_by")
        .filter(call__number=number, evaluator=user)
        .exclude(call__stage=CallStage.RESULTS_PUBLISHED)
        .first()
    )


def call_pool(call: Call) -> list[PoolMember]:
    """The call's pool with each evaluator's load in this call."""
    loads = dict(
        Assignment.objects.filter(call=call)
        .values_list("evaluator_id")
        .annotate(n=Count("pk"))
        .values_list("evaluator_id", "n")
    )
    members = list(
        PoolMember.objects.filter(call=call)
        .select_related("evaluator__evaluator_profile", "invited_by")
        .prefetch_related("evaluator__evaluator_profile__expertise")
        .order_by("status", "evaluator__full_name", "pk")
    )
    for member in members:
        member.load = loads.get(member.evaluator_id, 0)
        member.profile = getattr(member.evaluator, "evaluator_profile", None)
    return members


def accepted_pool(call: Call) -> QuerySet[PoolMember]:
    return (
        PoolMember.objects.filter(
            call=call,
            status=PoolStatus.ACCEPTED,
            evaluator__is_active=True,
            evaluator__groups__name=Role.EVALUATOR,
        )
        .select_related("evaluator__evaluator_profile")
        .prefetch_related("evaluator__evaluator_profile__expertise")
        .order_by("evaluator__full_name", "evaluator_id")
    )


def pending_invitations(call: Call) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(call=call)
        .exclude(status=InvitationStatus.REVOKED)
        .select_related("invited_by", "claimed_by")
        .order_by("-created_at")
    )
