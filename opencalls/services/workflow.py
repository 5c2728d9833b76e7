"""The one writer of a proposal's status, and the history of proposals and calls.

Every service that moves a proposal (submit, withdraw, screen, clarify, decide, and the
evaluation's start and interview invitations) checks its own permission, locks the row, then
calls ``proposal_set_status``. A call's stage has its own writer, ``calls.call_set_stage``,
which records its steps here too. Nothing else writes a status: no queryset ``update()``, no
admin form, no view.
"""

from collections.abc import Iterable

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.workflow import ensure_transition

from ..enums import CALL_STAGE_TRANSITIONS, TRANSITIONS, CallStage, ProposalStatus
from ..models import Call, CallStageChange, Proposal, ProposalStatusChange


def proposal_record_start(proposal: Proposal, actor) -> ProposalStatusChange:
    """The first step of a new proposal's history: from nothing to its first status."""
    return ProposalStatusChange.objects.create(
        proposal=proposal, from_status="", to_status=proposal.status, actor=actor
    )


def proposal_set_status(
    *,
    proposal: Proposal,
    to: ProposalStatus,
    actor,
    message: str = "",
    action: str = "opencalls.proposal.status",
    extra_fields: Iterable[str] = ("updated_at",),
    data: dict | None = None,
) -> ProposalStatusChange:
    """Move ``proposal`` to status ``to``: the only code that writes ``Proposal.status``.

    The calling service has checked the actor's permission and locked ``proposal``
    (``select_for_update``). The move must be in ``enums.TRANSITIONS`` (``PortalError`` with
    code ``invalid_transition`` otherwise, nothing saved). Saves ``status`` and the caller's
    other changed fields (``extra_fields``, by default ``updated_at``) with ``update_fields``,
    records the step (``ProposalStatusChange``: from, to, actor, ``message``, time) and logs
    ``action`` in the audit log with ``from``, ``to`` and ``data``. Emails are the caller's.
    Returns the step recorded.
    """
    current = ProposalStatus(proposal.status)
    to = ProposalStatus(to)
    ensure_transition(current, to, TRANSITIONS)
    proposal.status = to
    proposal.save(update_fields=["status", *dict.fromkeys(extra_fields)])
    change = ProposalStatusChange.objects.create(
        proposal=proposal, from_status=current, to_status=to, actor=actor, message=message
    )
    log_action(
        action,
        actor=actor,
        target=proposal,
        data={"from": current.value, "to": to.value, **(data or {})},
    )
    return change


def call_record_start(call: Call, actor) -> CallStageChange:
    """The first step of a new call's history: from nothing to its first stage."""
    return CallStageChange.objects.create(
        call=call, from_stage="", to_stage=call.stage, actor=actor
    )


def call_write_stage(*, call: Call, to: CallStage, actor, message: str = "") -> CallStageChange:
    """Move a locked ``call`` to stage ``to`` (checked against ``CALL_STAGE_TRANSITIONS``),
    save with ``update_fields``, record the step and log ``opencalls.call.stage``. Only
    ``calls.call_set_stage`` calls this, after its permission and date checks."""
    current = CallStage(call.stage)
    to = CallStage(to)
    ensure_transition(current, to, CALL_STAGE_TRANSITIONS)
    call.stage = to
    call.save(update_fields=["stage", "published_at", "updated_at"])
    change = CallStageChange.objects.create(
        call=call, from_stage=current, to_stage=to, actor=actor, message=message
    )
    log_action(
        "opencalls.call.stage",
        actor=actor,
        target=call,
        data={"from": current.value, "to": to.value},
    )
    return change
