"""An organisation's exchanges, sent or hosted, on its page in the network directory."""

from django.utils.translation import gettext as _

from network.sections import Section

from .selectors import exchanges_of_organisation


def sections(organisation) -> list[Section]:
    """The approved exchanges ``organisation`` sent or hosted (one query); none: no section."""
    exchanges = list(exchanges_of_organisation(organisation)[:50])
    if not exchanges:
        return []
    return [
        Section(
            _("Junior Fellows exchanges"),
            "fellows/sections/organisation_exchanges.html",
            {"exchanges": exchanges, "organisation": organisation},
            order=50,
        )
    ]
