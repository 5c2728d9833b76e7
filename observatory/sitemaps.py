"""The sitemap of the published pieces (``/observatory/sitemap.xml``)."""

from django.contrib.sitemaps import Sitemap

from . import selectors


class ContentSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            selectors.published_content().order_by("-published_at", "pk").only("slug", "updated_at")
        )

    def lastmod(self, item):
        return item.updated_at


# Joins the site's sitemap index (``core.sitemaps``) as ``/sitemap-observatory.xml``.
SITEMAPS = {"observatory": ContentSitemap}
