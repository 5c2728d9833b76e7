"""Reference rows the portal cannot work without: the role groups and the topic vocabulary.

Data migrations create them; `post_migrate` makes sure they exist again after a database
flush (as Django does for sites and permissions), e.g. between transactional tests.
"""

from django.utils.text import slugify

from .roles import Role

TOPICS = {
    "research": [
        "New machine-learning paradigms and AI at the edge",
        "Trustworthy AI: robustness",
        "Trustworthy AI: explainability",
        "Trustworthy AI: fairness",
        "Trustworthy AI: privacy",
        "Content-centred AI",
        "Human- and society-centred AI",
    ],
    "use-case": [
        "AI against disinformation",
        "AI for news research and production",
        "AI for media moderation",
        "AI for audiovisual archives",
        "AI for game design",
        "Human-machine artistic co-creation",
        "AI for social-science research",
    ],
    "media-ai": [
        "Recommender systems",
        "Synthetic media and deepfake detection",
        "Natural language processing",
        "Computer vision",
        "Speech and audio analysis",
        "Music information retrieval",
        "Multimodal learning",
        "Generative AI",
        "Federated and decentralised learning",
        "Content verification and provenance",
        "Media accessibility",
        "Energy-efficient AI",
    ],
    "policy": [
        "AI Act",
        "Digital Services Act",
        "Digital Markets Act",
        "Data Governance Act",
        "Data Act",
        "Copyright and intellectual property",
        "Ethics of AI in the media",
    ],
}


def ensure_reference_rows(**kwargs) -> None:
    from django.contrib.auth.models import Group

    from .models import Topic

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    for group, names in TOPICS.items():
        for name in names:
            Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name, "group": group})
