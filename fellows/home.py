"""The fellows programme's key number on the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ai4media_portal.core.pillars import Figure

from .selectors import funded_count


def figures() -> list[Figure]:
    return [Figure(funded_count(), _("fellows' exchanges"), reverse("fellows:numbers"), 50)]
