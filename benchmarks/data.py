"""Synthetic but realistic open-call data for the benchmarks, from fixed seeds.

Proposals and evaluators are written from a media-AI topic vocabulary (the network's topics,
each with the terms people use when they write about it), so the affinity step runs TF-IDF
over texts that share and differ in the way real proposals and CVs do.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from opencalls.engine.affinity import EvaluatorProfile, ProposalText


def _terms(text: str) -> list[str]:
    return [term.strip() for term in text.split(";")]


# Each topic with the terms people use when they write about it.
TOPICS: dict[str, list[str]] = {
    "trustworthy-ai-robustness": _terms(
        "adversarial attacks; robustness certification; distribution shift; "
        "out-of-distribution detection; adversarial training; model stress testing; corrupted"
        " inputs; robust classifiers; uncertainty estimation; safety evaluation"
    ),
    "trustworthy-ai-explainability": _terms(
        "explainable AI; saliency maps; feature attribution; counterfactual explanations; "
        "interpretable models; concept activation; model transparency; shapley values; "
        "explanations for journalists; user-facing explanations"
    ),
    "trustworthy-ai-fairness": _terms(
        "algorithmic bias; fairness metrics; demographic parity; bias mitigation; "
        "underrepresented groups; fair ranking; gender bias; dataset bias audit; equal "
        "opportunity; diversity in recommendations"
    ),
    "trustworthy-ai-privacy": _terms(
        "differential privacy; privacy-preserving learning; data anonymisation; membership "
        "inference; secure aggregation; personal data protection; privacy risk assessment; "
        "synthetic data generation; GDPR compliance; face blurring"
    ),
    "ai-against-disinformation": _terms(
        "disinformation detection; fact-checking; claim matching; check-worthiness; "
        "misinformation spread; coordinated inauthentic behaviour; propaganda techniques; "
        "source credibility; rumour detection; debunking"
    ),
    "ai-for-news-research-and-production": _terms(
        "newsroom automation; automated journalism; news summarisation; story discovery; "
        "archive search for journalists; editorial workflow; news agency; headline "
        "generation; local news; data journalism"
    ),
    "ai-for-media-moderation": _terms(
        "content moderation; hate speech detection; toxic comments; harmful content; "
        "moderation queue; community guidelines; abusive language; online harassment; trust "
        "and safety; appeal process"
    ),
    "ai-for-audiovisual-archives": _terms(
        "audiovisual archives; broadcast archive; metadata enrichment; automatic tagging; "
        "digitised film; archive retrieval; cultural heritage; shot boundary detection; face "
        "recognition in archives; historical footage"
    ),
    "ai-for-game-design": _terms(
        "procedural content generation; game design; level generation; player modelling; game"
        " testing agents; non-player characters; reinforcement learning agents; game "
        "balancing; interactive narrative; serious games"
    ),
    "human-machine-artistic-co-creation": _terms(
        "artistic co-creation; creative tools; music generation; style transfer; interactive "
        "art; artist in the loop; creative coding; digital art; co-creative systems; "
        "performance art"
    ),
    "ai-for-social-science-research": _terms(
        "computational social science; survey research; public opinion; political "
        "communication; social media analysis; polarisation; agenda setting; media effects; "
        "discourse analysis; panel data"
    ),
    "recommender-systems": _terms(
        "recommender systems; collaborative filtering; personalisation; filter bubbles; news "
        "recommendation; user engagement; session-based recommendation; exposure diversity; "
        "cold start; ranking models"
    ),
    "synthetic-media-and-deepfake-detection": _terms(
        "deepfake detection; synthetic media; face swapping; manipulated video; forensic "
        "analysis; image manipulation detection; generated images; audio deepfakes; lip sync "
        "detection; forgery localisation"
    ),
    "natural-language-processing": _terms(
        "natural language processing; language models; named entity recognition; text "
        "classification; machine translation; multilingual models; information extraction; "
        "sentiment analysis; low-resource languages; transformers"
    ),
    "computer-vision": _terms(
        "computer vision; object detection; image segmentation; video analysis; visual "
        "recognition; action recognition; image retrieval; convolutional networks; video "
        "understanding; visual question answering"
    ),
    "speech-and-audio-analysis": _terms(
        "speech recognition; speaker diarisation; audio event detection; spoken content "
        "retrieval; podcast transcription; voice activity detection; audio fingerprinting; "
        "speech synthesis; acoustic scene analysis; subtitling"
    ),
    "music-information-retrieval": _terms(
        "music information retrieval; music tagging; audio similarity; music recommendation; "
        "beat tracking; chord recognition; source separation; music emotion; playlist "
        "generation; symbolic music"
    ),
    "multimodal-learning": _terms(
        "multimodal learning; vision and language; cross-modal retrieval; audio-visual "
        "fusion; multimodal transformers; image captioning; video-text alignment; multimodal "
        "embeddings; contrastive pretraining; multimodal fusion"
    ),
    "generative-ai": _terms(
        "generative models; diffusion models; large language models; text-to-image; prompt "
        "engineering; generative adversarial networks; content generation; foundation models;"
        " instruction tuning; hallucination"
    ),
    "federated-and-decentralised-learning": _terms(
        "federated learning; decentralised learning; edge devices; on-device training; "
        "communication efficiency; client heterogeneity; split learning; peer-to-peer "
        "learning; model aggregation; non-iid data"
    ),
    "content-verification-and-provenance": _terms(
        "content provenance; content credentials; watermarking; image verification; reverse "
        "image search; provenance metadata; authenticity signals; c2pa manifests; tamper "
        "detection; media forensics"
    ),
    "media-accessibility": _terms(
        "media accessibility; audio description; sign language; automatic captions; "
        "easy-to-read text; visually impaired users; accessible interfaces; text "
        "simplification; hearing impaired viewers; assistive technology"
    ),
    "energy-efficient-ai": _terms(
        "energy-efficient AI; model compression; knowledge distillation; quantisation; "
        "pruning; green AI; carbon footprint; efficient inference; neural architecture "
        "search; low-power hardware"
    ),
    "ai-act": _terms(
        "AI Act; high-risk systems; conformity assessment; regulatory compliance; risk "
        "management; transparency obligations; general-purpose AI; AI governance; impact "
        "assessment; regulatory sandbox"
    ),
    "digital-services-act": _terms(
        "Digital Services Act; platform accountability; systemic risks; very large online "
        "platforms; notice and action; transparency reports; researcher data access; audit of"
        " platforms; illegal content; risk assessment"
    ),
    "copyright-and-intellectual-property": _terms(
        "copyright; intellectual property; text and data mining; licensing; training data "
        "rights; authorship; fair remuneration; rights management; opt-out; collective "
        "management"
    ),
    "ethics-of-ai-in-the-media": _terms(
        "AI ethics; responsible AI; ethical guidelines; value-sensitive design; editorial "
        "values; human oversight; accountability; public service media; trustworthy "
        "journalism; ethics review"
    ),
}

# The call's challenges and the topics each one invites.
CHALLENGES: dict[str, list[str]] = {
    "Research track: trustworthy AI for media": [
        "trustworthy-ai-robustness",
        "trustworthy-ai-explainability",
        "trustworthy-ai-fairness",
        "trustworthy-ai-privacy",
    ],
    "Research track: content-centred AI": [
        "computer-vision",
        "natural-language-processing",
        "multimodal-learning",
        "speech-and-audio-analysis",
        "music-information-retrieval",
    ],
    "Application track: countering disinformation": [
        "ai-against-disinformation",
        "synthetic-media-and-deepfake-detection",
        "content-verification-and-provenance",
    ],
    "Application track: newsrooms and archives": [
        "ai-for-news-research-and-production",
        "ai-for-audiovisual-archives",
        "recommender-systems",
        "media-accessibility",
    ],
    "Application track: creativity and games": [
        "ai-for-game-design",
        "human-machine-artistic-co-creation",
        "generative-ai",
    ],
    "Research track: efficient and decentralised AI": [
        "energy-efficient-ai",
        "federated-and-decentralised-learning",
    ],
    "Application track: policy and society": [
        "ai-act",
        "digital-services-act",
        "copyright-and-intellectual-property",
        "ethics-of-ai-in-the-media",
        "ai-for-social-science-research",
        "ai-for-media-moderation",
    ],
}

GENERIC = " ".join(
    "we propose a novel approach that will be validated with media partners in a pilot "
    "the project develops an open source tool and evaluates it on real data from European "
    "media organisations our consortium has experience in research and innovation and will "
    "deliver a prototype a dataset and a public demonstrator within the project duration "
    "the expected impact includes better services for citizens journalists and creators "
    "we will disseminate results through publications workshops and the network"
).split(" ")

CV_OPENINGS = [
    "Professor of computer science with twenty years of research on",
    "Senior researcher at a national research centre working on",
    "Independent consultant advising broadcasters and publishers on",
    "Associate professor leading a group on",
    "Head of innovation at a public service media organisation, focused on",
    "Postdoctoral researcher and former journalist specialising in",
    "Industry expert and startup founder building products for",
    "Policy analyst and lawyer experienced in",
]


def _phrases(rng: random.Random, topics: list[str], count: int, focus: float) -> list[str]:
    # Most phrases come from the first (main) topic, the rest from the others.
    picked = []
    for _ in range(count):
        topic = topics[0] if len(topics) == 1 or rng.random() < focus else rng.choice(topics[1:])
        picked.append(rng.choice(TOPICS[topic]))
    return picked


def proposals(count: int, *, seed: int) -> list[ProposalText]:
    rng = random.Random(seed)
    result = []
    challenges = list(CHALLENGES)
    for number in range(1, count + 1):
        challenge = rng.choice(challenges)
        main = rng.choice(CHALLENGES[challenge])
        others = rng.sample([t for t in TOPICS if t != main], rng.randint(1, 2))
        topics = [main, *others]
        title_terms = _phrases(rng, topics, 3, 0.8)
        title = f"{title_terms[0].capitalize()} with {title_terms[1]} for {title_terms[2]}"
        sentences = []
        for _ in range(rng.randint(6, 9)):
            terms = _phrases(rng, topics, rng.randint(2, 3), 0.65)
            filler = " ".join(rng.sample(GENERIC, rng.randint(6, 10)))
            sentences.append(f"{filler} {' and '.join(terms)}.")
        result.append(
            ProposalText(
                id=number,
                title=title,
                abstract=" ".join(sentences),
                keywords=sorted(set(_phrases(rng, topics, rng.randint(3, 6), 0.6))),
                challenge=challenge,
                topics=topics,
            )
        )
    return result


def evaluators(count: int, *, seed: int) -> list[EvaluatorProfile]:
    rng = random.Random(seed)
    names = list(TOPICS)
    result = []
    for number in range(1, count + 1):
        topics = rng.sample(names, rng.randint(2, 4))
        areas = [topic.replace("-", " ") for topic in topics]
        keywords = sorted(set(_phrases(rng, topics, rng.randint(4, 8), 0.5)))
        cv_terms = _phrases(rng, topics, rng.randint(5, 9), 0.5)
        cv = (
            f"{rng.choice(CV_OPENINGS)} {cv_terms[0]}. Publications and projects on "
            f"{', '.join(cv_terms[1:-1])} and {cv_terms[-1]}. Evaluator for European "
            f"research programmes and reviewer for international conferences."
        )
        result.append(
            EvaluatorProfile(id=number, areas=areas, keywords=keywords, cv=cv, topics=topics)
        )
    return result


def random_conflicts(
    proposal_ids: list[int], evaluator_ids: list[int], *, share: float, seed: int
) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(p, e) for p in proposal_ids for e in evaluator_ids if rng.random() < share]


def scored_reviews(
    n_proposals: int, n_reviews: int, criteria: list[str], *, seed: int
) -> tuple[list[dict], list[dict]]:
    """Proposals (id, track, requested funding, submission time) and reviews (proposal,
    evaluator, half-point scores). Each proposal has a latent quality; each evaluator a
    harshness; scores are quality + harshness + noise, clipped to 0–5."""
    rng = random.Random(seed)
    start = datetime(2021, 12, 1, 9, 0, tzinfo=UTC)
    proposals = [
        {
            "id": number,
            "track": "research" if number % 2 else "application",
            "requested": Decimal(rng.randrange(20_000, 50_001, 500)),
            "submitted_at": start + timedelta(seconds=rng.randrange(0, 8 * 3600)),
            "quality": rng.uniform(1.5, 4.8),
        }
        for number in range(1, n_proposals + 1)
    ]
    n_evaluators = max(3, n_reviews // 20)
    harshness = [rng.gauss(0, 0.3) for _ in range(n_evaluators)]
    reviews = []
    # Every proposal gets three reviews; the rest are spread at random.
    slots = [p["id"] for p in proposals for _ in range(3)][:n_reviews]
    while len(slots) < n_reviews:
        slots.append(rng.randint(1, n_proposals))
    seen = set()
    for proposal_id in slots:
        quality = proposals[proposal_id - 1]["quality"]
        evaluator = rng.randrange(n_evaluators)
        while (proposal_id, evaluator) in seen:
            evaluator = rng.randrange(n_evaluators)
        seen.add((proposal_id, evaluator))
        scores = {}
        for criterion in criteria:
            raw = quality + harshness[evaluator] + rng.gauss(0, 0.45)
            scores[criterion] = Decimal(round(min(5.0, max(0.0, raw)) * 2)) / 2
        reviews.append({"proposal": proposal_id, "evaluator": evaluator + 1, "scores": scores})
    return proposals, reviews
