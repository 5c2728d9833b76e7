"""What an organisation has across the portal, gathered from every pillar for its page.

A pillar contributes by defining ``<app>/organisation_sections.py`` with

    def sections(organisation) -> list[Section]: ...

returning nothing when it has nothing for that organisation (the page shows no empty boxes).
Each section's template is included with ``section`` (the Section) and ``organisation``.
Discovered the way ``ai4media_portal.core.dashboard`` discovers dashboard panels.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps

from ai4media_portal.core.dashboard import PILLAR_APPS


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def section_modules():
    for label in PILLAR_APPS:
        config = apps.get_app_config(label)
        try:
            module = import_module(f"{config.name}.organisation_sections")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.organisation_sections":
                raise
            continue
        yield module


def organisation_sections(organisation) -> list[Section]:
    sections: list[Section] = []
    for module in section_modules():
        sections.extend(section for section in module.sections(organisation) if section)
    return sorted(sections, key=lambda section: section.order)
