from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_editorial_topics(**kwargs) -> None:
    """The five editorial topics exist (again after a database flush, as the core's
    reference rows do); editors' renames are kept."""
    from .models import EDITORIAL_TOPICS, EditorialTopic

    for position, (slug, name) in enumerate(EDITORIAL_TOPICS):
        EditorialTopic.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )


class ObservatoryConfig(AppConfig):
    name = "observatory"
    verbose_name = _("Observatory")

    def ready(self) -> None:
        import reversion

        from ai4media_portal.core.status import Tone, register_tones

        from .enums import ContentStatus
        from .models import ContentItem

        # Revisions keep the text, the image and the vocabularies, not the workflow's fields:
        # a state change is not an edit (it has its own history).
        if not reversion.is_registered(ContentItem):
            reversion.register(
                ContentItem,
                fields=[
                    *ContentItem.EDITABLE_FIELDS,
                    "hero_image",
                    "topics",
                    "tags",
                    "regulations",
                    "related_items",
                    "related_organisations",
                    "related_outputs",
                ],
            )
        register_tones(
            {
                ContentStatus.IN_REVIEW: Tone.PROGRESS,
                ContentStatus.SCHEDULED: Tone.PROGRESS,
                ContentStatus.UNPUBLISHED: Tone.NEUTRAL,
                ContentStatus.ARCHIVED: Tone.NEUTRAL,
            }
        )
        post_migrate.connect(ensure_editorial_topics, sender=self)
