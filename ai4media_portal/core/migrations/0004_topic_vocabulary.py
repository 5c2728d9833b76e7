"""The starting vocabulary of media-AI topics (the network's research areas, use cases,
recurring topics and the policy it follows). Editors extend it in the admin."""

from django.db import migrations
from django.utils.text import slugify

VOCABULARY = {
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


def add_vocabulary(apps, schema_editor):
    Topic = apps.get_model("core", "Topic")
    for group, names in VOCABULARY.items():
        for name in names:
            Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name, "group": group})


def remove_vocabulary(apps, schema_editor):
    slugs = [slugify(name) for names in VOCABULARY.values() for name in names]
    apps.get_model("core", "Topic").objects.filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_topic")]

    operations = [migrations.RunPython(add_vocabulary, remove_vocabulary)]
