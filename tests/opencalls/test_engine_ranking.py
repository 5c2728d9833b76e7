import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from opencalls.engine.ranking import (
    Candidate,
    Decision,
    InterviewPolicy,
    final_score,
    rank_by_track,
    rank_proposals,
)
from opencalls.engine.scoring import Criterion, ScoringRules, eu_rules

D = Decimal
RULES = eu_rules()
DEADLINE = datetime(2021, 12, 1, 16, 0, tzinfo=UTC)


def candidate(pid, excellence, impact, implementation, *, funding=50_000, minutes=0, **extra):
    return Candidate(
        proposal_id=pid,
        scores={
            "excellence": D(excellence),
            "impact": D(impact),
            "implementation": D(implementation),
        },
        requested_funding=D(funding),
        submitted_at=DEADLINE - timedelta(minutes=minutes),
        **extra,
    )


def ids(entries):
    return [entry.proposal_id for entry in entries]


def test_ranking_orders_by_total_then_the_configured_tie_break():
    candidates = [
        candidate("late", 4, 4, 4, minutes=5),  # 12, tie on everything but time
        candidate("impact", 4, "4.5", "3.5"),  # 12, same excellence, better impact
        candidate("excellence", "4.5", 4, "3.5"),  # 12, best excellence
        candidate("early", 4, 4, 4, minutes=60),  # 12, earlier submission
        candidate("top", 5, 5, 4),  # 14
    ]
    ranking = rank_proposals(candidates, RULES, budget=D(1_000_000))
    assert ids(ranking.ranked) == ["top", "excellence", "impact", "early", "late"]
    assert [r.rank for r in ranking.ranked] == [1, 2, 3, 4, 5]
    assert [r.tie_broken_by for r in ranking.ranked] == [
        None,
        None,
        "excellence",
        "impact",
        "submitted_at",
    ]


def test_ranking_falls_back_to_proposal_id_when_everything_ties():
    candidates = [candidate(3, 4, 4, 4), candidate(1, 4, 4, 4), candidate(2, 4, 4, 4)]
    ranking = rank_proposals(candidates, RULES, budget=D(0))
    assert ids(ranking.ranked) == [1, 2, 3]
    assert [r.tie_broken_by for r in ranking.ranked] == [None, "proposal_id", "proposal_id"]


def test_ranking_does_not_depend_on_input_order():
    candidates = [
        candidate(n, 3 + (n % 3) / 2, 3 + (n % 5) / 2, 4, minutes=n % 4) for n in range(1, 40)
    ]
    expected = rank_proposals(candidates, RULES, budget=D(600_000))
    shuffled = candidates[:]
    random.Random(7).shuffle(shuffled)
    assert rank_proposals(shuffled, RULES, budget=D(600_000)) == expected


def test_custom_tie_break_order_is_followed():
    rules = ScoringRules(
        criteria=RULES.criteria,
        overall_threshold=D(10),
        tie_break=("requested_funding", "implementation"),
    )
    candidates = [
        candidate("costly", 4, 4, 4, funding=50_000),
        candidate("cheap-low", 5, 4, 3, funding=40_000),
        candidate("cheap-high", 4, 3, 5, funding=40_000),
    ]
    ranking = rank_proposals(candidates, rules, budget=D(100_000))
    assert ids(ranking.ranked) == ["cheap-high", "cheap-low", "costly"]
    assert [r.tie_broken_by for r in ranking.ranked] == [
        None,
        "implementation",
        "requested_funding",
    ]


def test_proposals_under_any_threshold_are_out_with_the_reason():
    candidates = [
        candidate(1, 5, 5, "2.5"),  # 12.5 but implementation under 3
        candidate(2, 3, 3, 3),  # every criterion at 3 but 9 < 10
        candidate(3, 3, "3.5", "3.5"),  # exactly 10: in
    ]
    ranking = rank_proposals(candidates, RULES, budget=D(1_000_000))
    assert ids(ranking.ranked) == [3]
    assert ids(ranking.below_threshold) == [1, 2]
    assert all(r.decision == Decision.BELOW_THRESHOLD for r in ranking.below_threshold)
    assert all(r.rank is None and r.cumulative_funding is None for r in ranking.below_threshold)
    assert [r.message for r in ranking.below_threshold[0].reasons] == [
        "Implementation 2.5 is below the threshold of 3."
    ]
    assert [r.message for r in ranking.below_threshold[1].reasons] == [
        "Total 9 is below the overall threshold of 10 (out of 15)."
    ]


def test_budget_line_funds_a_proposal_that_reaches_the_budget_exactly():
    candidates = [
        candidate(1, 5, 5, 5, funding=40_000),
        candidate(2, 5, 5, "4.5", funding=35_000),
        candidate(3, 5, 5, 4, funding=25_000),  # cumulative 100,000 = budget
        candidate(4, 5, 4, 4, funding=10_000),
    ]
    ranking = rank_proposals(candidates, RULES, budget=D(100_000))
    assert ids(ranking.funded) == [1, 2, 3]
    assert ids(ranking.reserve) == [4]
    assert [r.cumulative_funding for r in ranking.ranked] == [
        D(40_000),
        D(75_000),
        D(100_000),
        D(110_000),
    ]
    assert ranking.funded_total == D(100_000)
    assert ranking.budget_left == D(0)


