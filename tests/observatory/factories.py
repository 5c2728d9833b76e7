"""Factories of the Observatory's tests."""

from datetime import timedelta

import factory
import reversion
from django.utils import timezone

from observatory.enums import ContentKind, ContentStatus
from observatory.models import ContentAuthor, ContentItem, EditorialTopic
from tests.factories import UserFactory


def topic(slug: str = "policy-legislation") -> EditorialTopic:
    """One of the five editorial topics the app keeps in the database."""
    return EditorialTopic.objects.get(slug=slug)


class ContentItemFactory(factory.django.DjangoModelFactory):
    """A piece in ``status`` (default draft), with its author credited and one revision, as
    the services leave it. Published pieces have a publication time; scheduled ones a go-live
    time an hour ahead."""

    class Meta:
        model = ContentItem
        skip_postgeneration_save = True

    kind = ContentKind.ANALYSIS
    title = factory.Sequence(lambda n: f"Deepfakes and newsrooms, part {n}")
    slug = factory.Sequence(lambda n: f"deepfakes-and-newsrooms-{n}")
    standfirst = "How newsrooms verify synthetic media."
    body = "## Verification\n\nNewsrooms compare **provenance** signals."
    body_html = (
        "<h2>Verification</h2>\n<p>Newsrooms compare <strong>provenance</strong> signals.</p>"
    )
    created_by = factory.SubFactory(UserFactory)
    status = ContentStatus.DRAFT

    @factory.lazy_attribute
    def published_at(self):
        if self.status in (ContentStatus.PUBLISHED, ContentStatus.UNPUBLISHED):
            return timezone.now() - timedelta(days=1)
        return None

    @factory.lazy_attribute
    def go_live_at(self):
        if self.status == ContentStatus.SCHEDULED:
            return timezone.now() + timedelta(hours=1)
        return None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with reversion.create_revision():
            item = super()._create(model_class, *args, **kwargs)
            reversion.set_comment("Created")
        ContentAuthor.objects.create(item=item, user=item.created_by, position=0)
        return item

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
