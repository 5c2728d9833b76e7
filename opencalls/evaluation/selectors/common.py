"""The proposal states the evaluation works on."""

from ...enums import ProposalStatus

PS = ProposalStatus
# Proposals that take evaluators: eligible ones and those already under evaluation.
ASSIGNABLE_STATES = frozenset({PS.ELIGIBLE, PS.UNDER_EVALUATION})
# Proposals evaluators work on (or have decided) while the call is under evaluation.
EVALUATED_STATES = frozenset(
    {PS.UNDER_EVALUATION, PS.INTERVIEW, PS.SELECTED, PS.RESERVE, PS.REJECTED}
)
