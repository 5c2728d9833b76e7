"""The outputs' key numbers on the home page."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ai4media_portal.core.pillars import Figure

from .enums import OutputKind
from .selectors import kind_counts


def figures() -> list[Figure]:
    """Published publications, datasets and software tools (one query)."""
    counts = kind_counts()
    index = reverse("outputs:index")
    return [
        Figure(counts.get(kind, 0), label, f"{index}?{urlencode({'kind': kind})}", order)
        for kind, label, order in (
            (OutputKind.PUBLICATION, _("publications"), 40),
            (OutputKind.DATASET, _("datasets"), 41),
            (OutputKind.SOFTWARE, _("software tools"), 42),
        )
    ]
