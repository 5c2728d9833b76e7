"""The proposals of a call that a call manager is a party to."""

from ...models import Call, Proposal


def own_cases(*, user, call: Call) -> frozenset[int]:
    """Ids of ``call``'s proposals that ``user`` is a party to (``Proposal.is_party``: the
    applicant, a team member, a contact of the applicant organisation), in three queries at
    most. Call-wide pages and exports show these as a conflict of interest, without scores:
    nobody reads the evaluation of their own case."""
    return frozenset(Proposal.objects.filter(call=call).party_ids(user))
