"""Assignments: what an evaluator may see, all derived from ``evaluator_assignments`` (their own
assignments, in a call under evaluation whose pool they joined, never on a proposal they are
conflicted on), and the proposals a call manager may assign, with the affinity matrix."""

import string
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ...engine.affinity import EvaluatorProfile as EngineProfile
from ...engine.affinity import ProposalText, compute_affinity
from ...models import Call, Proposal
from ...selectors import version_for_display
from ..enums import ASSIGNABLE_STATES, EVALUATED_STATES, PS
from ..models import Assignment, PoolMember
from ..predicates import is_evaluator, visible_assignments
from .conflicts import active_conflict_pairs
from .pool import accepted_pool
from .scoring import settings_for

AFFINITY_TOPIC_WEIGHT = 0.3


def evaluator_assignments(*, user) -> QuerySet[Assignment]:
    """The assignments ``user`` may work on (``predicates.visible_assignments``: their own,
    while the call is under evaluation, in a call whose pool they joined, on a proposal in
    evaluation, never one they have an active conflict with), with what their pages show.
    Everything an evaluator reads starts here, so a guessed id of anything else is simply not
    found."""
    return visible_assignments(user).select_related(
        "call__evaluation_settings",
        "proposal__call",
        "proposal__current_version__track",
        "proposal__current_version__challenge",
        "review",
    )


def has_assignments(*, user) -> bool:
    """Whether ``user`` has ever been assigned a proposal, pending or reviewed, in any call:
    then the evaluation area is in their navigation, even with nothing left to do."""
    return bool(
        user
        and user.is_authenticated
        and is_evaluator(user)
        and Assignment.objects.filter(evaluator=user).exists()
    )


def evaluator_assignment(*, user, proposal_id: int) -> Assignment | None:
    return evaluator_assignments(user=user).filter(proposal_id=proposal_id).first()


@dataclass
class QueueItem:
    assignment: Assignment
    deadline: object
    overdue: bool
    status: str
    status_label: str


def evaluator_queue(*, user, now=None) -> list[QueueItem]:
    """The evaluator's proposals with their deadlines, the most urgent unsubmitted first."""
    now = now or timezone.now()
    items = []
    for assignment in evaluator_assignments(user=user).order_by("call__number", "proposal__number"):
        deadline = assignment.deadline(settings_for(assignment.call).review_deadline)
        review = getattr(assignment, "review", None)
        submitted = review is not None and review.is_submitted
        if submitted:
            status, label = "submitted", _("Submitted")
        elif review is not None:
            status, label = "draft", _("Draft")
        else:
            status, label = "not-started", _("Not started")
        overdue = not submitted and deadline is not None and now >= deadline
        items.append(QueueItem(assignment, deadline, overdue, status, label))
    far = timezone.now() + timezone.timedelta(days=36500)
    items.sort(key=lambda i: (i.status == "submitted", i.deadline or far, i.assignment.pk))
    return items


def redacted_version_data(version, *, hide_identity: bool) -> dict:
    """The submitted version as evaluators read it: never the registration number or anyone's
    email; without the organisation's name and the team's names when the call is blind."""
    data = version_for_display(version)
    organisation = dict(data.get("organisation", {}))
    organisation.pop("registration_number", None)
    if hide_identity:
        organisation["name"] = ""
    data["organisation"] = organisation
    data["team"] = [
        {"full_name": "" if hide_identity else m.get("full_name", ""), "role": m.get("role", "")}
        for m in data.get("team", [])
    ]
    data.pop("declarations", None)
    return data


def evaluator_letters(assignments) -> dict[int, str]:
    """ "Evaluator A, B, C…" per assignment of one proposal, in a stable order that says
    nothing about who they are."""
    ordered = sorted(assignments, key=lambda a: a.pk)
    letters = string.ascii_uppercase
    return {
        a.pk: letters[i] if i < len(letters) else f"{letters[i // 26 - 1]}{letters[i % 26]}"
        for i, a in enumerate(ordered)
    }


def assignable_proposals(call: Call) -> QuerySet[Proposal]:
    """The call's proposals that take evaluators, with what affinity and conflict detection
    read."""
    return (
        Proposal.objects.filter(
            call=call, status__in=ASSIGNABLE_STATES, current_version__isnull=False
        )
        .select_related("call", "applicant", "current_version__challenge", "current_version__track")
        .prefetch_related("current_version__challenge__topics")
        .order_by("number")
    )


def in_evaluation(call: Call) -> QuerySet[Proposal]:
    """The call's proposals that are, or were, in the evaluation: eligible or under evaluation,
    and decided ones that had evaluators (not those decided by hand without an evaluation)."""
    assigned = Assignment.objects.filter(proposal=OuterRef("pk"))
    return Proposal.objects.filter(call=call, current_version__isnull=False).filter(
        Q(status__in=ASSIGNABLE_STATES | {PS.INTERVIEW})
        | Q(status__in=EVALUATED_STATES) & Exists(assigned)
    )


