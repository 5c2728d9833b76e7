"""Reads that span relations. Every list here costs a constant number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ai4media_portal.core.permissions import can

from .enums import (
    OUTSTANDING_DELIVERABLE_STATES,
    BudgetCategory,
    CallStage,
    CallStatus,
    DeliverableStatus,
    OrganisationType,
    ProposalStatus,
    TrancheStatus,
)
from .models import (
    Call,
    CallStageChange,
    Challenge,
    Deliverable,
    EligibilityCheck,
    FundedProject,
    Proposal,
    ProposalStatusChange,
    ProposalVersion,
    Track,
    Tranche,
)


def user_is_manager(user) -> bool:
    """Whether ``user`` manages calls (``opencalls.manage_calls``)."""
    return can(user, "opencalls.manage_calls")


# --- Calls ------------------------------------------------------------------------------------


def calls_visible(*, user) -> QuerySet[Call]:
    """Published calls for everyone; drafts too for call managers."""
    calls = Call.objects.with_status()
    return calls if user_is_manager(user) else calls.published()


def calls_with_structure(queryset: QuerySet[Call]) -> QuerySet[Call]:
    return queryset.prefetch_related(
        Prefetch("tracks", queryset=Track.objects.prefetch_related("challenges")),
        "criteria",
        "faqs",
    )


@dataclass
class CallGroups:
    open: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    past: list = field(default_factory=list)


def calls_grouped(*, now=None) -> CallGroups:
    """Published calls as the public sees them: open (closing soonest first), upcoming and
    past (most recent first)."""
    now = now or timezone.now()
    calls = (
        Call.objects.published()
        .with_status(now)
        .prefetch_related(Prefetch("tracks", queryset=Track.objects.order_by("order", "pk")))
        .annotate(funded_count=Count("funded_projects", distinct=True))
        .order_by("closes_at")
    )
    groups = CallGroups()
    for call in calls:
        if call.status == CallStatus.OPEN:
            groups.open.append(call)
        elif call.status == CallStatus.ANNOUNCED:
            groups.upcoming.append(call)
        else:
            groups.past.append(call)
    groups.past.reverse()
    return groups


def calls_for_managers() -> QuerySet[Call]:
    return (
        Call.objects.with_status()
        .annotate(
            proposal_count=Count(
                "proposals", filter=~Q(proposals__status=ProposalStatus.DRAFT), distinct=True
            ),
            draft_count=Count(
                "proposals", filter=Q(proposals__status=ProposalStatus.DRAFT), distinct=True
            ),
        )
        .order_by("-number")
    )


def open_calls(*, now=None) -> QuerySet[Call]:
    return Call.objects.open_at(now).order_by("closes_at")


# --- Proposals --------------------------------------------------------------------------------


def proposals_visible(*, user) -> QuerySet[Proposal]:
    """Call managers see every proposal; anyone else only their own. Use this for every
    lookup by id, so a guessed id of someone else's proposal is simply not found."""
    proposals = Proposal.objects.select_related("call", "current_version", "applicant")
    if user_is_manager(user):
        return proposals
    if not (user and user.is_authenticated):
        return proposals.none()
    return proposals.filter(applicant=user)


def proposals_of_applicant(*, user) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(applicant=user)
        .select_related("call", "current_version", "challenge__track")
        .order_by("-updated_at", "-pk")
    )


def applicant_proposals_in_call(*, call: Call, user) -> list[Proposal]:
    """``user``'s own proposals to ``call``, latest change first (none when signed out)."""
    if not (user and user.is_authenticated):
        return []
    return list(Proposal.objects.filter(call=call, applicant=user).order_by("-updated_at"))


def proposal_history(proposal: Proposal) -> list[ProposalStatusChange]:
    """The steps of ``proposal``'s status, oldest first, with who took them (one query)."""
    return list(ProposalStatusChange.objects.filter(proposal=proposal).select_related("actor"))


def call_history(call: Call) -> list[CallStageChange]:
    """The steps of ``call``'s stage, oldest first, with who took them (one query)."""
    return list(CallStageChange.objects.filter(call=call).select_related("actor"))


