"""An organisation's research outputs on its page in the network directory."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from network.sections import Section

from .selectors import outputs_of_organisation

SHOWN = 10


def sections(organisation) -> list[Section]:
    """The newest published outputs its people created (one query)."""
    outputs = outputs_of_organisation(organisation, limit=SHOWN)
    if not outputs:
        return []
    more = f"{reverse('outputs:index')}?{urlencode({'organisation': organisation.slug})}"
    return [
        Section(
            _("Research outputs"),
            "outputs/organisation_outputs.html",
            {"outputs": outputs, "more_url": more},
            order=30,
        )
    ]
