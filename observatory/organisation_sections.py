"""An organisation's page lists its experts from the Observatory's directory."""

from django.utils.translation import gettext as _

from network.sections import Section

from .selectors import experts_of


def sections(organisation) -> list[Section]:
    experts = experts_of(organisation)
    if not experts:
        return []
    return [
        Section(
            _("Experts in the Observatory's directory"),
            "observatory/organisation_experts.html",
            {"experts": experts},
            order=30,
        )
    ]
