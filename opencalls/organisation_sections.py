"""An organisation's funded projects on its page in the network directory."""

from django.utils.translation import gettext as _

from network.sections import Section

from .models import FundedProject


def sections(organisation) -> list[Section]:
    projects = list(
        FundedProject.objects.filter(organisation=organisation)
        .select_related("call", "track")
        .order_by("-start_date", "acronym")
    )
    if not projects:
        return []
    return [
        Section(
            _("Funded by the open calls"),
            "opencalls/organisation_projects.html",
            {"projects": projects},
            order=40,
        )
    ]
