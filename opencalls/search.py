"""The open calls' contribution to the site-wide search: published calls and funded
projects (only what the public pages show)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ai4media_portal.core.search import SearchGroup, SearchHit

from . import selectors


def search(text: str, *, user, limit: int) -> SearchGroup:
    """Published calls whose title or summary, and funded projects whose acronym, title or
    public summary contain ``text`` (two queries; drafts are never found, even by managers)."""
    calls = (
        selectors.calls_visible(user=AnonymousUser())
        .filter(Q(title__icontains=text) | Q(summary__icontains=text))
        .order_by("-number")[:limit]
    )
    projects = selectors.funded_projects_public().filter(
        Q(acronym__icontains=text) | Q(title__icontains=text) | Q(summary__icontains=text)
    )[:limit]
    hits = [
        SearchHit(
            title=str(call),
            url=reverse("opencalls:call", args=[call.number]),
            kind=_("Open call"),
            summary=call.summary,
        )
        for call in calls
    ] + [
        SearchHit(
            title=f"{project.acronym}: {project.title}",
            url=reverse("opencalls:project", args=[project.pk]),
            kind=_("Funded project"),
            summary=project.summary,
        )
        for project in projects
    ]
    return SearchGroup(title=_("Open calls"), hits=hits[:limit], order=40)
