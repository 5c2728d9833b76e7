"""Funded projects: creation from a selected proposal, updates and payment tranches."""

import calendar
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import can, require_perm
from ai4media_portal.core.workflow import set_state
from network.enums import OrganisationType as DirectoryType
from network.services import organisation_record_beneficiary

from ..enums import (
    TRANCHE_TRANSITIONS,
    DeliverableKind,
    DeliverableStatus,
    OrganisationType,
    ProposalStatus,
    TrancheStatus,
)
from ..models import Deliverable, FundedProject, Proposal, Tranche
from .proposals import _money

DEFAULT_TRANCHES = (
    (pgettext_lazy("tranche", "Pre-financing"), Decimal(40)),
    (pgettext_lazy("tranche", "Interim payment"), Decimal(30)),
    (pgettext_lazy("tranche", "Final payment"), Decimal(30)),
)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def funded_project_create(
    *,
    proposal: Proposal,
    actor,
    agreement_reference: str,
    start_date: date,
    end_date: date | None = None,
    funding_amount: Decimal | None = None,
    summary: str | None = None,
    tranches: list[tuple[str, Decimal]] | None = None,
) -> FundedProject:
    """Set up the funded project of a selected proposal from its submitted version: public
    fields, payment tranches (by percentage; pre-financing 40 %, interim 30 %, final 30 % unless
    told otherwise) and deliverables (the work plan's milestones, an interim and a final
    report) tied to the tranches they unlock. A tranche without deliverables is requested at
    once. The beneficiary is the applicant, who is told. Managers only."""
    require_perm(actor, "opencalls.manage_project")
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.SELECTED:
        raise PortalError(_("Only a proposal selected for funding becomes a funded project."))
    if FundedProject.objects.filter(proposal=proposal).exists():
        raise PortalError(_("This proposal already has its funded project."))
    version = proposal.current_version
    call = proposal.call
    funding = funding_amount if funding_amount is not None else version.requested_funding
    if funding <= 0 or funding > call.max_funding:
        raise PortalError(
            _("The funding must be above zero and at most %(cap)s.")
            % {"cap": _money(call.max_funding)},
            field="funding_amount",
        )
    duration = version.data.get("duration_months") or version.track.duration_months
    project = FundedProject(
        proposal=proposal,
        call=call,
        track=version.track,
        challenge=version.challenge,
        acronym=version.acronym,
        title=version.title,
        summary=summary if summary is not None else version.data.get("abstract", ""),
        organisation_name=version.organisation_name,
        organisation_country=version.organisation_country,
        agreement_reference=agreement_reference.strip(),
        start_date=start_date,
        end_date=end_date or add_months(start_date, duration),
        funding_amount=funding,
        beneficiary=proposal.applicant,
    )
    project.full_clean()
    project.save()
    project.organisation = organisation_record_beneficiary(
        name=project.organisation_name,
        country=str(project.organisation_country),
        organisation_type=DIRECTORY_TYPES.get(
            version.data.get("organisation", {}).get("type"), DirectoryType.OTHER
        ),
        since=start_date,
        actor=actor,
    )
    project.save(update_fields=["organisation"])

    plan = tranches or [(str(name), pct) for name, pct in DEFAULT_TRANCHES]
    if sum(pct for _name, pct in plan) != 100:
        raise PortalError(_("The tranches' percentages must add up to 100."), field="tranches")
    rows, allotted = [], Decimal(0)
    for order, (name, pct) in enumerate(plan):
        amount = (funding * pct / 100).quantize(Decimal("0.01"))
        if order == len(plan) - 1:
            amount = funding - allotted  # rounding never loses a cent
        allotted += amount
        rows.append(Tranche(project=project, order=order, name=name, percentage=pct, amount=amount))
    Tranche.objects.bulk_create(rows)
    first, *rest = rows
    interim = rest[0] if len(rest) > 1 else (rest[-1] if rest else first)
    final = rest[-1] if rest else first
    midpoint = add_months(project.start_date, duration // 2)
    deliverables = [
        Deliverable(
            project=project,
            tranche=interim if m["month"] * 2 <= duration else final,
            kind=DeliverableKind.MILESTONE,
            title=m["title"],
            description=m.get("description", ""),
            due_date=add_months(project.start_date, m["month"]),
        )
        for m in version.milestones()
    ]
    deliverables += [
        Deliverable(
            project=project,
            tranche=interim,
            kind=DeliverableKind.REPORT,
            title=_("Interim report"),
            due_date=midpoint,
        ),
        Deliverable(
            project=project,
            tranche=final,
            kind=DeliverableKind.REPORT,
            title=_("Final report"),
            due_date=project.end_date,
        ),
    ]
    Deliverable.objects.bulk_create(deliverables)
    for tranche in rows:
        _tranche_refresh(tranche)
    log_action(
        "opencalls.project.create",
        actor=actor,
        target=project,
        data={"proposal": proposal.reference, "funding": str(funding)},
    )
    email_queue(
        to=project.beneficiary.email,
        template="opencalls/project_created",
        context={"project": project, "url": absolute_url("opencalls:project", project.pk)},
    )
    return project


# How an applicant's kind of organisation is filed in the network's directory.
DIRECTORY_TYPES = {
    OrganisationType.UNIVERSITY: DirectoryType.UNIVERSITY,
    OrganisationType.RESEARCH: DirectoryType.RESEARCH_CENTRE,
    OrganisationType.SME: DirectoryType.SME,
    OrganisationType.COMPANY: DirectoryType.LARGE_COMPANY,
    OrganisationType.PUBLIC: DirectoryType.PUBLIC_SECTOR,
    OrganisationType.NGO: DirectoryType.NGO,
    OrganisationType.OTHER: DirectoryType.OTHER,
}


@transaction.atomic
def funded_project_update(*, project: FundedProject, actor, data: dict) -> FundedProject:
    """Managers change the status, end date and public texts; the project's team may update
    its public outcomes and website."""
    require_perm(actor, "opencalls.follow_project", project)
    allowed = (
        FundedProject.MANAGER_FIELDS
        if can(actor, "opencalls.manage_project", project)
        else FundedProject.TEAM_FIELDS
    )
    project = FundedProject.objects.select_for_update().get(pk=project.pk)
    changed = apply_changes(project, data, allowed)
    project.full_clean()
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
        log_action("opencalls.project.update", actor=actor, target=project, data={"f": changed})
    return project


def _tranche_refresh(tranche: Tranche) -> None:
    """A tranche is requested once every deliverable it depends on is approved, and goes back
    to pending if one of them is not (until it is released)."""
    statuses = list(tranche.deliverables.values_list("status", flat=True))
    ready = all(status == DeliverableStatus.APPROVED for status in statuses)
    target = TrancheStatus.REQUESTED if ready else TrancheStatus.PENDING
    if tranche.status == TrancheStatus.RELEASED or tranche.status == target:
        return
    tranche.requested_at = timezone.now() if ready else None
    set_state(tranche, target, TRANCHE_TRANSITIONS, also=["requested_at"])


@transaction.atomic
def tranche_release(*, tranche: Tranche, actor) -> Tranche:
    """Release a requested payment: every deliverable it depends on is approved. Managers
    only; the team is told."""
    require_perm(actor, "opencalls.manage_project")
    tranche = Tranche.objects.select_for_update().select_related("project").get(pk=tranche.pk)
    if tranche.status != TrancheStatus.REQUESTED:
        raise PortalError(
            _("“%(name)s” cannot be released: its deliverables are not all approved yet.")
            % {"name": tranche.name}
            if tranche.status == TrancheStatus.PENDING
            else _("“%(name)s” has already been released.") % {"name": tranche.name}
        )
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    set_state(
        tranche, TrancheStatus.RELEASED, TRANCHE_TRANSITIONS, also=["released_at", "released_by"]
    )
    log_action(
        "opencalls.tranche.release",
        actor=actor,
        target=tranche,
        data={"amount": str(tranche.amount)},
    )
    project = tranche.project
    email_queue(
        to=project.team_emails,
        template="opencalls/tranche_released",
        context={"project": project, "tranche": tranche},
    )
    return tranche
