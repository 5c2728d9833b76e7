"""The Observatory's key number on the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ai4media_portal.core.pillars import Figure

from .selectors import published_content


def figures() -> list[Figure]:
    """How many pieces the Observatory has published (one query)."""
    return [
        Figure(
            published_content().count(), _("Observatory articles"), reverse("observatory:list"), 30
        )
    ]
