"""The signed-in user's dashboard ("My portal") gathers panels from every pillar.

A pillar contributes by defining ``<app>/dashboard.py`` with ``panels(request) -> list[Panel]``.
"""

from .pillars import PILLAR_APPS, Panel, collect_panels

__all__ = ["PILLAR_APPS", "Panel", "dashboard_panels"]


def dashboard_panels(request) -> list[Panel]:
    return collect_panels("dashboard", request)
