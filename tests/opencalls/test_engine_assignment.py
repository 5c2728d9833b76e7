import numpy as np
import pytest

from opencalls.engine.assignment import (
    DEFAULT_BALANCE_WEIGHT,
    STEP_BALANCING,
    STEP_CHECKING,
    STEP_DONE,
    STEP_OPTIMISING,
    STEP_VERIFYING,
    AssignmentProblem,
    AssignmentStatus,
    Instance,
    assign_evaluators,
    check_feasibility,
)
from opencalls.engine.explain import names, plural
from opencalls.engine.flow import FlowStatus


def ids(prefix, count):
    return [f"{prefix}-{number}" for number in range(1, count + 1)]


def make(n_proposals, n_evaluators, *, seed=1, affinity=None, **kwargs):
    if affinity is None:
        affinity = np.random.default_rng(seed).random((n_proposals, n_evaluators))
    return AssignmentProblem(
        proposal_ids=ids("P", n_proposals),
        evaluator_ids=ids("E", n_evaluators),
        affinity=affinity,
        **kwargs,
    )


def assert_valid(problem, result):
    assert result.status == AssignmentStatus.OPTIMAL
    by_proposal = {p: result.evaluators_for(p) for p in problem.proposal_ids}
    assert all(len(set(evaluators)) == problem.k for evaluators in by_proposal.values())
    assert len(result.pairs) == len(problem.proposal_ids) * problem.k
    assert not set(result.pairs) & set(problem.conflicts)
    assert not set(result.pairs) & set(problem.excluded)
    assert set(problem.locked) <= set(result.pairs)
    maximum = problem.max_load
    for evaluator, load in result.loads.items():
        assert load == len(result.proposals_for(evaluator))
        assert load <= (maximum if isinstance(maximum, int) else maximum[evaluator])


def test_assignment_gives_every_proposal_k_distinct_evaluators_within_loads():
    problem = make(12, 6, k=3, max_load=7, conflicts=[("P-1", "E-1"), ("P-2", "E-6")])
    result = assign_evaluators(problem)
    assert_valid(problem, result)
    assert result.ok is True
    assert result.issues == ()


def test_assignment_picks_the_highest_affinity():
    affinity = np.array([[0.9, 0.1, 0.2], [0.1, 0.2, 0.8]])
    result = assign_evaluators(make(2, 3, affinity=affinity, k=1, max_load=1))
    assert result.pairs == (("P-1", "E-1"), ("P-2", "E-3"))
    assert result.total_affinity == pytest.approx(1.7)
    assert result.upper_bound == pytest.approx(1.7)
    assert result.gap == 0.0


def test_total_affinity_is_the_sum_over_the_pairs():
    problem = make(15, 7, seed=4, k=2, max_load=6)
    result = assign_evaluators(problem)
    index_p = {p: i for i, p in enumerate(problem.proposal_ids)}
    index_e = {e: j for j, e in enumerate(problem.evaluator_ids)}
    expected = sum(problem.affinity[index_p[p], index_e[e]] for p, e in result.pairs)
    assert result.total_affinity == pytest.approx(expected, abs=1e-12)
    assert result.total_affinity <= result.upper_bound + 1e-9


def test_locked_pairs_are_kept_even_against_affinity():
    affinity = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]])
    problem = make(2, 3, affinity=affinity, k=2, max_load=2, locked=[("P-2", "E-3")])
    result = assign_evaluators(problem)
    assert_valid(problem, result)
    assert ("P-2", "E-3") in result.pairs
    assert result.loads["E-3"] == 1


def test_excluded_pairs_are_never_used_even_with_the_best_affinity():
    affinity = np.array([[1.0, 0.1, 0.1], [0.1, 0.1, 0.1]])
    problem = make(2, 3, affinity=affinity, k=1, max_load=1, excluded=[("P-1", "E-1")])
    result = assign_evaluators(problem)
    assert_valid(problem, result)
    assert ("P-1", "E-1") not in result.pairs


def test_conflicts_may_be_given_as_pairs_or_as_a_mask():
    mask = np.zeros((10, 5), dtype=bool)
    mask[[0, 3, 7], [1, 2, 4]] = True
    pairs = [("P-1", "E-2"), ("P-4", "E-3"), ("P-8", "E-5")]
    with_pairs = assign_evaluators(make(10, 5, k=2, max_load=5, conflicts=pairs))
    with_mask = assign_evaluators(make(10, 5, k=2, max_load=5, conflicts=mask))
    assert with_pairs.pairs == with_mask.pairs
    assert not set(with_mask.pairs) & set(pairs)


