"""The ranking computed from the database: ties, the budget line, interview scores."""

from decimal import Decimal

import pytest

from opencalls.evaluation import selectors
from opencalls.models import ProposalVersion

from .factories import assign, call_under_evaluation, pool_evaluator, review
from .helpers import _evaluated

pytestmark = pytest.mark.django_db


def test_ranking_breaks_ties_in_the_calls_order_and_draws_the_budget_line():
    call, proposals, by = call_under_evaluation(proposals=6, total_budget=Decimal("180000"))
    funding = [Decimal(x) for x in ("45000", "30000", "60000", "50000", "20000", "45000")]
    for proposal, amount in zip(proposals, funding, strict=True):
        ProposalVersion.objects.filter(pk=proposal.current_version_id).update(
            requested_funding=amount
        )
    consensus = [
        (4, 4, 4),  # 12, tied with #2 and #3
        (4.5, 3.5, 4),  # 12: Excellence 4.5 wins the tie
        (4, 4, 4),  # 12: same as #0, submitted later
        (5, 5, 5),  # 15: first
        (2.5, 5, 5),  # below the Excellence threshold
        (3, 3, 3.5),  # 9.5: below the overall threshold
    ]
    _evaluated(call, by, proposals, consensus)
    (research, application) = selectors.call_ranking(call, with_interviews=False)
    assert application.rows == []
    # Two tracks share the budget by projects to fund (5 and 5): 90,000 for Research.
    assert research.budget == Decimal("90000.00")
    rows = [(r.proposal, r.ranked.rank, r.ranked.decision.value, r.tie_text) for r in research.rows]
    assert rows == [
        (proposals[3], 1, "fund", ""),
        (proposals[1], 2, "fund", ""),
        (proposals[0], 3, "reserve", "Tie broken by Excellence"),
        (proposals[2], 4, "reserve", "Tie broken by the earlier submission"),
    ]
    assert research.rows[1].ranked.cumulative_funding == Decimal("80000.00")
    assert research.ranking.funded_total == Decimal("80000.00")
    below = {r.proposal: r.reasons for r in research.below}
    assert below == {
        proposals[4]: ["Excellence 2.5 is below the threshold of 3."],
        proposals[5]: ["The total 9.5 is below the overall threshold of 10."],
    }
    (whole,) = selectors.call_ranking(call, with_interviews=False, whole_call=True)
    assert whole.budget == Decimal("180000")
    assert [r.ranked.decision.value for r in whole.rows] == ["fund", "fund", "fund", "reserve"]


def test_ranking_is_provisional_until_the_consensus_is_final():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    people = [pool_evaluator(call) for _ in range(2)]
    for person, scores in zip(people, [(4, 4, 4), (5, 4, 4)], strict=True):
        review(assign(p0, person, by), scores)
    assign(p1, people[0], by)
    (research, _application) = selectors.call_ranking(call)
    assert [(r.proposal, r.provisional, r.ranked.written_total) for r in research.rows] == [
        (p0, True, Decimal("12.5"))  # suggestion: 4.5 (4.5 rounded), 4, 4
    ]
    assert research.missing == [p1]
    (final_only, _application) = selectors.call_ranking(call, provisional=False)
    assert final_only.rows == []


def test_track_budgets_follow_the_projects_each_track_funds():
    call, _proposals, _by = call_under_evaluation(proposals=1, total_budget=Decimal("300000"))
    research, application = call.tracks.order_by("order")
    research.projects_to_fund = 4
    research.save()
    application.projects_to_fund = 2
    application.save()
    assert selectors.track_budgets(call, call.tracks.all()) == {
        research.pk: Decimal("200000.00"),
        application.pk: Decimal("100000.00"),
    }
