"""The site's one sitemap index, ``/sitemap.xml``, gathered from the pillars.

A pillar lists its public pages by defining ``<app>/sitemaps.py`` with ``SITEMAPS``, a dict
of section name → ``django.contrib.sitemaps.Sitemap`` class. The index links one sitemap per
section (``/sitemap-<section>.xml``, paged past 50,000 URLs); search engines are told of
the index only, so a new pillar's pages are found without touching the core.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.views.decorators.http import require_safe

from .pillars import pillar_modules


def collect_sitemaps() -> dict[str, type[Sitemap]]:
    """Every pillar's ``sitemaps.SITEMAPS``, in the order of the pillars. Two pillars naming
    the same section is a configuration error."""
    sections: dict[str, type[Sitemap]] = {}
    for _label, module in pillar_modules("sitemaps"):
        for name, sitemap in getattr(module, "SITEMAPS", {}).items():
            if name in sections:
                raise ImproperlyConfigured(f"Two pillars define the sitemap section {name!r}.")
            sections[name] = sitemap
    return sections


@require_safe
def index(request):
    """``/sitemap.xml``: the index of the pillars' sitemaps."""
    return sitemap_views.index(request, collect_sitemaps(), sitemap_url_name="sitemap-section")


@require_safe
def section(request, section: str):
    """``/sitemap-<section>.xml``: one pillar's public pages (``?p=`` pages past 50,000)."""
    sitemaps = collect_sitemaps()
    if section not in sitemaps:
        raise Http404
    return sitemap_views.sitemap(request, sitemaps, section=section)