def test_maximum_loads_may_differ_per_evaluator():
    loads = {"E-1": 0, "E-2": 1, "E-3": 5, "E-4": 5}
    problem = make(5, 4, k=2, max_load=loads)
    result = assign_evaluators(problem)
    assert_valid(problem, result)
    assert result.loads["E-1"] == 0
    as_sequence = assign_evaluators(make(5, 4, k=2, max_load=[0, 1, 5, 5]))
    assert as_sequence.pairs == result.pairs


def test_assignment_is_deterministic():
    problem = make(30, 10, seed=9, k=3, max_load=11, conflicts=[("P-3", "E-3")])
    first, second = assign_evaluators(problem), assign_evaluators(problem)
    assert first.pairs == second.pairs
    assert first.loads == second.loads
    assert first.balance_step == second.balance_step


def test_balancing_spreads_a_load_that_affinity_alone_would_pile_up():
    # E-1 is everyone's favourite by a hair: the pure optimum gives it all ten proposals.
    affinity = np.full((10, 5), 0.89)
    affinity[:, 0] = 0.9
    problem = make(10, 5, affinity=affinity, k=1, max_load=10)
    pure = assign_evaluators(problem, balance_weight=0)
    assert pure.loads == {"E-1": 10, "E-2": 0, "E-3": 0, "E-4": 0, "E-5": 0}
    assert pure.total_affinity == pytest.approx(9.0)
    balanced = assign_evaluators(problem)
    assert balanced.loads == {"E-1": 2, "E-2": 2, "E-3": 2, "E-4": 2, "E-5": 2}
    # One more review costs 2 % of the best affinity (0.9) more than the one before.
    assert balanced.balance_weight == DEFAULT_BALANCE_WEIGHT == 0.02
    assert balanced.balance_step == pytest.approx(0.018)
    assert balanced.total_affinity == pytest.approx(8 * 0.89 + 2 * 0.9)
    assert balanced.upper_bound == pytest.approx(9.0)
    assert balanced.affinity_given_up == pytest.approx(0.08)
    assert balanced.gap == pytest.approx(0.08 / 9.0)
    assert balanced.load_penalty == pytest.approx(5 * 0.018)
    assert balanced.objective == pytest.approx(8.92 - 0.09)
    assert balanced.load_stats == {"min": 2, "max": 2, "mean": 2.0, "spread": 0}


def test_a_clearly_better_match_outweighs_the_price_of_load():
    # Leaving E-1 costs half the affinity: no load price of 2 % a review is worth that.
    affinity = np.full((10, 5), 0.5)
    affinity[:, 0] = 1.0
    result = assign_evaluators(make(10, 5, affinity=affinity, k=1, max_load=10))
    assert result.loads["E-1"] == 10
    assert result.gap == 0.0


def test_a_stronger_balance_weight_evens_loads_further_and_gives_up_more_affinity():
    # One review per proposal and no conflicts: the optimum takes the twelve best marginal
    # values, affinity − step × (reviews the evaluator already has).
    affinities = [1.0, 0.87, 0.73, 0.61]
    problem = make(12, 4, affinity=np.tile(affinities, (12, 1)), k=1, max_load=12)
    spreads, gaps = [], []
    for weight in (0.0, 0.03, 0.11, 5.0):
        result = assign_evaluators(problem, balance_weight=weight)
        step = weight * 1.0  # the unit is the best affinity of each proposal, 1.0
        marginal = sorted(
            ((a - step * r, j) for j, a in enumerate(affinities) for r in range(12)), reverse=True
        )[:12]
        expected = [sum(1 for _, j in marginal if j == e) for e in range(4)]
        assert list(result.loads.values()) == expected
        assert result.total_affinity == pytest.approx(
            sum(a * n for a, n in zip(affinities, expected, strict=True))
        )
        spreads.append(result.load_stats["spread"])
        gaps.append(result.gap)
    assert spreads == [12, 8, 4, 0]
    assert gaps[0] == 0.0
    assert gaps == sorted(gaps)
    assert gaps[-1] == pytest.approx(1 - 3 * sum(affinities) / 12)


