"""Assignments made by hand: adding, removing, locking, extending and notifying evaluators."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role

from ...models import Call, Proposal
from .. import selectors
from ..enums import AssignmentSource, PoolStatus
from ..models import Assignment, PoolMember
from .common import _ensure_evaluating, _local, _lock_call, _start_evaluation
from .conflicts import conflicts_detect

# --- Assignments by hand ----------------------------------------------------------------------


@transaction.atomic
def assignment_add(*, proposal: Proposal, evaluator, actor, locked: bool = False) -> Assignment:
    """Assign an evaluator to a proposal by hand. Refused, with a message that says why, for
    an evaluator outside the pool, with a conflict of interest (conflicts are re-detected
    first), at their maximum load, or a proposal that already has its evaluators. Call
    managers who are not a party to the proposal (``opencalls.evaluate_proposal``)."""
    require_perm(actor, "opencalls.evaluate_proposal", proposal)
    call = _lock_call(proposal.call)
    _ensure_evaluating(call)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.call_id != call.pk or proposal.status not in selectors.ASSIGNABLE_STATES:
        raise PortalError(_("Only eligible proposals of this call take evaluators."))
    member = PoolMember.objects.filter(
        call=call, evaluator=evaluator, status=PoolStatus.ACCEPTED
    ).first()
    if member is None or not evaluator.has_role(Role.EVALUATOR):
        raise PortalError(
            _("%(name)s has not joined this call's pool (or not accepted its terms).")
            % {"name": evaluator.display_name},
            field="evaluator",
            code="not_in_pool",
        )
    conflicts_detect(call=call, evaluator_ids=[evaluator.pk], proposal_ids=[proposal.pk])
    conflict = selectors.active_conflict(proposal.pk, evaluator.pk)
    if conflict is not None:
        raise PortalError(
            _(
                "%(name)s has a conflict of interest with %(ref)s (%(reason)s): a conflicted "
                "evaluator cannot be assigned."
            )
            % {
                "name": evaluator.display_name,
                "ref": proposal.reference,
                "reason": conflict.reason,
            },
            field="evaluator",
            code="conflict",
        )
    if Assignment.objects.filter(proposal=proposal, evaluator=evaluator).exists():
        raise PortalError(
            _("%(name)s is already assigned to %(ref)s.")
            % {"name": evaluator.display_name, "ref": proposal.reference},
            field="evaluator",
            code="duplicate",
        )
    load = Assignment.objects.filter(call=call, evaluator=evaluator).count()
    if load >= member.max_proposals:
        raise PortalError(
            _("%(name)s already has %(load)s proposals, their maximum for this call.")
            % {"name": evaluator.display_name, "load": load},
            field="evaluator",
            code="overloaded",
        )
    k = call.evaluators_per_proposal
    # An assignment whose review is set aside counts as missing: it takes a replacement.
    if Assignment.objects.filter(proposal=proposal).counted().count() >= k:
        raise PortalError(
            _("%(ref)s already has its %(k)s evaluators: remove one first.")
            % {"ref": proposal.reference, "k": k},
            code="proposal_full",
        )
    assignment = Assignment.objects.create(
        call=call,
        proposal=proposal,
        evaluator=evaluator,
        locked=locked,
        source=AssignmentSource.MANUAL,
        created_by=actor,
    )
    _start_evaluation(proposal, actor)
    log_action(
        "opencalls.evaluation.assignment.add",
        actor=actor,
        target=proposal,
        data={"evaluator": evaluator.pk, "locked": locked},
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, actor) -> None:
    """Take an evaluator off a proposal (their draft review goes with it). A submitted review
    is kept: such an assignment cannot be removed. Call managers who are not a party to the
    proposal."""
    require_perm(actor, "opencalls.evaluate_proposal", assignment.proposal)
    _lock_call(assignment.call)
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal", "review", "evaluator")
        .get(pk=assignment.pk)
    )
    review = selectors.review_of(assignment)
    if review is not None and review.is_submitted:
        raise PortalError(
            _(
                "%(name)s has submitted a review of %(ref)s: the assignment stays for the "
                "record. Set the review aside to leave it out and assign a replacement."
            )
            % {"name": assignment.evaluator.display_name, "ref": assignment.proposal.reference}
        )
    log_action(
        "opencalls.evaluation.assignment.remove",
        actor=actor,
        target=assignment.proposal,
        data={"evaluator": assignment.evaluator_id, "had_draft": review is not None},
    )
    assignment.delete()


@transaction.atomic
def assignment_lock(*, assignment: Assignment, actor, locked: bool) -> Assignment:
    """Lock (keep through automatic runs) or unlock an assignment. Call managers who are not
    a party to the proposal."""
    require_perm(actor, "opencalls.evaluate_proposal", assignment.proposal)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.locked != locked:
        assignment.locked = locked
        assignment.save(update_fields=["locked", "updated_at"])
        log_action(
            "opencalls.evaluation.assignment.lock",
            actor=actor,
            target=assignment.proposal,
            data={"evaluator": assignment.evaluator_id, "locked": locked},
        )
    return assignment


@transaction.atomic
def assignment_extend(*, assignment: Assignment, actor, until) -> Assignment:
    """Give one evaluator until ``until`` to submit, whatever the call's review deadline; they
    are told. Call managers who are not a party to the proposal."""
    require_perm(actor, "opencalls.evaluate_proposal", assignment.proposal)
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("call", "proposal", "evaluator")
        .get(pk=assignment.pk)
    )
    if until is None or until <= timezone.now():
        raise PortalError(_("Give a moment in the future."), field="until")
    assignment.deadline_extended_to = until
    assignment.save(update_fields=["deadline_extended_to", "updated_at"])
    log_action(
        "opencalls.evaluation.assignment.extend",
        actor=actor,
        target=assignment.proposal,
        data={"evaluator": assignment.evaluator_id, "until": until.isoformat()},
    )
    email_queue(
        to=assignment.evaluator.email,
        template="opencalls/evaluation/deadline_extended",
        context={
            "assignment": assignment,
            "proposal": assignment.proposal,
            "until": _local(until, assignment.call),
            "url": absolute_url("opencalls:evaluation:proposal", assignment.proposal_id),
        },
    )
    return assignment


@transaction.atomic
def assignments_notify(*, call: Call, actor) -> int:
    """Email every evaluator the assignments they have not been told about yet (one message
    each, listing them); each assignment is notified once. Returns how many were told."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    pending = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(call=call, notified_at__isnull=True)
        .select_related("evaluator", "proposal__call", "proposal__current_version")
        .order_by("evaluator_id", "proposal__number")
    )
    by_evaluator: dict[int, list[Assignment]] = {}
    for a in pending:
        by_evaluator.setdefault(a.evaluator_id, []).append(a)
    deadline = selectors.settings_for(call).review_deadline
    now = timezone.now()
    for assignments in by_evaluator.values():
        evaluator = assignments[0].evaluator
        email_queue(
            to=evaluator.email,
            template="opencalls/evaluation/assignments_new",
            context={
                "call": call,
                "evaluator": evaluator,
                "assignments": assignments,
                "deadline": _local(deadline, call) if deadline else "",
                "url": absolute_url("opencalls:evaluation:home"),
            },
        )
    Assignment.objects.filter(pk__in=[a.pk for a in pending]).update(notified_at=now)
    if pending:
        log_action(
            "opencalls.evaluation.assignment.notify",
            actor=actor,
            target=call,
            data={"assignments": len(pending), "evaluators": len(by_evaluator)},
        )
    return len(by_evaluator)
