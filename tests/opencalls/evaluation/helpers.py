"""Helpers shared by the evaluation's service tests."""

from opencalls.evaluation.models import Conflict

from .factories import assign, final_consensus, pool_evaluator, review


def _active(proposal, evaluator):
    return Conflict.objects.filter(proposal=proposal, evaluator=evaluator, active=True)


def _criteria(call):
    return list(call.criteria.order_by("order", "pk"))


def _evaluated(call, by, proposals, consensus):
    """Give each proposal one submitted review and a final consensus with ``consensus``."""
    person = pool_evaluator(call, max_proposals=50)
    for proposal, scores in zip(proposals, consensus, strict=True):
        review(assign(proposal, person, by), scores)
        final_consensus(proposal, by, scores)
