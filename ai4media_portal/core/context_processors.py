from django.conf import settings
from django.urls import reverse

from .navigation import PILLARS


def portal(request):
    path = request.path
    nav = []
    for pillar in PILLARS:
        url = reverse(pillar.url_name)
        nav.append({"pillar": pillar, "url": url, "active": path.startswith(url)})
    return {
        "SITE_NAME": settings.SITE_NAME,
        "PILLAR_NAV": nav,
        "CSRF_COOKIE_NAME": settings.CSRF_COOKIE_NAME,
    }