def test_locked_reviews_count_first_towards_the_load_price():
    # E-1 already has two locked reviews, so the two open proposals go to E-2.
    problem = make(
        4, 2, affinity=np.ones((4, 2)), k=1, max_load=4, locked=[("P-1", "E-1"), ("P-2", "E-1")]
    )
    result = assign_evaluators(problem)
    assert_valid(problem, result)
    assert result.pairs == (("P-1", "E-1"), ("P-2", "E-1"), ("P-3", "E-2"), ("P-4", "E-2"))
    assert result.load_penalty == pytest.approx(2 * result.balance_step)


def test_zero_affinity_everywhere_still_balances_the_loads():
    problem = make(6, 3, affinity=np.zeros((6, 3)), k=1, max_load=6)
    result = assign_evaluators(problem)
    assert result.loads == {"E-1": 2, "E-2": 2, "E-3": 2}
    assert result.balance_step == 1e-6
    assert result.gap == 0.0


def test_no_balancing_keeps_the_best_total_affinity():
    affinity = np.full((10, 5), 0.89)
    affinity[:, 0] = 0.9
    result = assign_evaluators(make(10, 5, affinity=affinity, k=1), balance_weight=0)
    assert result.loads["E-1"] == 10
    assert result.total_affinity == pytest.approx(9.0)
    assert (result.balance_step, result.load_penalty) == (0.0, 0.0)


def test_the_pure_optimum_may_be_skipped_on_request():
    result = assign_evaluators(make(8, 4, k=2, max_load=5), balance_weight=0.5, compute_bound=False)
    assert result.ok
    assert result.upper_bound is None
    assert result.gap is None
    assert result.affinity_given_up is None
    assert result.balance_weight == 0.5


def test_fewer_candidates_change_the_work_not_the_answer():
    problem = make(40, 12, seed=3, k=3, max_load=12, conflicts=[("P-1", "E-1"), ("P-9", "E-4")])
    full = assign_evaluators(problem, candidates=12)
    pruned = assign_evaluators(problem, candidates=1)
    assert full.rounds == 1
    assert pruned.rounds > 1
    assert pruned.arcs < full.arcs
    assert pruned.objective == pytest.approx(full.objective, abs=1e-9)
    assert pruned.upper_bound == pytest.approx(full.upper_bound, abs=1e-9)


def test_progress_is_reported_from_start_to_finish():
    seen = []
    assign_evaluators(make(20, 8, k=3, max_load=10), progress=lambda f, m: seen.append((f, m)))
    fractions = [fraction for fraction, _ in seen]
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    # Codes, not sentences: the web layer stores them and words them in the reader's language.
    assert [step for _, step in seen] == [
        STEP_CHECKING,
        STEP_OPTIMISING,
        STEP_BALANCING,
        STEP_VERIFYING,
        STEP_DONE,
    ]
    assert [step for _, step in seen] == [
        "checking",
        "optimising",
        "balancing",
        "verifying",
        "done",
    ]


def test_no_proposals_is_a_trivial_assignment():
    result = assign_evaluators(make(0, 3, affinity=np.zeros((0, 3))))
    assert result.ok
    assert result.pairs == ()
    assert result.loads == {"E-1": 0, "E-2": 0, "E-3": 0}


# --- Infeasible instances: each explained in the call manager's words ---------------------


def test_a_proposal_with_too_few_evaluators_without_conflict_is_named():
    problem = AssignmentProblem(
        proposal_ids=["P-16", "P-17"],
        evaluator_ids=ids("E", 4),
        affinity=np.ones((2, 4)),
        k=3,
        max_load=2,
        conflicts=[("P-17", "E-1"), ("P-17", "E-2")],
    )
    result = assign_evaluators(problem)
    assert result.status == AssignmentStatus.INFEASIBLE
    assert result.pairs == ()
    assert result.messages == (
        "Proposal P-17 has only 2 evaluators without a conflict and with free capacity; "
        "it needs 3.",
    )
    assert result.issues[0].code == "proposal_short"
    assert result.issues[0].proposal_ids == ("P-17",)


def test_exclusions_and_full_evaluators_count_against_a_proposal():
    problem = make(
        2,
        4,
        k=3,
        max_load={"E-1": 0, "E-2": 3, "E-3": 3, "E-4": 3},
        excluded=[("P-2", "E-4")],
    )
    assert [issue.message for issue in check_feasibility(problem)] == [
        "Proposal P-2 has only 2 evaluators without a conflict or an exclusion and with free "
        "capacity; it needs 3.",
    ]


