"""The six pillar apps and the optional modules through which they contribute to shared pages.

A pillar adds to a shared page by defining a module of an agreed name, e.g.
``<app>/dashboard.py`` (My portal), ``<app>/home.py`` (the home page),
``<app>/organisation_sections.py`` (an organisation's page), ``<app>/demo.py`` (demo data).
The shared code finds them here, so no shared module imports a pillar by name.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.apps import apps

PILLAR_APPS = ("network", "observatory", "aida", "opencalls", "fellows", "outputs")


@dataclass
class Panel:
    """A box of content a pillar puts on a shared page: rendered with ``template``, which
    receives ``panel`` (this object's ``context``)."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def pillar_modules(
    module_name: str, labels: Iterable[str] = PILLAR_APPS
) -> Iterator[tuple[str, ModuleType]]:
    """(label, module) for each app in ``labels`` that defines ``<app>.<module_name>``."""
    for label in labels:
        package = apps.get_app_config(label).name
        try:
            module = import_module(f"{package}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{module_name}":
                raise  # the module exists but something it imports does not
            continue
        yield label, module


@dataclass(frozen=True)
class Figure:
    """A key number a pillar shows on the home page, linking to where it comes from."""

    value: int
    label: str
    url: str
    order: int = 100


def collect_panels(module_name: str, *args) -> list[Panel]:
    """Every panel that the pillars' ``<module_name>.panels(*args)`` return, in order."""
    panels = [
        panel
        for _label, module in pillar_modules(module_name)
        if hasattr(module, "panels")
        for panel in module.panels(*args)
    ]
    return sorted(panels, key=lambda panel: panel.order)


def collect_figures() -> list[Figure]:
    """The home page's key numbers: each pillar's ``home.figures()``."""
    figures = [
        figure
        for _label, module in pillar_modules("home")
        if hasattr(module, "figures")
        for figure in module.figures()
    ]
    return sorted(figures, key=lambda figure: figure.order)
