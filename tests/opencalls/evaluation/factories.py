"""Helpers for evaluation tests: a call under evaluation with eligible proposals (submitted
and screened through the real services), evaluators who joined its pool, assignments and
reviews made through the services."""

from decimal import Decimal

from django.utils import timezone

from ai4media_portal.core.roles import Role
from opencalls import services as call_services
from opencalls.enums import CallStage
from opencalls.evaluation import services
from opencalls.evaluation.enums import PoolStatus
from opencalls.evaluation.models import EvaluationSettings, EvaluatorProfile, PoolMember
from opencalls.evaluation.terms import TERMS_VERSION
from tests.factories import UserFactory
from tests.opencalls.factories import CallFactory, close, eligible, manager, submitted

TEXTS = [
    ("DEEPFAKE", "Detecting deepfake videos", "Deepfake video detection with forensic cues."),
    ("NEWSBOT", "Assistant for newsrooms", "Language models that help journalists research."),
    ("ARCHIVE", "Enriching broadcast archives", "Speech recognition and tagging for archives."),
    ("FAIRREC", "Fair recommendation feeds", "Auditing recommender systems for fairness."),
    ("MODERATE", "Moderating comments", "Explainable moderation of hate speech in comments."),
    ("EDGEAI", "Media AI at the edge", "Efficient on-device models for video analysis."),
]


def call_under_evaluation(*, proposals=3, by=None, blind=False, deadline_days=14, **call_kwargs):
    """A call under evaluation with ``proposals`` eligible proposals from different
    organisations (Org 0, Org 1, …), and its call manager."""
    by = by or manager()
    call = CallFactory(**call_kwargs)
    made = []
    for i in range(proposals):
        acronym, title, abstract = TEXTS[i % len(TEXTS)]
        made.append(
            submitted(
                call=call,
                registration=f"0{100000000 + i}",
                organisation_name=f"Org {i}",
                acronym=f"{acronym}{i}"[:30],
                title=title,
                abstract=abstract,
            )
        )
    close(call)
    call_services.call_set_stage(call=call, actor=by, stage=CallStage.UNDER_EVALUATION)
    made = [eligible(p, by) for p in made]
    EvaluationSettings.objects.update_or_create(
        call=call,
        defaults={
            "hide_applicant_identity": blind,
            "review_deadline": timezone.now() + timezone.timedelta(days=deadline_days)
            if deadline_days is not None
            else None,
        },
    )
    call.refresh_from_db()
    return call, made, by


def pool_evaluator(call, *, max_proposals=10, status=PoolStatus.ACCEPTED, profile=None, **user):
    """An evaluator in ``call``'s pool (accepted, terms accepted) with a profile."""
    person = UserFactory(roles=[Role.EVALUATOR], **user)
    EvaluatorProfile.objects.update_or_create(
        user=person,
        defaults={"keywords": "deepfake detection, video forensics", **(profile or {})},
    )
    accepted = status == PoolStatus.ACCEPTED
    PoolMember.objects.create(
        call=call,
        evaluator=person,
        status=status,
        max_proposals=max_proposals,
        terms_version=TERMS_VERSION if accepted else "",
        terms_accepted_at=timezone.now() if accepted else None,
    )
    return person


def assign(proposal, evaluator, by, *, locked=False):
    return services.assignment_add(proposal=proposal, evaluator=evaluator, actor=by, locked=locked)


def review(assignment, scores=(4, 4, 4), comments=None, *, submit=True):
    """Write (and submit) a review of ``assignment`` with ``scores`` for the call's criteria."""
    criteria = list(assignment.call.criteria.order_by("order", "pk"))
    values = {c.pk: str(s) for c, s in zip(criteria, scores, strict=True)}
    notes = {c.pk: (comments or {}).get(c.name, f"Comment on {c.name}.") for c in criteria}
    outcome = services.review_save_draft(
        assignment=assignment, actor=assignment.evaluator, scores=values, comments=notes
    )
    assert outcome.errors == {}
    if submit:
        return services.review_submit(assignment=assignment, actor=assignment.evaluator)
    return outcome.obj


def final_consensus(proposal, by, scores=(4, 4, 4), summary="Agreed."):
    criteria = list(proposal.call.criteria.order_by("order", "pk"))
    services.consensus_save(
        proposal=proposal,
        actor=by,
        scores={c.pk: Decimal(str(s)) for c, s in zip(criteria, scores, strict=True)},
        comments={c.pk: f"Agreed comment on {c.name}." for c in criteria},
        summary=summary,
    )
    return services.consensus_finalise(proposal=proposal, actor=by)
