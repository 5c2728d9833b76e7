"""Demo data for the Observatory: an editorial board, some 40 pieces in every state across
the five topics and every kind, with real revisions and editorial histories (everything goes
through the services), and a few pieces scheduled to go live in the next minutes so that the
beat task can be seen at work."""

from datetime import date, timedelta

from django.utils.text import slugify

from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.roles import Role
from network.selectors import member_organisations
from outputs.selectors import published_outputs

from . import services
from .enums import ContentKind, ContentStatus, ExpertStatus
from .models import ContentItem, ContentProposal, EditorialTopic, Expert, Regulation
from .validators import orcid_check_digit

DEMO_VERSION = 5

# (name, headline, country, expertise, topic slugs, languages, available for)
EXPERTS = [
    (
        "Ioanna Papadaki",
        "Media forensics researcher",
        "GR",
        ["deepfake detection", "image forensics"],
        ["ai-technologies-for-media"],
        ["en", "el"],
        ["interviews", "talks"],
    ),
    (
        "Lukas Brenner",
        "Professor of media law",
        "DE",
        ["AI Act", "platform regulation"],
        ["policy-legislation"],
        ["en", "de"],
        ["interviews", "consulting"],
    ),
    (
        "Chloé Marchand",
        "Newsroom innovation lead",
        "FR",
        ["newsroom automation", "editorial AI policies"],
        ["media-industry-business"],
        ["en", "fr"],
        ["talks", "collaboration"],
    ),
    (
        "Marta Vidal",
        "Speech technology engineer",
        "ES",
        ["speech recognition", "subtitling"],
        ["ai-technologies-for-media"],
        ["en", "es"],
        ["collaboration"],
    ),
    (
        "Giulia Romano",
        "Researcher in AI ethics",
        "IT",
        ["fairness", "recommender audits"],
        ["social-ethical-ai"],
        ["en", "it"],
        ["interviews", "talks"],
    ),
    (
        "Pieter de Vries",
        "Data journalist",
        "NL",
        ["data journalism", "verification"],
        ["media-industry-business"],
        ["en", "nl"],
        ["interviews"],
    ),
    (
        "Aoife Byrne",
        "Human-computer interaction researcher",
        "IE",
        ["explainability", "user studies"],
        ["research-innovation"],
        ["en"],
        ["collaboration", "talks"],
    ),
    (
        "Katarzyna Nowak",
        "Policy analyst, digital markets",
        "PL",
        ["DMA", "competition"],
        ["policy-legislation"],
        ["en", "pl"],
        ["consulting", "interviews"],
    ),
    (
        "João Ferreira",
        "Archive technologist at a broadcaster",
        "PT",
        ["audiovisual archives", "metadata"],
        ["ai-technologies-for-media"],
        ["en", "pt"],
        ["collaboration"],
    ),
    (
        "Sofie Janssens",
        "Media literacy educator",
        "BE",
        ["media literacy", "young audiences"],
        ["social-ethical-ai"],
        ["en", "nl", "fr"],
        ["talks"],
    ),
    (
        "Mikkel Sørensen",
        "Public service media strategist",
        "DK",
        ["public service media", "recommenders"],
        ["media-industry-business"],
        ["en"],
        ["talks", "consulting"],
    ),
    (
        "Eleni Georgiou",
        "Computational linguist",
        "CY",
        ["multilingual NLP", "claim matching"],
        ["research-innovation"],
        ["en", "el"],
        ["collaboration"],
    ),
    (
        "Tomáš Dvořák",
        "Computer vision researcher",
        "CZ",
        ["robustness", "video analysis"],
        ["research-innovation"],
        ["en"],
        ["collaboration"],
    ),
    (
        "Ana Popescu",
        "Disinformation researcher",
        "RO",
        ["disinformation", "elections"],
        ["social-ethical-ai"],
        ["en"],
        ["interviews", "talks"],
    ),
    (
        "Henrik Lindqvist",
        "Music information retrieval researcher",
        "FI",
        ["music AI", "co-creation"],
        ["research-innovation"],
        ["en"],
        ["collaboration"],
    ),
    (
        "Clara Hofer",
        "Start-up founder, synthetic media",
        "AT",
        ["generative video", "provenance"],
        ["ai-technologies-for-media"],
        ["en", "de"],
        ["interviews", "consulting"],
    ),
    (
        "Owen Hughes",
        "Editor, AI and society desk",
        "GB",
        ["AI reporting", "explainers"],
        ["media-industry-business"],
        ["en"],
        ["interviews"],
    ),
    (
        "Nathalie Perrin",
        "Copyright lawyer",
        "FR",
        ["copyright", "text and data mining"],
        ["policy-legislation"],
        ["en", "fr"],
        ["consulting", "talks"],
    ),
    (
        "Stefan Keller",
        "Privacy engineer",
        "CH",
        ["federated learning", "privacy"],
        ["ai-technologies-for-media"],
        ["en", "de"],
        ["collaboration"],
    ),
    (
        "Laura Conti",
        "Audience researcher",
        "IT",
        ["trust in news", "surveys"],
        ["social-ethical-ai"],
        ["en", "it"],
        ["interviews", "collaboration"],
    ),
    (
        "Daniel Weiss",
        "Energy-efficient AI researcher",
        "DE",
        ["green AI", "model compression"],
        ["research-innovation"],
        ["en", "de"],
        ["talks"],
    ),
    (
        "Maria Lopes",
        "Fact-checking coordinator",
        "PT",
        ["fact-checking", "synthetic audio"],
        ["social-ethical-ai"],
        ["en", "pt"],
        ["interviews"],
    ),
]

