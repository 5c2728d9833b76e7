"""The signed-in user's dashboard ("My portal") gathers panels from every pillar.

A pillar contributes by defining ``<app>/dashboard.py`` with ``panels(request) -> list[Panel]``.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PILLAR_APPS = ("network", "observatory", "aida", "opencalls", "fellows", "outputs")


def dashboard_panels(request) -> list[Panel]:
    panels: list[Panel] = []
    for label in PILLAR_APPS:
        config = apps.get_app_config(label)
        try:
            module = import_module(f"{config.name}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.dashboard":
                raise
            continue
        panels.extend(module.panels(request))
    return sorted(panels, key=lambda panel: panel.order)
