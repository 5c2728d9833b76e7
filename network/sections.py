"""What an organisation has across the portal, gathered from every pillar for its page.

A pillar contributes by defining ``<app>/organisation_sections.py`` with

    def sections(organisation) -> list[Section]: ...

returning nothing when it has nothing for that organisation (the page shows no empty boxes).
Each section's template is included with ``section`` (the Section) and ``organisation``.
Discovered by ``ai4media_portal.core.pillars.pillar_modules``.
"""

from dataclasses import dataclass, field

from ai4media_portal.core.pillars import pillar_modules


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def organisation_sections(organisation) -> list[Section]:
    sections: list[Section] = []
    for _label, module in pillar_modules("organisation_sections"):
        sections.extend(section for section in module.sections(organisation) if section)
    return sorted(sections, key=lambda section: section.order)