EURLEX = "https://eur-lex.europa.eu/eli/reg/{year}/{number}/oj"
# (short name, title, slug, CELEX, OJ reference, year, number, status, status as of,
#  [(date, what, kind)])
REGULATIONS = [
    (
        "AI Act",
        "Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence",
        "ai-act",
        "32024R1689",
        "OJ L, 2024/1689, 12.7.2024",
        2024,
        1689,
        "in-force",
        date(2025, 8, 2),
        [
            (date(2021, 4, 21), "The Commission proposes the regulation", "step"),
            (date(2023, 12, 8), "Political agreement of Parliament and Council", "step"),
            (date(2024, 3, 13), "The European Parliament adopts its position", "step"),
            (date(2024, 5, 21), "The Council adopts the regulation", "step"),
            (date(2024, 7, 12), "Published in the Official Journal", "step"),
            (date(2024, 8, 1), "Enters into force", "step"),
            (date(2025, 2, 2), "Prohibited practices and AI literacy apply", "application"),
            (
                date(2025, 8, 2),
                "General-purpose AI obligations and governance apply",
                "application",
            ),
            (
                date(2025, 11, 19),
                "Digital omnibus: the Commission proposes to tie high-risk rules to standards",
                "proposed-change",
            ),
            (date(2026, 8, 2), "Most rules apply, including transparency duties", "application"),
            (date(2027, 8, 2), "High-risk rules for products under Annex I apply", "application"),
        ],
    ),
    (
        "DSA",
        "Regulation (EU) 2022/2065 on a Single Market For Digital Services (Digital Services Act)",
        "dsa",
        "32022R2065",
        "OJ L 277, 27.10.2022",
        2022,
        2065,
        "applicable",
        date(2024, 2, 17),
        [
            (date(2020, 12, 15), "The Commission proposes the regulation", "step"),
            (date(2022, 10, 27), "Published in the Official Journal", "step"),
            (date(2022, 11, 16), "Enters into force", "step"),
            (date(2023, 4, 25), "First very large online platforms designated", "step"),
            (date(2023, 8, 25), "Obligations of very large platforms apply", "application"),
            (date(2024, 2, 17), "Applies to all intermediary services", "application"),
        ],
    ),
    (
        "DMA",
        "Regulation (EU) 2022/1925 on contestable and fair markets in the digital sector "
        "(Digital Markets Act)",
        "dma",
        "32022R1925",
        "OJ L 265, 12.10.2022",
        2022,
        1925,
        "applicable",
        date(2024, 3, 7),
        [
            (date(2020, 12, 15), "The Commission proposes the regulation", "step"),
            (date(2022, 11, 1), "Enters into force", "step"),
            (date(2023, 5, 2), "Applies", "application"),
            (date(2023, 9, 6), "First gatekeepers designated", "step"),
            (date(2024, 3, 7), "Gatekeepers must comply", "application"),
        ],
    ),
    (
        "DGA",
        "Regulation (EU) 2022/868 on European data governance (Data Governance Act)",
        "dga",
        "32022R0868",
        "OJ L 152, 3.6.2022",
        2022,
        868,
        "applicable",
        date(2023, 9, 24),
        [
            (date(2020, 11, 25), "The Commission proposes the regulation", "step"),
            (date(2022, 6, 23), "Enters into force", "step"),
            (date(2023, 9, 24), "Applies", "application"),
        ],
    ),
    (
        "Data Act",
        "Regulation (EU) 2023/2854 on harmonised rules on fair access to and use of data "
        "(Data Act)",
        "data-act",
        "32023R2854",
        "OJ L, 2023/2854, 22.12.2023",
        2023,
        2854,
        "in-force",
        date(2025, 9, 12),
        [
            (date(2022, 2, 23), "The Commission proposes the regulation", "step"),
            (date(2024, 1, 11), "Enters into force", "step"),
            (date(2025, 9, 12), "Applies", "application"),
            (date(2026, 9, 12), "Design duties for connected products apply", "application"),
        ],
    ),
    (
        "EMFA",
        "Regulation (EU) 2024/1083 establishing a common framework for media services in the "
        "internal market (European Media Freedom Act)",
        "emfa",
        "32024R1083",
        "OJ L, 2024/1083, 17.4.2024",
        2024,
        1083,
        "applicable",
        date(2025, 8, 8),
        [
            (date(2022, 9, 16), "The Commission proposes the regulation", "step"),
            (date(2024, 5, 7), "Enters into force", "step"),
            (date(2025, 2, 8), "The European Board for Media Services starts work", "step"),
            (date(2025, 8, 8), "Applies in full", "application"),
        ],
    ),
]

