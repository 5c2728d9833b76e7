"""Funded projects as the provenance of research outputs (the ``provenance`` contribution point,
``core.pillars.collect_provenance_sources``): an output made in an open-call project links to
the project's public page."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.links import absolute_url

from .models import FundedProject

KIND = "opencall_project"
LABEL = _("Open-call project")


def resolve(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """``{id: ("ACRONYM: title", absolute URL of the project's page)}`` for the funded projects
    among ``ids``, in one query. Every funded project has a public page; an id that is not a
    funded project is left out."""
    wanted = {int(pk) for pk in ids}
    if not wanted:
        return {}
    rows = FundedProject.objects.filter(pk__in=wanted).values_list("pk", "acronym", "title")
    return {
        pk: (f"{acronym}: {title}", absolute_url("opencalls:project", pk))
        for pk, acronym, title in rows
    }