def test_evaluators_filled_by_locks_have_no_free_capacity():
    # E-1 can read one proposal and is locked to P-1, so P-2 cannot count on it.
    problem = make(
        2,
        3,
        k=2,
        max_load={"E-1": 1, "E-2": 2, "E-3": 2},
        locked=[("P-1", "E-1")],
        conflicts=[("P-2", "E-3")],
    )
    assert [issue.message for issue in check_feasibility(problem)] == [
        "Proposal P-2 has only 1 evaluator without a conflict and with free capacity; it needs 2."
    ]
    unlocked = make(2, 3, k=2, max_load={"E-1": 1, "E-2": 2, "E-3": 2}, conflicts=[("P-2", "E-3")])
    assert check_feasibility(unlocked) == ()


def test_total_capacity_below_the_reviews_needed_is_explained():
    problem = make(200, 27, k=3, max_load=20)
    result = assign_evaluators(problem)
    assert result.status == AssignmentStatus.INFEASIBLE
    assert result.messages == (
        "Total capacity 540 is below the 600 reviews needed (200 proposals × 3).",
    )
    assert result.issues[0].params == {"capacity": 540, "needed": 600}


def test_too_few_evaluators_for_k_is_explained():
    problem = make(1, 3, k=3, max_load={"E-1": 5, "E-2": 5, "E-3": 0})
    assert [issue.message for issue in check_feasibility(problem)] == [
        "Each proposal needs 3 evaluators but only 2 of the 3 evaluators can take reviews."
    ]


def test_locks_beyond_an_evaluators_maximum_load_are_explained():
    locked = [("P-1", "E-4"), ("P-2", "E-4"), ("P-3", "E-4")]
    problem = make(3, 4, k=1, max_load={"E-1": 3, "E-2": 3, "E-3": 3, "E-4": 2}, locked=locked)
    result = assign_evaluators(problem)
    assert result.status == AssignmentStatus.INFEASIBLE
    assert result.messages == (
        "Locked assignments exceed the maximum load of evaluator E-4: 3 locked, maximum 2.",
    )
    assert result.issues[0].evaluator_ids == ("E-4",)


def test_more_locks_than_k_on_a_proposal_are_explained():
    locked = [("P-1", "E-1"), ("P-1", "E-2"), ("P-1", "E-3")]
    problem = make(1, 3, k=2, max_load=1, locked=locked)
    assert [issue.message for issue in check_feasibility(problem)] == [
        "Proposal P-1 has 3 locked evaluators but needs exactly 2."
    ]


def test_a_lock_on_a_conflicted_or_excluded_pair_is_explained():
    problem = make(
        2,
        3,
        k=1,
        max_load=2,
        locked=[("P-1", "E-2"), ("P-2", "E-3")],
        conflicts=[("P-1", "E-2")],
        excluded=[("P-2", "E-3")],
    )
    assert [issue.message for issue in check_feasibility(problem)] == [
        "E-2 is locked to proposal P-1 but has a conflict of interest with it.",
        "E-3 is both locked to and excluded from proposal P-2.",
    ]


def test_labels_name_proposals_and_evaluators_in_messages():
    problem = AssignmentProblem(
        proposal_ids=[17],
        evaluator_ids=[4],
        affinity=np.ones((1, 1)),
        k=1,
        max_load=0,
        locked=[(17, 4)],
        proposal_labels={17: "P-17 DeepTrust"},
        evaluator_labels={4: "Dr Ada Byron"},
    )
    assert check_feasibility(problem)[0].message == (
        "Locked assignments exceed the maximum load of evaluator Dr Ada Byron: 1 locked, maximum 0."
    )


def test_a_group_of_proposals_competing_for_few_evaluators_is_explained():
    # Each of P-1..P-3 has three evaluators without a conflict, but those three can take
    # only one review each: the shortage shows only when the proposals are taken together.
    conflicts = [(p, e) for p in ("P-1", "P-2", "P-3") for e in ("E-4", "E-5")]
    maximum = {"E-1": 1, "E-2": 1, "E-3": 1, "E-4": 10, "E-5": 10}
    problem = make(4, 5, k=2, max_load=maximum, conflicts=conflicts)
    result = assign_evaluators(problem)
    assert result.status == AssignmentStatus.INFEASIBLE
    assert result.messages == (
        "Proposals P-1, P-2 and P-3 need 6 more evaluators between them, but at most 3 can "
        "be found: the evaluators without a conflict who could read them (E-1, E-2 and E-3) "
        "have only 3 free places left.",
    )
    assert result.issues[0].proposal_ids == ("P-1", "P-2", "P-3")
    assert result.issues[0].evaluator_ids == ("E-1", "E-2", "E-3")