# (title, summary, link, topic slug, fit, decision)
PROPOSALS = [
    (
        "A field study of AI-generated weather reports",
        "Three regional broadcasters tried automatically written weather bulletins for a year.",
        "https://research.example.org/weather-bulletins",
        "media-industry-business",
        "Evidence from newsrooms on automation, not a technical paper.",
        "",
    ),
    (
        "The EMFA's safeguards against platform takedowns of media content",
        "A legal analysis of Article 18 and what it means for moderation systems.",
        "https://law.example.eu/emfa-article-18",
        "policy-legislation",
        "Policy analysis for the media sector.",
        "",
    ),
    (
        "Interview with a fact-checker on synthetic audio",
        "A fact-checking lead on how voice clones reached their desk during elections.",
        "https://video.example.org/fact-checker-audio",
        "social-ethical-ai",
        "Would suit the video series.",
        "accept",
    ),
    (
        "A new loss function for image segmentation",
        "We propose a loss that improves segmentation benchmarks by 0.4 points.",
        "https://arxiv.example.org/abs/0000.00000",
        "research-innovation",
        "It is AI research.",
        "decline",
    ),
]

K = ContentKind
# (title, kind, topic slug, tags)
PIECES = [
    (
        "The AI Act's transparency duties, explained for newsrooms",
        K.POLICY_ANALYSIS,
        "policy-legislation",
        ["AI Act", "transparency"],
    ),
    (
        "What the Digital Services Act asks of recommender systems",
        K.POLICY_ANALYSIS,
        "policy-legislation",
        ["DSA", "recommenders"],
    ),
    (
        "The European Media Freedom Act and automated moderation",
        K.ANALYSIS,
        "policy-legislation",
        ["EMFA", "moderation"],
    ),
    (
        "Copyright, training data and the text-and-data-mining exception",
        K.ANALYSIS,
        "policy-legislation",
        ["copyright"],
    ),
    (
        "Labelling synthetic content: a comparison of national approaches",
        K.REPORT,
        "policy-legislation",
        ["labelling", "AI Act"],
    ),
    (
        "Codes of practice for general-purpose AI: what media should watch",
        K.NEWS,
        "policy-legislation",
        ["GPAI"],
    ),
    (
        "Data Act and broadcasters' archives",
        K.EXPERT_PERSPECTIVE,
        "policy-legislation",
        ["Data Act", "archives"],
    ),
    (
        "Hearing on AI in elections: the observatory's submission",
        K.EVENT,
        "policy-legislation",
        ["elections"],
    ),
    (
        "Fairness audits of news recommenders",
        K.RESEARCH_SUMMARY,
        "social-ethical-ai",
        ["fairness", "recommenders"],
    ),
    (
        "Who is accountable when a newsroom's AI gets it wrong?",
        K.EXPERT_PERSPECTIVE,
        "social-ethical-ai",
        ["accountability"],
    ),
    (
        "Public attitudes to AI-written news across twelve countries",
        K.REPORT,
        "social-ethical-ai",
        ["audiences", "trust"],
    ),
    ("Deepfakes and the liar's dividend", K.ANALYSIS, "social-ethical-ai", ["deepfakes"]),
    (
        "Bias in speech recognition for regional accents",
        K.RESEARCH_SUMMARY,
        "social-ethical-ai",
        ["speech", "bias"],
    ),
    (
        "Let's Talk AI and Media: ethics boards in public broadcasting",
        K.INTERVIEW_VIDEO,
        "social-ethical-ai",
        ["public service media"],
    ),
    ("Children, AI companions and media literacy", K.NEWS, "social-ethical-ai", ["media literacy"]),
    (
        "Explainable moderation decisions users can understand",
        K.RESEARCH_SUMMARY,
        "social-ethical-ai",
        ["explainability", "moderation"],
    ),
    (
        "Detecting face-swap videos with frequency artefacts",
        K.RESEARCH_SUMMARY,
        "ai-technologies-for-media",
        ["deepfakes", "computer vision"],
    ),
    (
        "Provenance signatures for news photos in practice",
        K.ANALYSIS,
        "ai-technologies-for-media",
        ["provenance", "C2PA"],
    ),
    (
        "Automatic subtitling for small languages",
        K.NEWS,
        "ai-technologies-for-media",
        ["accessibility", "speech"],
    ),
    (
        "Let's Talk AI and Media: generative video in the newsroom",
        K.INTERVIEW_VIDEO,
        "ai-technologies-for-media",
        ["generative AI", "video"],
    ),
    (
        "Energy cost of running large models in a broadcaster's cloud",
        K.ANALYSIS,
        "ai-technologies-for-media",
        ["energy"],
    ),
    (
        "Music information retrieval for archive search",
        K.RESEARCH_SUMMARY,
        "ai-technologies-for-media",
        ["music", "archives"],
    ),
    (
        "Claim matching across languages for fact-checkers",
        K.RESEARCH_SUMMARY,
        "ai-technologies-for-media",
        ["fact-checking", "NLP"],
    ),
    (
        "Federated learning on audience data without moving it",
        K.EXPERT_PERSPECTIVE,
        "ai-technologies-for-media",
        ["privacy", "federated learning"],
    ),
    (
        "How regional newspapers use AI for local election coverage",
        K.ANALYSIS,
        "media-industry-business",
        ["local news", "elections"],
    ),
    (
        "Licensing deals between publishers and AI companies",
        K.NEWS,
        "media-industry-business",
        ["licensing"],
    ),
    (
        "The cost of verification: a survey of European fact-checkers",
        K.REPORT,
        "media-industry-business",
        ["fact-checking"],
    ),
    (
        "Let's Talk AI and Media: start-ups building for newsrooms",
        K.INTERVIEW_VIDEO,
        "media-industry-business",
        ["start-ups"],
    ),
    (
        "Search traffic after AI overviews: early numbers",
        K.ANALYSIS,
        "media-industry-business",
        ["search", "traffic"],
    ),
    (
        "Automated sports reports: what audiences accept",
        K.RESEARCH_SUMMARY,
        "media-industry-business",
        ["automation"],
    ),
    ("Newsroom AI guidelines compared", K.REPORT, "media-industry-business", ["guidelines"]),
    (
        "Media innovation day: AI tools for small publishers",
        K.EVENT,
        "media-industry-business",
        ["events"],
    ),
    (
        "Benchmarks for disinformation detection are too easy",
        K.EXPERT_PERSPECTIVE,
        "research-innovation",
        ["benchmarks", "disinformation"],
    ),
    (
        "Open datasets for multimodal misinformation research",
        K.RESEARCH_SUMMARY,
        "research-innovation",
        ["datasets"],
    ),
    (
        "What the AI4Media open calls funded, and what came of it",
        K.REPORT,
        "research-innovation",
        ["open calls"],
    ),
    (
        "Human-machine co-creation in music production",
        K.RESEARCH_SUMMARY,
        "research-innovation",
        ["co-creation", "music"],
    ),
    (
        "Robustness of image classifiers to everyday edits",
        K.RESEARCH_SUMMARY,
        "research-innovation",
        ["robustness"],
    ),
    (
        "Let's Talk AI and Media: researchers and journalists together",
        K.INTERVIEW_VIDEO,
        "research-innovation",
        ["collaboration"],
    ),
    ("Summer school on trustworthy AI for media", K.EVENT, "research-innovation", ["education"]),
    (
        "Synthetic voices and consent: a research agenda",
        K.EXPERT_PERSPECTIVE,
        "research-innovation",
        ["voice cloning"],
    ),
    (
        "Measuring diversity in news recommendations",
        K.ANALYSIS,
        "research-innovation",
        ["diversity", "recommenders"],
    ),
    (
        "Watermarks that survive re-encoding",
        K.RESEARCH_SUMMARY,
        "research-innovation",
        ["watermarking"],
    ),
]
del K

