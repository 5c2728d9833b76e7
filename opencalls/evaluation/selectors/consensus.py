"""Consensus reports and who may write them."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from ...models import Proposal
from ..models import ConsensusReport, ConsensusScore


def consensus_values(report: ConsensusReport | None) -> dict[int, ConsensusScore]:
    if report is None:
        return {}
    return {s.criterion_id: s for s in report.scores.all()}


def rapporteur_candidates(proposal: Proposal) -> QuerySet:
    """Who may be the proposal's rapporteur: its evaluators without an active conflict on it."""
    return (
        get_user_model()
        .objects.filter(assignments__proposal=proposal)
        .exclude(conflicts__proposal=proposal, conflicts__active=True)
    )