def test_a_long_group_is_named_in_part_with_the_count_of_the_rest():
    # Twelve proposals may only be read by E-1 and E-2, who have four places between them.
    conflicts = [(f"P-{i}", f"E-{j}") for i in range(1, 13) for j in range(3, 5)]
    problem = make(
        12, 4, k=1, max_load={"E-1": 2, "E-2": 2, "E-3": 20, "E-4": 20}, conflicts=conflicts
    )
    assert [issue.message for issue in check_feasibility(problem)] == [
        "Proposals P-1, P-2, P-3, P-4, P-5, P-6, P-7, P-8 and 4 more need 12 more evaluators "
        "between them, but at most 4 can be found: the evaluators without a conflict who could "
        "read them (E-1 and E-2) have only 4 free places left."
    ]
    assert check_feasibility(problem)[0].params == {"needed": 12, "possible": 4}


def test_the_flow_itself_finds_an_infeasible_network():
    # The checks name the cause; the flow independently finds no way to meet the need.
    problem = make(3, 2, k=2, max_load=2)
    outcome = Instance(problem).solve(0)
    assert outcome.status == FlowStatus.INFEASIBLE
    assert outcome.rows.tolist() == []


@pytest.mark.parametrize(
    ("labels", "text"),
    [
        (["P-1"], "P-1"),
        (["P-1", "P-2"], "P-1 and P-2"),
        (["P-1", "P-2", "P-3"], "P-1, P-2 and P-3"),
        ([f"P-{n}" for n in range(1, 9)], "P-1, P-2, P-3, P-4, P-5, P-6, P-7 and P-8"),
        ([f"P-{n}" for n in range(1, 10)], "P-1, P-2, P-3, P-4, P-5, P-6, P-7, P-8 and 1 more"),
    ],
)
def test_names_in_messages_read_as_english(labels, text):
    assert names(labels) == text


def test_counts_in_messages_agree_with_their_noun():
    assert [plural(n, "evaluator") for n in (0, 1, 2)] == [
        "0 evaluators",
        "1 evaluator",
        "2 evaluators",
    ]


@pytest.mark.parametrize("weight", [-0.1, float("nan"), float("inf")])
def test_a_balance_weight_must_be_a_finite_non_negative_number(weight):
    with pytest.raises(ValueError, match="balance_weight must be a finite number"):
        assign_evaluators(make(3, 3, k=1), balance_weight=weight)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "k must be a positive whole number"),
        ({"affinity": np.zeros((2, 2))}, "affinity has shape"),
        ({"affinity": np.full((3, 2), np.nan)}, "NaN"),
        ({"affinity": np.full((3, 2), -0.5)}, "must not be negative"),
        ({"max_load": -1}, "cannot be negative"),
        ({"max_load": [1, 2, 3]}, "one maximum per evaluator"),
        ({"max_load": {"E-1": 2}}, "no maximum for evaluators"),
        ({"conflicts": [("P-9", "E-1")]}, "unknown id: 'P-9'"),
        ({"locked": [("P-1", "E-7")]}, "unknown id: 'E-7'"),
        ({"conflicts": np.zeros((2, 2), dtype=bool)}, "conflicts mask has shape"),
    ],
)
def test_malformed_problems_are_programming_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        assign_evaluators(make(3, 2, **{"k": 1, "max_load": 3, **kwargs}))


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="Duplicate proposal ids"):
        assign_evaluators(AssignmentProblem(["P-1", "P-1"], ["E-1"], np.ones((2, 1)), k=1))


def test_a_problem_can_be_built_from_an_affinity_matrix():
    from opencalls.engine.affinity import EvaluatorProfile, ProposalText, compute_affinity

    matrix = compute_affinity(
        [ProposalText(1, title="deepfake detection"), ProposalText(2, title="music tagging")],
        [EvaluatorProfile(7, cv="music tagging"), EvaluatorProfile(8, cv="deepfake detection")],
    )
    result = assign_evaluators(AssignmentProblem.from_affinity(matrix, k=1, max_load=1))
    assert result.pairs == ((1, 8), (2, 7))


def test_a_very_high_maximum_load_is_bounded_by_the_proposals_an_evaluator_can_read():
    problem = make(4, 3, k=2, max_load=10**9)
    result = assign_evaluators(problem, balance_weight=0.3)
    assert_valid(problem, result)
    assert max(result.loads.values()) <= 4