S = ContentStatus
# The states the pieces end in, in turn; most are published.
STATES = [
    S.PUBLISHED,
    S.PUBLISHED,
    S.DRAFT,
    S.PUBLISHED,
    S.IN_REVIEW,
    S.PUBLISHED,
    S.CHANGES_REQUESTED,
    S.APPROVED,
    S.PUBLISHED,
    S.SCHEDULED,
    S.UNPUBLISHED,
    S.PUBLISHED,
    S.ARCHIVED,
]

BODY = """## Why it matters

{standfirst} This piece looks at what changed, who is affected and what the evidence says.

## What we found

- Newsrooms and platforms face the question in different ways.
- The research is young, but the first results are consistent.
- Policy is catching up, unevenly across Europe.

> "The tools are moving faster than the rules," one editor told us.

## What to read next

See the [AI4Media project](https://www.ai4media.eu/) for the research behind this piece.
"""


def _demo_video(number: int) -> str:
    """The series' demo links: most play in the click-to-load player (Vimeo's own public
    demonstration video), some stay plain links to another platform."""
    if number % 3 == 2:
        return "https://video.example.org/lets-talk"
    return "https://vimeo.com/76979871"


def _path(target: ContentStatus) -> list[ContentStatus]:
    """The moves that take a new draft to ``target``."""
    to_approved = [S.IN_REVIEW, S.APPROVED]
    return {
        S.DRAFT: [],
        S.IN_REVIEW: [S.IN_REVIEW],
        S.CHANGES_REQUESTED: [S.IN_REVIEW, S.CHANGES_REQUESTED],
        S.APPROVED: to_approved,
        S.SCHEDULED: [*to_approved, S.SCHEDULED],
        S.PUBLISHED: [*to_approved, S.PUBLISHED],
        S.UNPUBLISHED: [*to_approved, S.PUBLISHED, S.UNPUBLISHED],
        S.ARCHIVED: [*to_approved, S.PUBLISHED, S.ARCHIVED],
    }[target]


