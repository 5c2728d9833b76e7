"""An organisation's page lists its experts and the Observatory's pieces about it."""

from django.utils.translation import gettext as _

from network.sections import Section

from .selectors import experts_of, items_about


def sections(organisation) -> list[Section]:
    """Its listed experts and the published Observatory pieces about it (two queries)."""
    found = []
    experts = experts_of(organisation)
    if experts:
        found.append(
            Section(
                _("Experts in the Observatory's directory"),
                "observatory/organisation_experts.html",
                {"experts": experts},
                order=30,
            )
        )
    items = items_about(organisation)
    if items:
        found.append(
            Section(
                _("In the Observatory"),
                "observatory/organisation_items.html",
                {"items": items},
                order=31,
            )
        )
    return found
