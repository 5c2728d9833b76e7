"""RSS and Atom feeds of the published pieces (Django's syndication framework), all of them or
one topic's. Built on ``selectors.published_content()`` like every public surface."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import EditorialTopic

FEED_SIZE = 30


class ContentFeed(Feed):
    """The latest published pieces, newest first (RSS 2.0)."""

    def get_object(self, request, topic=None):
        if topic is None:
            return None
        found = EditorialTopic.objects.filter(slug=topic).first()
        if found is None:
            raise Http404
        return found

    def title(self, obj):
        name = _("European AI Media Observatory")
        return f"{name}: {obj.name}" if obj else name

    def link(self, obj):
        url = reverse("observatory:list")
        return f"{url}?topic={obj.slug}" if obj else url

    def description(self, obj):
        return _("Curated research, analyses and expert perspectives on AI and the media.")

    def items(self, obj):
        queryset = selectors.with_list_relations(selectors.published_content())
        if obj is not None:
            queryset = queryset.filter(topics=obj)
        return queryset.select_related("created_by").order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(credit.name for credit in item.credits.all()) or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()] + [tag.name for tag in item.tags.all()]


class AtomContentFeed(ContentFeed):
    """The same as Atom 1.0."""

    feed_type = Atom1Feed
    subtitle = ContentFeed.description