def _seed_regulations(chief) -> dict[str, Regulation]:
    """The tracked regulations with their real milestones, by short name."""
    found = {}
    for short, name, slug, celex, oj, year, number, status, as_of, steps in REGULATIONS:
        regulation = Regulation.objects.filter(slug=slug).first()
        if regulation is None:
            url = EURLEX.format(year=year, number=number)
            regulation = services.regulation_save(
                actor=chief,
                data={
                    "short_name": short,
                    "name": name,
                    "slug": slug,
                    "celex": celex,
                    "oj_reference": oj,
                    "official_url": url,
                    "status": status,
                    "status_as_of": as_of,
                    "summary": name + ".",
                },
            )
            for when, what, kind in steps:
                services.milestone_add(
                    actor=chief,
                    regulation=regulation,
                    data={"date": when, "title": what, "kind": kind, "source_url": url},
                )
        found[short] = regulation
    return found


def seed(ctx) -> None:
    """The demo goes through the real services, which queue the workflow's emails (review
    requests, approvals, proposal replies ...). Those to the demo accounts are dropped from
    the outbox before the seeding transaction commits, so none is handed to the worker and
    `make run`'s console shows the portal, not a hundred made-up emails."""
    last_before = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
    _seed(ctx)
    OutboundEmail.objects.filter(
        pk__gt=last_before or 0, template__startswith="observatory/"
    ).delete()


