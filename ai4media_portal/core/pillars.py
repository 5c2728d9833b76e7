"""The six pillar apps and the optional modules through which they contribute to shared pages.

A pillar adds to a shared page by defining a module of an agreed name, e.g.
``<app>/dashboard.py`` (My portal), ``<app>/home.py`` (the home page),
``<app>/organisation_sections.py`` (an organisation's page), ``<app>/demo.py`` (demo data).
The shared code finds them here, so no shared module imports a pillar by name.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

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


# --- Provenance of research outputs ---------------------------------------------------------


@dataclass(frozen=True)
class ProvenanceSource:
    """Records of a pillar that a research output may come from (an open-call project, a
    fellows exchange, an AIDA course), as ``<app>/provenance.py`` defines them:

    - ``KIND``: a stable code stored with the output (``"opencall_project"``);
    - ``LABEL``: what forms and pages call such a record;
    - ``resolve(ids) -> {id: (public title, absolute URL)}``: one query, and only the records
      that are public (an id it leaves out is unknown, or not for everyone to see).
    """

    app: str
    kind: str
    label: str
    resolve: Callable[[Iterable[int]], dict[int, tuple[str, str]]]


def collect_provenance_sources() -> dict[str, ProvenanceSource]:
    """Every pillar's ``provenance`` module by its ``KIND``, in the order of ``PILLAR_APPS``.
    Two pillars claiming the same kind is a configuration error."""
    sources: dict[str, ProvenanceSource] = {}
    for label, module in pillar_modules("provenance"):
        if module.KIND in sources:
            raise ImproperlyConfigured(
                f"{label}.provenance and {sources[module.KIND].app}.provenance both define "
                f"the kind {module.KIND!r}."
            )
        sources[module.KIND] = ProvenanceSource(label, module.KIND, module.LABEL, module.resolve)
    return sources


# --- The web benchmark -------------------------------------------------------------------------

BENCHMARK_APPS = ("core", "accounts", *PILLAR_APPS)


class BenchmarkKind:
    """What a benchmarked URL is, which decides its target (see ``benchmarks/web_bench.py``)."""

    PAGE = "page"  # an anonymous page
    SEARCH = "search"  # an anonymous full-text search, page or API
    API = "api"  # an anonymous API list
    SIGNED_IN = "signed-in"  # a page of a signed-in account, never cached


@dataclass(frozen=True)
class BenchmarkUrl:
    """A URL the web benchmark measures under load.

    ``user`` is the email of the account signed in (signed-in pages only). A deep page names in
    ``deep_of`` the path of its list's first page, which it must keep up with. An API list may
    ask the benchmark to follow its ``next`` link ``follow_next`` times before measuring.
    """

    label: str
    path: str
    kind: str = BenchmarkKind.PAGE
    user: str = ""
    deep_of: str = ""
    follow_next: int = 0


def collect_benchmark_urls() -> list[BenchmarkUrl]:
    """Every URL that ``<app>/benchmark.py``'s ``benchmark_urls()`` returns, core first. Each
    new list page of a pillar belongs there, so that the benchmark keeps measuring it."""
    return [
        url
        for _label, module in pillar_modules("benchmark", BENCHMARK_APPS)
        for url in module.benchmark_urls()
    ]