def test_budget_line_falls_before_a_proposal_that_passes_the_budget_by_one_euro():
    candidates = [
        candidate(1, 5, 5, 5, funding=40_000),
        candidate(2, 5, 5, "4.5", funding=35_000),
        candidate(3, 5, 5, 4, funding=25_001),  # cumulative 100,001
        candidate(4, 5, 4, 4, funding=1_000),  # would fit, but the line has fallen
        candidate(5, 4, 4, 4, funding=20_000),
    ]
    ranking = rank_proposals(candidates, RULES, budget=D(100_000))
    assert ids(ranking.funded) == [1, 2]
    assert ids(ranking.reserve) == [3, 4, 5]
    assert [r.decision for r in ranking.ranked] == [
        Decision.FUND,
        Decision.FUND,
        Decision.RESERVE,
        Decision.RESERVE,
        Decision.RESERVE,
    ]
    assert ranking.budget_left == D(25_000)


def test_reserve_list_follows_the_ranking_and_leaves_out_proposals_below_threshold():
    candidates = [
        candidate("c", 4, 4, 4, funding=50_000, minutes=1),
        candidate("a", 5, 5, 5, funding=50_000),
        candidate("failed", 2, 5, 5, funding=10_000),
        candidate("d", 4, 4, 4, funding=50_000, minutes=2),
        candidate("b", 5, 4, 4, funding=50_000),
    ]
    ranking = rank_proposals(candidates, RULES, budget=D(50_000))
    assert ids(ranking.funded) == ["a"]
    assert ids(ranking.reserve) == ["b", "d", "c"]
    assert ids(ranking.below_threshold) == ["failed"]


def test_interview_combination_weighs_written_and_interview_scores():
    policy = InterviewPolicy(weight=D("0.3"))
    # 0.7 × 12 + 0.3 × 14 = 12.6
    assert final_score(D(12), D(14), RULES, policy) == D("12.6")
    # Interview on its own 0–100 scale: 80/100 of 15 = 12 → 0.7 × 12 + 0.3 × 12 = 12
    assert final_score(D(12), D(80), RULES, InterviewPolicy(D("0.3"), D(100))) == D(12)
    # Not interviewed: the written total stands.
    assert final_score(D(12), None, RULES, policy) == D(12)
    assert final_score(D(12), D(3), RULES, None) == D(12)


def test_interview_scores_reorder_only_interviewed_proposals():
    candidates = [
        candidate("written-best", 5, 5, 4, interview_score=D(9)),  # 14 → 0.7×14 + 0.3×9 = 12.5
        candidate("strong-interview", 4, 4, 5, interview_score=D(15)),  # 13 → 13.6
        candidate("not-interviewed", 4, 4, 5, minutes=30),  # 13 → 13
    ]
    ranking = rank_proposals(
        candidates, RULES, budget=D(100_000), interview=InterviewPolicy(weight=D("0.3"))
    )
    assert ids(ranking.ranked) == ["strong-interview", "not-interviewed", "written-best"]
    assert [r.final_score for r in ranking.ranked] == [D("13.6"), D(13), D("12.5")]
    assert [r.written_total for r in ranking.ranked] == [D(13), D(13), D(14)]
    assert ids(ranking.funded) == ["strong-interview", "not-interviewed"]


def test_interview_scores_are_ignored_without_a_policy():
    candidates = [
        candidate("a", 5, 5, 4, interview_score=D(0)),
        candidate("b", 4, 4, 5, interview_score=D(15)),
    ]
    ranking = rank_proposals(candidates, RULES, budget=D(0))
    assert ids(ranking.ranked) == ["a", "b"]


def test_interview_policy_and_scores_are_checked():
    with pytest.raises(ValueError, match="between 0 and 1"):
        InterviewPolicy(weight=D("1.5"))
    with pytest.raises(ValueError, match="must be positive"):
        InterviewPolicy(weight=D("0.5"), max_score=D(0))
    with pytest.raises(ValueError, match="outside 0–15"):
        final_score(D(12), D(16), RULES, InterviewPolicy(weight=D("0.5")))


def test_rank_by_track_ranks_each_track_against_its_own_budget():
    candidates = [
        candidate("r1", 5, 5, 5, track="research"),
        candidate("r2", 4, 4, 4, track="research"),
        candidate("a1", 3, 4, 4, track="application"),
        candidate("a2", 5, 5, 4, track="application"),
    ]
    rankings = rank_by_track(
        candidates, RULES, budgets={"research": D(50_000), "application": D(100_000)}
    )
    assert list(rankings) == ["research", "application"]
    assert rankings["research"].track == "research"
    assert ids(rankings["research"].funded) == ["r1"]
    assert ids(rankings["research"].reserve) == ["r2"]
    assert ids(rankings["application"].funded) == ["a2", "a1"]


def test_rank_by_track_refuses_a_track_without_budget():
    with pytest.raises(
        ValueError, match=r"^Proposal x is in track 'games', which has no budget\.$"
    ):
        rank_by_track([candidate("x", 4, 4, 4, track="games")], RULES, budgets={"research": D(1)})


def test_rank_by_track_gives_an_empty_ranking_to_a_track_without_proposals():
    rankings = rank_by_track([], RULES, budgets={"research": D(10)})
    assert rankings["research"].ranked == ()
    assert rankings["research"].budget_left == D(10)


def test_ranking_uses_the_call_weights():
    rules = ScoringRules(
        criteria=(
            Criterion("excellence", "Excellence"),
            Criterion("impact", "Impact", weight=D("1.5")),
        ),
    )
    candidates = [
        Candidate("excellent", {"excellence": D(5), "impact": D(3)}, D(1)),  # 9.5
        Candidate("impactful", {"excellence": D(3), "impact": D(5)}, D(1)),  # 10.5
    ]
    ranking = rank_proposals(candidates, rules, budget=D(1))
    assert ids(ranking.ranked) == ["impactful", "excellent"]
    assert [r.final_score for r in ranking.ranked] == [D("10.5"), D("9.5")]


def test_negative_budget_is_refused():
    with pytest.raises(ValueError, match="budget cannot be negative"):
        rank_proposals([], RULES, budget=D(-1))