def _seed(ctx) -> None:
    chief = ctx.demo_user("chief", "Clara Chief", roles=[Role.EDITOR_IN_CHIEF])
    editors = [
        ctx.demo_user("editor", "Elias Editor", roles=[Role.OBSERVATORY_EDITOR]),
        ctx.demo_user("editor2", "Eva Editora", roles=[Role.OBSERVATORY_EDITOR]),
    ]
    contributors = [
        ctx.demo_user("contributor", "Carlos Contributor"),
        ctx.demo_user("writer", "Wiebke Writer"),
        ctx.demo_user("member", "Maria Member"),
    ]
    topics = {topic.slug: topic for topic in EditorialTopic.objects.all()}
    regulations = _seed_regulations(chief)
    scheduled = 0
    for number, (title, kind, topic, tags) in enumerate(PIECES):
        slug = slugify(title)[:100]
        if ContentItem.objects.filter(slug=slug).exists():
            continue
        author = contributors[number % len(contributors)]
        editor = editors[number % len(editors)]
        target = STATES[number % len(STATES)]
        standfirst = f"{title}: the main points for people working in European media."
        item = services.content_create(
            actor=author,
            data={
                "kind": kind,
                "title": title,
                "slug": slug,
                "standfirst": standfirst,
                "body": BODY.format(standfirst=standfirst),
                "language": "en",
                "featured": number in (0, 8, 16),
                "video_url": _demo_video(number) if kind == ContentKind.INTERVIEW_VIDEO else "",
            },
            topics=[topics[topic]],
            tag_names=tags,
            regulations=[regulations[name] for name in tags if name in regulations],
        )
        for step in _path(target):
            if step == S.IN_REVIEW:
                # A second revision, by the editor, before the review.
                services.content_update(
                    item=item,
                    actor=editor,
                    data={"standfirst": standfirst.replace("main points", "key points")},
                    comment="Tightened the standfirst",
                )
                item = services.content_transition(item=item, actor=author, target=step)
            elif step == S.CHANGES_REQUESTED:
                item = services.content_transition(
                    item=item,
                    actor=editor,
                    target=step,
                    message="Please add a source for the survey figures and shorten the intro.",
                )
            elif step == S.APPROVED:
                item = services.content_transition(item=item, actor=editor, target=step)
            elif step == S.SCHEDULED:
                scheduled += 1
                item = services.content_transition(
                    item=item,
                    actor=chief,
                    target=step,
                    go_live_at=ctx.now + timedelta(minutes=2 + 3 * scheduled),
                )
            else:
                item = services.content_transition(item=item, actor=chief, target=step)
        if item.published_at is not None:
            # Spread the publication dates over the past months.
            ContentItem.objects.filter(pk=item.pk).update(
                published_at=ctx.now - timedelta(days=3 * number + 1)
            )
    proposers = [*contributors, ctx.demo_user("reader", "Rita Reader")]
    for number, (title, summary, link, topic, fit, decision) in enumerate(PROPOSALS):
        if ContentProposal.objects.filter(title=title).exists():
            continue
        proposal = services.proposal_submit(
            actor=proposers[number % len(proposers)],
            data={
                "title": title,
                "summary": summary,
                "link": link,
                "topic": topics[topic],
                "fit": fit,
            },
        )
        if decision == "accept":
            services.proposal_accept(proposal=proposal, actor=chief, editor=editors[0])
        elif decision == "decline":
            services.proposal_decline(
                proposal=proposal,
                actor=editors[1],
                reply="Thank you. Purely technical papers are outside the Observatory's scope.",
            )
    _seed_experts(ctx, chief, editors[0], topics)
    _credit_experts(editors[0])
    _relate_outputs(editors[1])


