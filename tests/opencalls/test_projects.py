"""Funded projects: creation, updates, tranches, deliverables and follow-up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from opencalls import services
from opencalls.enums import DeliverableStatus, TrancheStatus

from .factories import applicant, close, eligible, funded, manager, pdf_upload, selected, submitted
from .helpers import _png

pytestmark = pytest.mark.django_db


def test_funded_project_created_from_the_submitted_version(django_capture_on_commit_callbacks):
    boss = manager()
    proposal = selected(by=boss)
    with django_capture_on_commit_callbacks(execute=True):
        project = services.funded_project_create(
            proposal=proposal,
            actor=boss,
            agreement_reference="GA-1",
            start_date=dt.date(2022, 3, 1),
        )
    assert (project.acronym, project.funding_amount, project.end_date) == (
        "LUMEN",
        Decimal("45000.00"),
        dt.date(2023, 3, 1),
    )
    assert project.beneficiary == proposal.applicant
    assert list(project.tranches.values_list("name", "amount", "status")) == [
        ("Pre-financing", Decimal("18000.00"), TrancheStatus.REQUESTED),
        ("Interim payment", Decimal("13500.00"), TrancheStatus.PENDING),
        ("Final payment", Decimal("13500.00"), TrancheStatus.PENDING),
    ]
    assert mail.outbox[-1].subject == "[AI4Media] Your funded project LUMEN is set up"


def test_funded_project_deliverables_are_tied_to_tranches():
    project = funded(start=dt.date(2022, 3, 1))
    rows = {
        title: (due, tranche)
        for title, due, tranche in project.deliverables.values_list(
            "title", "due_date", "tranche__name"
        )
    }
    assert rows == {
        "Prototype": (dt.date(2022, 9, 1), "Interim payment"),
        "Interim report": (dt.date(2022, 9, 1), "Interim payment"),
        "Release": (dt.date(2023, 3, 1), "Final payment"),
        "Final report": (dt.date(2023, 3, 1), "Final payment"),
    }


def test_funded_project_only_for_selected_proposals():
    boss = manager()
    proposal = submitted()
    close(proposal.call)
    eligible(proposal, boss)
    with pytest.raises(PortalError):
        services.funded_project_create(
            proposal=proposal, actor=boss, agreement_reference="X", start_date=dt.date(2022, 1, 1)
        )


def test_tranche_released_once_its_deliverables_are_approved(django_capture_on_commit_callbacks):
    boss = manager()
    project = funded(by=boss)
    interim = project.tranches.get(name="Interim payment")
    with pytest.raises(PortalError) as error:
        services.tranche_release(tranche=interim, actor=boss)
    assert error.value.message == (
        "“Interim payment” cannot be released: its deliverables are not all approved yet."
    )
    team = project.beneficiary
    for deliverable in interim.deliverables.all():
        services.deliverable_submit(deliverable=deliverable, actor=team, upload=pdf_upload())
        services.deliverable_review(deliverable=deliverable, actor=boss, approve=True)
    interim.refresh_from_db()
    assert interim.status == TrancheStatus.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        services.tranche_release(tranche=interim, actor=boss)
    interim.refresh_from_db()
    assert (interim.status, interim.released_by) == (TrancheStatus.RELEASED, boss)
    assert mail.outbox[-1].subject == "[AI4Media] LUMEN: Interim payment released"
    assert mail.outbox[-1].to == [team.email]


def test_deliverable_change_request_and_reupload(django_capture_on_commit_callbacks):
    boss = manager()
    project = funded(by=boss)
    deliverable = project.deliverables.get(title="Interim report")
    team = project.beneficiary
    with pytest.raises(PermissionDenied):
        services.deliverable_submit(deliverable=deliverable, actor=applicant(), upload=pdf_upload())
    with pytest.raises(PortalError) as error:
        services.deliverable_submit(
            deliverable=deliverable, actor=team, upload=pdf_upload("r.pdf", _png())
        )
    assert error.value.field == "file"
    services.deliverable_submit(deliverable=deliverable, actor=team, upload=pdf_upload())
    with pytest.raises(PortalError) as error:
        services.deliverable_review(deliverable=deliverable, actor=boss, approve=False)
    assert error.value.field == "message"
    with django_capture_on_commit_callbacks(execute=True):
        services.deliverable_review(
            deliverable=deliverable, actor=boss, approve=False, message="Add the KPIs."
        )
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.CHANGES_REQUESTED
    assert mail.outbox[-1].subject == "[AI4Media] Changes requested on “Interim report”"
    assert "Add the KPIs." in mail.outbox[-1].body
    services.deliverable_submit(deliverable=deliverable, actor=team, upload=pdf_upload("v2.pdf"))
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.SUBMITTED
    assert list(deliverable.submissions.values_list("file_name", flat=True)) == [
        "v2.pdf",
        "proposal.pdf",
    ]


def test_approved_tranche_goes_back_to_pending_when_a_new_deliverable_is_added():
    boss = manager()
    project = funded(by=boss)
    pre = project.tranches.get(name="Pre-financing")
    assert pre.status == TrancheStatus.REQUESTED
    services.deliverable_add(
        project=project,
        actor=boss,
        kind="deliverable",
        title="Kick-off report",
        due_date=dt.date(2030, 1, 1),
        tranche=pre,
    )
    pre.refresh_from_db()
    assert pre.status == TrancheStatus.PENDING


def test_output_links_accept_a_doi_url():
    project = funded()
    link = services.output_link_add(
        project=project,
        actor=project.beneficiary,
        kind="publication",
        title="Paper",
        doi="https://doi.org/10.5281/zenodo.123",
    )
    assert (link.doi, link.href) == ("10.5281/zenodo.123", "https://doi.org/10.5281/zenodo.123")
    with pytest.raises(PortalError):
        services.output_link_add(project=project, actor=project.beneficiary, kind="demo", title="X")
    with pytest.raises(PermissionDenied):
        services.output_link_add(
            project=project, actor=applicant(), kind="demo", title="X", url="https://x.org"
        )


def test_team_may_update_outcomes_but_not_status():
    project = funded()
    services.funded_project_update(
        project=project,
        actor=project.beneficiary,
        data={"outcomes": "A tool", "status": "completed"},
    )
    project.refresh_from_db()
    assert (project.outcomes, project.status) == ("A tool", "running")
