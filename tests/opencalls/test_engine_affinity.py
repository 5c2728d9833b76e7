import numpy as np
import pytest

from opencalls.engine.affinity import (
    EvaluatorProfile,
    ProposalText,
    compute_affinity,
    text_similarity,
)

DEEPFAKES = ProposalText(
    id="P-1",
    title="Detecting deepfake videos in newsrooms",
    abstract="We detect manipulated video and synthetic faces with forensic analysis.",
    keywords=["deepfake detection", "media forensics"],
    challenge="Countering disinformation",
)
MUSIC = ProposalText(
    id="P-2",
    title="Music recommendation for public radio",
    abstract="Playlist generation from audio similarity and listener sessions.",
    keywords=["music information retrieval", "recommender systems"],
    challenge="Newsrooms and archives",
)
FORENSICS_EXPERT = EvaluatorProfile(
    id=10,
    areas=["Synthetic media and deepfake detection"],
    keywords=["video forensics", "manipulated video"],
    cv="Researcher in multimedia forensics and deepfake detection.",
)
MUSIC_EXPERT = EvaluatorProfile(
    id=11,
    areas=["Music information retrieval"],
    keywords=["audio similarity", "playlist generation"],
    cv="Works on music recommendation and recommender systems for radio.",
)


def test_affinity_matches_proposals_to_the_right_experts():
    matrix = compute_affinity([DEEPFAKES, MUSIC], [FORENSICS_EXPERT, MUSIC_EXPERT])
    assert matrix.proposal_ids == ("P-1", "P-2")
    assert matrix.evaluator_ids == (10, 11)
    assert matrix.scores.shape == (2, 2)
    assert matrix.scores[0, 0] > matrix.scores[0, 1]
    assert matrix.scores[1, 1] > matrix.scores[1, 0]
    assert matrix.score("P-2", 11) == matrix.scores[1, 1]
    assert np.all((matrix.scores >= 0) & (matrix.scores <= 1))


def test_affinity_is_deterministic():
    first = compute_affinity([DEEPFAKES, MUSIC], [FORENSICS_EXPERT, MUSIC_EXPERT])
    second = compute_affinity([DEEPFAKES, MUSIC], [FORENSICS_EXPERT, MUSIC_EXPERT])
    assert np.array_equal(first.scores, second.scores)


def test_identical_texts_have_affinity_one_and_unrelated_texts_zero():
    scores = text_similarity(["fact checking of claims"], ["fact checking of claims", "opera"])
    assert scores[0, 0] == pytest.approx(1.0)
    assert scores[0, 1] == 0.0


def test_empty_texts_score_zero_against_everything():
    empty = ProposalText(id=3)
    silent = EvaluatorProfile(id=12)
    matrix = compute_affinity([DEEPFAKES, empty], [FORENSICS_EXPERT, silent])
    assert matrix.scores[1].tolist() == [0.0, 0.0]
    assert matrix.scores[:, 1].tolist() == [0.0, 0.0]
    assert matrix.scores[0, 0] > 0


def test_only_empty_or_stop_word_texts_give_a_zero_matrix():
    matrix = compute_affinity([ProposalText(id=1, title="the and of")], [EvaluatorProfile(id=2)])
    assert matrix.scores.tolist() == [[0.0]]


def test_no_proposals_or_no_evaluators_give_an_empty_matrix():
    assert compute_affinity([], [FORENSICS_EXPERT]).scores.shape == (0, 1)
    assert compute_affinity([DEEPFAKES], []).scores.shape == (1, 0)


def test_topic_overlap_is_blended_in_with_its_weight():
    proposal = ProposalText(id=1, topics=["computer-vision", "generative-ai"])
    untagged = ProposalText(id=2, title="deepfake detection")
    half = EvaluatorProfile(id=1, topics=["computer-vision", "ai-act"])
    full = EvaluatorProfile(
        id=2, topics=["generative-ai", "computer-vision"], cv="deepfake detection"
    )
    matrix = compute_affinity([proposal, untagged], [half, full], topic_weight=0.4)
    # Proposal 1 has no text: its affinity is 0.4 × the share of its topics covered.
    assert matrix.scores[0].tolist() == pytest.approx([0.2, 0.4])
    # Proposal 2 has no topics: it keeps its text score rather than being pushed down.
    text_only = compute_affinity([proposal, untagged], [half, full]).scores
    assert matrix.scores[1].tolist() == pytest.approx(text_only[1].tolist())
    assert text_only[1, 1] > 0.5


def test_topic_weight_must_be_a_share():
    with pytest.raises(ValueError, match="topic_weight must be between 0 and 1"):
        compute_affinity([DEEPFAKES], [FORENSICS_EXPERT], topic_weight=1.5)
