"""AIDA's key numbers on the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ai4media_portal.core.pillars import Figure

from .selectors import headline_counts


def figures() -> list[Figure]:
    """Member institutions and courses (one query)."""
    counts = headline_counts()
    return [
        Figure(counts["members"], _("AIDA member institutions"), reverse("aida:members"), 35),
        Figure(counts["courses"], _("AIDA courses"), reverse("aida:catalogue"), 36),
    ]
