"""Open calls on the home page: the calls open now, and how many projects the calls funded."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ai4media_portal.core.pillars import Figure, Panel

from .models import FundedProject
from .selectors import calls_grouped


def figures() -> list[Figure]:
    return [
        Figure(
            FundedProject.objects.count(), _("funded projects"), reverse("opencalls:projects"), 30
        )
    ]


def panels(request) -> list[Panel]:
    open_now = calls_grouped().open
    if not open_now:
        return []
    return [
        Panel(_("Open for proposals"), "opencalls/home_open_calls.html", {"calls": open_now}, 10)
    ]
