"""Consensus reports and who may write them."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from ...models import Proposal
from ..enums import ReviewStatus
from ..models import ConsensusReport, ConsensusScore, Review


def consensus_values(report: ConsensusReport | None) -> dict[int, ConsensusScore]:
    if report is None:
        return {}
    return {s.criterion_id: s for s in report.scores.all()}


def rapporteur_candidates(proposal: Proposal) -> QuerySet:
    """The proposal's evaluators without an active conflict on it nor a review set aside, each
    annotated with ``review_submitted``: only those may be chosen as rapporteur
    (``services.consensus_set_rapporteur`` refuses the others, saying why)."""
    submitted = Review.objects.filter(
        assignment__proposal=proposal,
        assignment__evaluator=OuterRef("pk"),
        status=ReviewStatus.SUBMITTED,
    )
    aside = Review.objects.filter(
        assignment__proposal=proposal,
        assignment__evaluator=OuterRef("pk"),
        set_aside_at__isnull=False,
    )
    return (
        get_user_model()
        .objects.filter(assignments__proposal=proposal)
        .exclude(conflicts__proposal=proposal, conflicts__active=True)
        .exclude(Exists(aside))
        .annotate(review_submitted=Exists(submitted))
    )