def evaluated_proposals(call: Call) -> QuerySet[Proposal]:
    """Every proposal of the call that is (or was) in the evaluation, for lists."""
    return (
        in_evaluation(call)
        .select_related("call", "current_version__track", "current_version__challenge")
        .defer("current_version__data")
        .order_by("number")
    )


def proposal_text(proposal: Proposal) -> ProposalText:
    version = proposal.current_version
    challenge = version.challenge
    return ProposalText(
        id=proposal.pk,
        title=f"{version.acronym} {version.title}",
        abstract=version.data.get("abstract", ""),
        challenge=f"{challenge.title}. {challenge.description}",
        topics=[t.slug for t in challenge.topics.all()],
    )


def evaluator_text(member: PoolMember) -> EngineProfile:
    profile = getattr(member.evaluator, "evaluator_profile", None)
    if profile is None:
        return EngineProfile(id=member.evaluator_id)
    topics = list(profile.expertise.all())
    return EngineProfile(
        id=member.evaluator_id,
        areas=[t.name for t in topics],
        keywords=profile.keyword_list,
        cv=profile.cv,
        topics=[t.slug for t in topics],
    )


def affinity_for(proposals, members):
    """The engine's affinity of every proposal with every evaluator (TF-IDF of the proposal's
    title, abstract and challenge against the evaluator's expertise, keywords and CV, with the
    challenge's topics blended in)."""
    return compute_affinity(
        [proposal_text(p) for p in proposals],
        [evaluator_text(m) for m in members],
        topic_weight=AFFINITY_TOPIC_WEIGHT,
    )


@dataclass
class MatrixCell:
    evaluator_id: int
    affinity: float
    assignment: Assignment | None
    conflict: str | None


@dataclass
class MatrixRow:
    proposal: Proposal
    cells: list
    count: int


@dataclass
class AssignmentMatrix:
    members: list
    rows: list
    k: int
    loads: dict
    unassigned: int = 0
    short: int = 0
    unnotified: int = 0


def assignment_matrix(call: Call, proposals_page) -> AssignmentMatrix:
    """Proposals (one page) × the accepted pool: affinity, current assignment (with lock and
    review state), conflict marks, and loads per evaluator and per proposal."""
    members = list(accepted_pool(call))
    all_proposals = list(assignable_proposals(call))
    assignments = list(Assignment.objects.filter(call=call).select_related("review", "evaluator"))
    by_pair = {(a.proposal_id, a.evaluator_id): a for a in assignments}
    per_proposal = defaultdict(int)
    loads = defaultdict(int)
    for a in assignments:
        review = getattr(a, "review", None)
        # A review set aside leaves its proposal short of an evaluator; the work still counts
        # in the evaluator's load.
        per_proposal[a.proposal_id] += not (review is not None and review.is_set_aside)
        loads[a.evaluator_id] += 1
    conflicts = active_conflict_pairs(call)
    affinity = affinity_for(all_proposals, members) if all_proposals and members else None
    row_index = {pid: i for i, pid in enumerate(affinity.proposal_ids)} if affinity else {}
    for member in members:
        member.load = loads.get(member.evaluator_id, 0)
    rows = []
    for proposal in proposals_page:
        cells = []
        for j, member in enumerate(members):
            i = row_index.get(proposal.pk)
            score = float(affinity.scores[i, j]) if affinity is not None and i is not None else 0.0
            cells.append(
                MatrixCell(
                    evaluator_id=member.evaluator_id,
                    affinity=score,
                    assignment=by_pair.get((proposal.pk, member.evaluator_id)),
                    conflict=conflicts.get((proposal.pk, member.evaluator_id)),
                )
            )
        rows.append(MatrixRow(proposal, cells, per_proposal.get(proposal.pk, 0)))
    k = call.evaluators_per_proposal
    return AssignmentMatrix(
        members=members,
        rows=rows,
        k=k,
        loads=dict(loads),
        unassigned=sum(1 for p in all_proposals if per_proposal.get(p.pk, 0) == 0),
        short=sum(1 for p in all_proposals if per_proposal.get(p.pk, 0) < k),
        unnotified=sum(1 for a in assignments if a.notified_at is None),
    )


def matrix_proposals(call: Call) -> QuerySet[Proposal]:
    """The proposals the matrix lists: assignable ones and any other already assigned."""
    return (
        Proposal.objects.filter(call=call, current_version__isnull=False)
        .filter(Q(status__in=ASSIGNABLE_STATES) | Q(assignments__isnull=False))
        .distinct()
        .select_related("call", "current_version__track", "current_version__challenge")
        .defer("current_version__data")
        .order_by("number", "pk")
    )
