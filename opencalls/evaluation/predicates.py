"""The predicates of the evaluation: small yes/no questions about a user and an object.

A leaf module: ``rules.py`` combines these into permissions, and selectors, services and
views ask the same ones, so each rule is written once:

- which assignments an evaluator may work on (``visible_assignments``), from which every
  evaluator's page, document, API answer and export starts;
- the blind-review rule (``peer_reviews_open``, ``awaiting_own_review``): nobody reads the
  reviews of a proposal, or anything derived from them, while their own review of it is not
  submitted, whatever other role they hold, so they are not swayed;
- when an interview can be booked (``interview_open_for_booking``).

Imports models and enums only, so nothing imports back into it.
"""

import rules
from django.db.models import Exists, OuterRef, QuerySet

from ai4media_portal.core.roles import Role

from ..enums import CallStage
from ..predicates import is_proposal_owner
from .enums import (
    EVALUATED_STATES,
    INTERVIEW_TRANSITIONS,
    InterviewStatus,
    PoolStatus,
    ReviewStatus,
)
from .models import Assignment, Conflict, PoolMember


def conflicted(proposal="proposal", evaluator="evaluator") -> Exists:
    """An active conflict between the row's proposal and evaluator (fields named by the
    arguments), for ``.filter(~conflicted())``."""
    return Exists(
        Conflict.objects.filter(
            active=True, proposal=OuterRef(proposal), evaluator=OuterRef(evaluator)
        )
    )


def is_evaluator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.EVALUATOR))


def visible_assignments(user) -> QuerySet[Assignment]:
    """The assignments ``user`` may work on: their own, while the call is under evaluation,
    in a call whose pool they joined (terms accepted), on a proposal in evaluation, never one
    they have an active conflict with, nor one whose review a call manager set aside."""
    if not is_evaluator(user):
        return Assignment.objects.none()
    joined = PoolMember.objects.filter(
        call=OuterRef("call"), evaluator=user, status=PoolStatus.ACCEPTED
    )
    return (
        Assignment.objects.filter(
            evaluator=user,
            call__stage=CallStage.UNDER_EVALUATION,
            proposal__status__in=EVALUATED_STATES,
        )
        .filter(Exists(joined))
        .filter(~conflicted())
        .counted()
    )


def peer_reviews_open(assignment) -> bool:
    """The blind-review rule: the evaluator of ``assignment`` may read the other reviews of
    its proposal only once their own review is submitted (before, they must not be swayed).
    Reads ``assignment.review`` (select it with the assignment to spare a query)."""
    review = getattr(assignment, "review", None) if assignment is not None else None
    return review is not None and review.is_submitted


def awaiting_own_review(user) -> QuerySet[Assignment]:
    """The assignments of ``user`` whose review is not submitted yet (not started, or a
    draft), in any call. Their proposals' reviews, and everything derived from them (flags,
    z-scores, the suggested and the agreed consensus, the ranking), stay hidden from ``user``
    on every page, export and API answer, whatever other role they hold: a call manager or a
    staff member who also evaluates is blind too. The rule is the EU's: experts assess
    individually before the consensus."""
    if not (user and user.is_authenticated):
        return Assignment.objects.none()
    return Assignment.objects.filter(evaluator=user).exclude(review__status=ReviewStatus.SUBMITTED)


def interview_open_for_booking(interview) -> bool:
    """An interview's slot can be chosen (or changed) while the workflow allows it to become
    booked: invited or booked, not yet held."""
    return InterviewStatus.BOOKED in INTERVIEW_TRANSITIONS.get(
        InterviewStatus(interview.status), ()
    )


@rules.predicate
def is_assigned_evaluator(user, proposal) -> bool:
    if proposal is None:
        return False
    return visible_assignments(user).filter(proposal=proposal).exists()


@rules.predicate
def is_rapporteur(user, report) -> bool:
    if report is None or not (user and user.is_authenticated) or report.rapporteur_id != user.pk:
        return False
    return visible_assignments(user).filter(proposal_id=report.proposal_id).exists()


@rules.predicate
def is_own_assignment(user, assignment) -> bool:
    return bool(user and user.is_authenticated and assignment.evaluator_id == user.pk)


@rules.predicate
def is_own_review(user, review) -> bool:
    # The admin asks Django's "view_review" without an object: that is nobody's own review.
    return bool(
        review is not None
        and user
        and user.is_authenticated
        and review.assignment.evaluator_id == user.pk
    )


@rules.predicate
def has_submitted_own_review(user, assignment) -> bool:
    """``peer_reviews_open`` as a predicate on the user's own assignment."""
    return assignment is not None and peer_reviews_open(assignment)


@rules.predicate
def results_published(user, proposal) -> bool:
    return proposal is not None and proposal.call.stage == CallStage.RESULTS_PUBLISHED


@rules.predicate
def owns_interviewed_proposal(user, interview) -> bool:
    return interview is not None and is_proposal_owner(user, interview.proposal)
