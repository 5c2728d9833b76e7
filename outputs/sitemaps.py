"""The research outputs in the site's sitemap (``/sitemap-outputs.xml``, listed by the core's
``/sitemap.xml``): every published record, never a draft or a tombstone."""

from django.contrib.sitemaps import Sitemap

from . import selectors


class OutputSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # Keyed by id so that pages of 50,000 stay stable while records are added.
        return selectors.published_outputs().order_by("pk").only("pk", "updated_at")

    def lastmod(self, output):
        return output.updated_at


SITEMAPS = {"outputs": OutputSitemap}
