"""The network's key numbers on the home page."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from ai4media_portal.core.pillars import Figure

from .selectors import member_organisations


def figures() -> list[Figure]:
    counts = member_organisations().aggregate(
        organisations=Count("pk"), countries=Count("country", distinct=True)
    )
    return [
        Figure(counts["organisations"], _("member organisations"), reverse("network:index"), 10),
        Figure(counts["countries"], _("countries"), reverse("network:numbers"), 20),
    ]