def proposal_with_details(proposal_qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposal_qs.select_related("challenge__track", "track").prefetch_related(
        "team", "budget_lines", "milestones", "versions"
    )


# Every sort ends with the primary key: rows that tie keep one order, so pages neither
# repeat nor skip a proposal.
PROPOSAL_SORTS = {
    "reference": ("number", "pk"),
    "-reference": ("-number", "-pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "funding": ("current_version__requested_funding", "pk"),
    "-funding": ("-current_version__requested_funding", "-pk"),
    "acronym": ("current_version__acronym", "pk"),
    "country": ("current_version__organisation_country", "number", "pk"),
}


def call_proposals(*, call: Call, filters: dict | None = None, sort: str = "") -> QuerySet:
    """The submitted proposals of ``call`` (their latest version counts) for call managers,
    filtered by status, track, challenge, country and eligibility outcome."""
    filters = filters or {}
    proposals = (
        Proposal.objects.filter(call=call, current_version__isnull=False)
        .select_related(
            "call",
            "applicant",
            "current_version__track",
            "current_version__challenge",
            "screening",
        )
        .defer("current_version__data")
    )
    if filters.get("status"):
        proposals = proposals.filter(status=filters["status"])
    if filters.get("track"):
        proposals = proposals.filter(current_version__track=filters["track"])
    if filters.get("challenge"):
        proposals = proposals.filter(current_version__challenge=filters["challenge"])
    if filters.get("country"):
        proposals = proposals.filter(current_version__organisation_country=filters["country"])
    if filters.get("eligibility"):
        proposals = proposals.filter(screening__outcome=filters["eligibility"])
    return proposals.order_by(*PROPOSAL_SORTS.get(sort, PROPOSAL_SORTS["reference"]))


def proposal_export_rows(*, call: Call, filters: dict | None = None, sort: str = ""):
    """Headers and rows of a call's submitted proposals (latest versions) for CSV/Excel."""
    proposals = call_proposals(call=call, filters=filters, sort=sort).defer(None)
    headers = [
        "reference",
        "version",
        "status",
        "submitted_at",
        "applicant_email",
        "organisation",
        "organisation_type",
        "country",
        "registration_number",
        "sme",
        "track",
        "challenge",
        "acronym",
        "title",
        "requested_funding",
        "duration_months",
        *(f"budget_{category}" for category in BudgetCategory.values),
        "team_size",
        "milestones",
        "eligibility",
        "document_sha256",
    ]

    def rows():
        for proposal in proposals.iterator(chunk_size=500):
            version = proposal.current_version
            data = version.data
            organisation = data.get("organisation", {})
            budget = {line["category"]: line["amount"] for line in data.get("budget", [])}
            screening = getattr(proposal, "screening", None)
            yield [
                proposal.reference,
                version.number,
                proposal.get_status_display(),
                version.submitted_at,
                proposal.applicant.email,
                organisation.get("name", ""),
                organisation.get("type", ""),
                organisation.get("country", ""),
                organisation.get("registration_number", ""),
                "yes" if organisation.get("is_sme") else "no",
                version.track.name,
                str(version.challenge),
                version.acronym,
                version.title,
                version.requested_funding,
                data.get("duration_months"),
                *(_decimal(budget.get(category)) for category in BudgetCategory.values),
                len(data.get("team", [])),
                len(data.get("milestones", [])),
                screening.get_outcome_display() if screening else "",
                version.document_sha256,
            ]

    return headers, rows()


def _decimal(value):
    return Decimal(value) if value not in (None, "") else None


def version_for_display(version: ProposalVersion) -> dict:
    """The version's data with labels resolved, for the proposal page."""
    data = dict(version.data)
    organisation = dict(data.get("organisation", {}))
    organisation["type_label"] = dict(OrganisationType.choices).get(organisation.get("type"), "")
    data["organisation"] = organisation
    labels = dict(BudgetCategory.choices)
    data["budget"] = [
        {**line, "label": labels.get(line["category"], line["category"])}
        for line in data.get("budget", [])
    ]
    return data


def screening_checks(proposal: Proposal) -> dict[int, EligibilityCheck]:
    screening = getattr(proposal, "screening", None)
    if screening is None:
        return {}
    return {check.item_id: check for check in screening.checks.select_related("item")}


# --- Funded projects --------------------------------------------------------------------------


def calls_with_funded_projects() -> list[Call]:
    """Published calls that funded at least one project, for the catalogue's filter."""
    return list(Call.objects.published().filter(funded_projects__isnull=False).distinct())


def funded_projects_public(*, filters: dict | None = None) -> QuerySet[FundedProject]:
    """The catalogue: every funded project, filtered by call, track kind or name, country."""
    filters = filters or {}
    projects = FundedProject.objects.select_related("call", "track", "challenge").annotate(
        output_count=Count("outputs", distinct=True)
    )
    if filters.get("call"):
        projects = projects.filter(call__number=filters["call"])
    if filters.get("track"):
        projects = projects.filter(track__kind=filters["track"])
    if filters.get("country"):
        projects = projects.filter(organisation_country=filters["country"])
    return projects.order_by("-start_date", "acronym", "pk")


def project_with_public_details(queryset: QuerySet[FundedProject]) -> QuerySet[FundedProject]:
    return queryset.select_related("call", "track", "challenge", "beneficiary").prefetch_related(
        "outputs", "pitches", "members"
    )


def project_follow_up(project: FundedProject) -> dict:
    """Tranches with their deliverables, deliverables with their files, support sessions."""
    deliverables = list(
        project.deliverables.select_related("tranche", "reviewed_by").prefetch_related(
            "submissions"
        )
    )
    tranches = list(project.tranches.all())
    by_tranche = {}
    for deliverable in deliverables:
        by_tranche.setdefault(deliverable.tranche_id, []).append(deliverable)
    for tranche in tranches:
        tranche.linked = by_tranche.get(tranche.pk, [])
    return {
        "tranches": tranches,
        "deliverables": deliverables,
        "sessions": list(project.support_sessions.all()),
        "released": sum((t.amount for t in tranches if t.status == TrancheStatus.RELEASED), 0),
    }


def projects_for_managers() -> QuerySet[FundedProject]:
    today = timezone.localdate()
    outstanding = Q(deliverables__status__in=OUTSTANDING_DELIVERABLE_STATES)
    return (
        FundedProject.objects.select_related("call", "track", "beneficiary")
        .annotate(
            overdue_count=Count(
                "deliverables",
                filter=outstanding & Q(deliverables__due_date__lt=today),
                distinct=True,
            ),
            review_count=Count(
                "deliverables",
                filter=Q(deliverables__status=DeliverableStatus.SUBMITTED),
                distinct=True,
            ),
            requested_count=Count(
                "tranches", filter=Q(tranches__status=TrancheStatus.REQUESTED), distinct=True
            ),
        )
        .order_by("-start_date", "acronym", "pk")
    )


def projects_of_team(*, user) -> QuerySet[FundedProject]:
    return (
        FundedProject.objects.filter(Q(beneficiary=user) | Q(members=user))
        .distinct()
        .select_related("call")
    )


def outstanding_deliverables() -> QuerySet[Deliverable]:
    """What teams still owe, with what a reminder needs, in due-date order."""
    return (
        Deliverable.objects.filter(
            status__in=OUTSTANDING_DELIVERABLE_STATES, project__status="running"
        )
        .select_related("project__beneficiary", "project__call")
        .prefetch_related("project__members")
        .order_by("due_date", "pk")
    )


def due_items_for_team(*, user, limit: int = 8) -> list[Deliverable]:
    return list(
        outstanding_deliverables().filter(Q(project__beneficiary=user) | Q(project__members=user))[
            :limit
        ]
    )


def manager_counts(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    closed = Q(call__closes_at__lte=now) & ~Q(call__stage=CallStage.DRAFT)
    to_screen = Proposal.objects.filter(
        closed,
        status__in=[ProposalStatus.SUBMITTED, ProposalStatus.SCREENING],
    ).count()
    to_decide = Proposal.objects.filter(status=ProposalStatus.ELIGIBLE).count()
    overdue = Deliverable.objects.filter(
        status__in=OUTSTANDING_DELIVERABLE_STATES, due_date__lt=timezone.localdate()
    ).count()
    to_review = Deliverable.objects.filter(status=DeliverableStatus.SUBMITTED).count()
    to_pay = Tranche.objects.filter(status=TrancheStatus.REQUESTED).count()
    return {
        "to_screen": to_screen,
        "to_decide": to_decide,
        "overdue": overdue,
        "to_review": to_review,
        "to_pay": to_pay,
    }


def challenges_of_call(call: Call) -> QuerySet[Challenge]:
    return Challenge.objects.filter(track__call=call).select_related("track")
