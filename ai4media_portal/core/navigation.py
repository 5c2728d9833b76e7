"""The six pillars, in the order the navigation shows them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Pillar:
    url_name: str
    label: Promise
    icon: str
    summary: Promise


PILLARS = (
    Pillar(
        "network:index",
        _("Network"),
        "diagram-3",
        _("Organisations across Europe, associate membership and the member directory."),
    ),
    Pillar(
        "observatory:index",
        _("Observatory"),
        "binoculars",
        _("The European AI Media Observatory: research, expert perspectives and policy."),
    ),
    Pillar(
        "aida:index",
        _("AIDA"),
        "mortarboard",
        _("The International AI Doctoral Academy: courses, lectures and resources."),
    ),
    Pillar(
        "opencalls:index",
        _("Open calls"),
        "cash-coin",
        _("Equity-free funding for AI research and applications for media."),
    ),
    Pillar(
        "fellows:index",
        _("Fellows"),
        "arrow-left-right",
        _("The Junior Fellows Exchange Programme between organisations of the network."),
    ),
    Pillar(
        "outputs:index",
        _("Outputs"),
        "journal-text",
        _("Publications, datasets, software and results in brief."),
    ),
)
