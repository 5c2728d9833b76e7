"""Consensus reports."""

from ..models import ConsensusReport, ConsensusScore


def consensus_values(report: ConsensusReport | None) -> dict[int, ConsensusScore]:
    if report is None:
        return {}
    return {s.criterion_id: s for s in report.scores.all()}