def _relate_outputs(editor) -> None:
    """Research summaries and reports point to records of the public Outputs catalogue."""
    outputs = list(
        published_outputs().order_by("-date_year", "-pk").values_list("pk", flat=True)[:30]
    )
    pieces = (
        ContentItem.objects.filter(kind__in=[ContentKind.RESEARCH_SUMMARY, ContentKind.REPORT])
        .exclude(status=S.ARCHIVED)
        .filter(related_outputs__isnull=True)
        .order_by("pk")
    )
    for number, item in enumerate(pieces):
        if len(outputs) < 2:
            return
        chosen = [outputs[(2 * number) % len(outputs)], outputs[(2 * number + 1) % len(outputs)]]
        services.content_update(
            item=item,
            actor=editor,
            data={},
            related_outputs=chosen,
            comment="Linked the research outputs it summarises",
        )


def _credit_experts(editor) -> None:
    """Experts of the directory sign the perspectives, interviews and analyses that are not
    archived, beside the contributor who drafted them (their profiles list these pieces)."""
    experts = list(Expert.objects.filter(status=ExpertStatus.APPROVED, hidden=False)[:8])
    pieces = (
        ContentItem.objects.filter(
            kind__in=[
                ContentKind.EXPERT_PERSPECTIVE,
                ContentKind.INTERVIEW_VIDEO,
                ContentKind.ANALYSIS,
            ]
        )
        .exclude(status=S.ARCHIVED)
        .exclude(credits__expert__isnull=False)
        .select_related("created_by")
        .order_by("pk")
    )
    for number, item in enumerate(pieces):
        if not experts:
            return
        services.content_update(
            item=item,
            actor=editor,
            data={},
            authors=[experts[number % len(experts)], item.created_by],
            comment="Credited the expert",
        )


def _seed_experts(ctx, chief, editor, topics) -> None:
    """22 experts: most made by editors and approved, some self-service with an account,
    one waiting for approval and one hidden by its owner."""
    organisations = list(member_organisations().order_by("name")[:12])
    for number, (
        name,
        headline,
        country,
        expertise,
        topic_slugs,
        languages,
        available,
    ) in enumerate(EXPERTS):
        if Expert.objects.filter(name=name).exists():
            continue
        base = f"000000021{number:06d}"
        data = {
            "name": name,
            "headline": headline,
            "bio": f"{name} works on {', '.join(expertise)} and speaks about it often.",
            "organisation": organisations[number % len(organisations)]
            if organisations and number % 3
            else None,
            "organisation_name": "" if number % 3 else "Independent",
            "country": country,
            "expertise": expertise,
            "languages": languages,
            "available_for": available,
            "orcid": "-".join(
                [base[0:4], base[4:8], base[8:12], base[12:15] + orcid_check_digit(base)]
            ),
            "website": f"https://experts.example.org/{number}",
            "accepts_contact": number != 5,
        }
        self_service = number % 4 == 0
        if self_service:
            local = name.lower().split()[0]
            owner = ctx.demo_user(f"expert.{local}", name)
            expert = services.expert_create(
                actor=owner,
                data=data,
                topics=[topics[slug] for slug in topic_slugs],
                for_self=True,
            )
        else:
            owner = None
            expert = services.expert_create(
                actor=editor,
                data={**data, "contact_email": f"expert{number}@experts.example.org"},
                topics=[topics[slug] for slug in topic_slugs],
                for_self=False,
            )
        if number != 20:  # one stays waiting for approval
            services.expert_approve(expert=expert, actor=chief)
        if number == 8 and owner is not None:
            services.expert_set_hidden(expert=expert, actor=owner, hidden=True)
        if number == 4 and owner is not None:
            # An edit of an approved profile, waiting in the editors' queue.
            services.expert_update(
                expert=expert,
                actor=owner,
                data={"headline": f"{headline}; now also advising newsrooms"},
            )
