"""The follow-up of funded projects: support sessions, demo day pitches and outputs."""

import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.permissions import require_perm

from ..models import DemoDayPitch, FundedProject, OutputLink, SupportSession


@transaction.atomic
def support_session_log(
    *,
    project: FundedProject,
    actor,
    kind: str,
    day: date,
    coach: str,
    topic: str,
    notes: str = "",
) -> SupportSession:
    """Log a coaching session, bootcamp or business-support meeting. Managers only."""
    require_perm(actor, "opencalls.manage_project")
    session = SupportSession(
        project=project,
        kind=kind,
        date=day,
        coach=coach.strip(),
        topic=topic.strip(),
        notes=notes.strip(),
        logged_by=actor,
    )
    session.full_clean()
    session.save()
    log_action("opencalls.support.log", actor=actor, target=project, data={"kind": kind})
    return session


@transaction.atomic
def demo_day_record(
    *, project: FundedProject, actor, event: str, day: date, pitch_title: str, outcome: str = ""
) -> DemoDayPitch:
    """Record the project's pitch at a DemoDay. Managers only."""
    require_perm(actor, "opencalls.manage_project")
    pitch = DemoDayPitch(
        project=project,
        event=event.strip(),
        date=day,
        pitch_title=pitch_title.strip(),
        outcome=outcome.strip(),
    )
    pitch.full_clean()
    pitch.save()
    log_action("opencalls.demoday.record", actor=actor, target=project)
    return pitch


@transaction.atomic
def output_link_add(
    *, project: FundedProject, actor, kind: str, title: str, url: str = "", doi: str = ""
) -> OutputLink:
    """Link an output (publication, dataset, software, demo) to the project; a URL or a DOI.
    The project's team or managers."""
    require_perm(actor, "opencalls.add_output", project)
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I)
    link = OutputLink(project=project, kind=kind, title=title.strip(), url=url.strip(), doi=doi)
    if not link.url and not link.doi:
        raise PortalError(_("Give a URL or a DOI."), field="url")
    link.full_clean()
    link.save()
    log_action("opencalls.output.add", actor=actor, target=project, data={"title": link.title})
    return link


@transaction.atomic
def output_link_remove(*, link: OutputLink, actor) -> None:
    require_perm(actor, "opencalls.add_output", link.project)
    log_action("opencalls.output.remove", actor=actor, target=link.project, data={"t": link.title})
    link.delete()
