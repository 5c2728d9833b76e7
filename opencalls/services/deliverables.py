"""Deliverables of funded projects: planning, submission and review."""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.validators import MiB, validate_pdf
from ai4media_portal.core.workflow import ensure_transition, set_state

from ..enums import DELIVERABLE_TRANSITIONS, DeliverableKind, DeliverableStatus, TrancheStatus
from ..models import Deliverable, DeliverableSubmission, FundedProject, Tranche
from .projects import _tranche_refresh

DELIVERABLE_MAX_BYTES = 20 * MiB


@transaction.atomic
def deliverable_add(
    *,
    project: FundedProject,
    actor,
    kind: DeliverableKind,
    title: str,
    due_date: date,
    description: str = "",
    tranche: Tranche | None = None,
) -> Deliverable:
    """Add a deliverable, milestone or report; tied to a tranche not yet released. Managers."""
    require_perm(actor, "opencalls.manage_project")
    if tranche is not None:
        tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
        if tranche.project_id != project.pk:
            raise PortalError(_("Choose one of this project's tranches."), field="tranche")
        if tranche.status == TrancheStatus.RELEASED:
            raise PortalError(_("This tranche has already been paid."), field="tranche")
    deliverable = Deliverable(
        project=project,
        tranche=tranche,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        due_date=due_date,
    )
    deliverable.full_clean()
    deliverable.save()
    if tranche is not None:
        _tranche_refresh(tranche)
    log_action("opencalls.deliverable.add", actor=actor, target=deliverable)
    return deliverable


@transaction.atomic
def deliverable_submit(*, deliverable: Deliverable, actor, upload, note: str = "") -> Deliverable:
    """The project's team uploads a deliverable (PDF, checked by content); call managers are
    told it awaits review. A corrected file may replace one not yet reviewed. The same file
    and note sent again while awaiting review (a double click) add nothing and tell nobody:
    the deliverable's row is locked, so two uploads at once are serialised."""
    require_perm(actor, "opencalls.upload_deliverable", deliverable)
    deliverable = (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=deliverable.pk)
    )
    ensure_transition(
        DeliverableStatus(deliverable.status), DeliverableStatus.SUBMITTED, DELIVERABLE_TRANSITIONS
    )
    try:
        validate_pdf(upload, max_bytes=DELIVERABLE_MAX_BYTES)
    except ValidationError as error:
        raise PortalError(error.messages[0], field="file", code=error.code) from error
    upload.seek(0)
    sha = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    last = deliverable.submissions.order_by("-submitted_at", "-pk").first()
    if (
        deliverable.status == DeliverableStatus.SUBMITTED
        and last is not None
        and (last.sha256, last.note) == (sha, note.strip())
    ):
        return deliverable
    submission = DeliverableSubmission(
        deliverable=deliverable,
        file=upload,
        file_name=upload.name[:255],
        file_size=upload.size,
        sha256=sha,
        note=note.strip(),
        submitted_by=actor,
    )
    submission.save()
    deliverable.submitted_at = submission.submitted_at
    set_state(
        deliverable, DeliverableStatus.SUBMITTED, DELIVERABLE_TRANSITIONS, also=["submitted_at"]
    )
    log_action("opencalls.deliverable.submit", actor=actor, target=deliverable, data={"sha": sha})
    managers = emails_of(Role.CALL_MANAGER)
    if managers:
        email_queue(
            to=managers,
            template="opencalls/deliverable_submitted",
            context={
                "deliverable": deliverable,
                "project": deliverable.project,
                "url": absolute_url("opencalls:project", deliverable.project_id),
            },
        )
    return deliverable


@transaction.atomic
def deliverable_review(
    *, deliverable: Deliverable, actor, approve: bool, message: str = ""
) -> Deliverable:
    """Approve a submitted deliverable, or ask for changes (with a message the team reads).
    An approval that completes a tranche's deliverables requests its payment. Managers."""
    require_perm(actor, "opencalls.review_deliverable", deliverable)
    deliverable = (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("project", "tranche")
        .get(pk=deliverable.pk)
    )
    if deliverable.status != DeliverableStatus.SUBMITTED:
        raise PortalError(_("Only a submitted deliverable can be reviewed."))
    target = DeliverableStatus.APPROVED if approve else DeliverableStatus.CHANGES_REQUESTED
    if not approve and not message.strip():
        raise PortalError(_("Say what needs to change."), field="message")
    deliverable.reviewed_at = timezone.now()
    deliverable.reviewed_by = actor
    deliverable.review_message = message.strip()
    set_state(
        deliverable,
        target,
        DELIVERABLE_TRANSITIONS,
        also=["reviewed_at", "reviewed_by", "review_message"],
    )
    if deliverable.tranche_id:
        _tranche_refresh(Tranche.objects.select_for_update().get(pk=deliverable.tranche_id))
    log_action(
        "opencalls.deliverable.review",
        actor=actor,
        target=deliverable,
        data={"outcome": target.value},
    )
    email_queue(
        to=deliverable.project.team_emails,
        template="opencalls/deliverable_reviewed",
        context={
            "deliverable": deliverable,
            "project": deliverable.project,
            "approved": approve,
            "url": absolute_url("opencalls:project", deliverable.project_id),
        },
    )
    return deliverable
