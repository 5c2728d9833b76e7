"""Who sees what: pages, documents and the API, for every kind of person. Someone else's
proposal is not found (404), never forbidden (403): its existence is not revealed."""

import pytest

from tests.utils import Access, check_matrix

from .factories import applicant, close, funded, submitted

pytestmark = pytest.mark.django_db

EVERYONE = [
    "anonymous",
    "member",
    "owner",
    "beneficiary",
    "call-manager",
    "evaluator",
    "staff",
    "superuser",
]
SIGNED_IN = EVERYONE[1:]


@pytest.fixture
def world(people):
    proposal = submitted(user=applicant())
    project = funded(by=people["call-manager"], registration="FUNDED")
    deliverable = project.deliverables.get(title="Interim report")
    from opencalls import services
    from tests.opencalls.factories import pdf_upload

    services.deliverable_submit(
        deliverable=deliverable, actor=project.beneficiary, upload=pdf_upload()
    )
    people = {**people, "owner": proposal.applicant, "beneficiary": project.beneficiary}
    return people, proposal, project, deliverable


def _rows(url, expected: dict, method="get"):
    return [Access(method, url, who, expected[who]) for who in expected]


def test_permission_matrix_pages(client, world):
    people, proposal, project, deliverable = world
    p, n = proposal.pk, proposal.call.number
    submission = deliverable.submissions.get().pk
    own = {
        "anonymous": 302,
        "member": 404,
        "owner": 200,
        "beneficiary": 404,
        "call-manager": 200,
        "evaluator": 404,
        "staff": 404,
        # An admin account keeps the call managers' powers (``is_manager``), nothing more.
        "superuser": 200,
    }
    managers_only = {
        "anonymous": 302,
        "member": 403,
        "owner": 403,
        "beneficiary": 403,
        "call-manager": 200,
        "evaluator": 403,
        "staff": 403,
        "superuser": 200,
    }
    rows = [
        *_rows("/calls/", dict.fromkeys(EVERYONE, 200)),
        *_rows(f"/calls/{n}/", dict.fromkeys(EVERYONE, 200)),
        *_rows("/calls/projects/", dict.fromkeys(EVERYONE, 200)),
        *_rows(f"/calls/projects/{project.pk}/", dict.fromkeys(EVERYONE, 200)),
        *_rows("/calls/my/", {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 200)}),
        *_rows(f"/calls/proposals/{p}/", own),
        *_rows(f"/calls/proposals/{p}/document/", own),
        *_rows(f"/calls/proposals/{p}/versions/1/document/", own),
        *_rows(f"/calls/proposals/{p}/edit/", {**own, "call-manager": 403, "superuser": 403}),
        *_rows(f"/calls/proposals/{p}/screening/", {**own, "owner": 403}),
        *_rows(f"/calls/proposals/{p}/decision/", {**own, "owner": 403}),
        *_rows(f"/calls/proposals/{p}/fund/", {**own, "owner": 403}),
        *_rows("/calls/manage/", managers_only),
        *_rows("/calls/manage/new/", managers_only),
        *_rows(f"/calls/manage/{n}/", managers_only),
        *_rows(f"/calls/manage/{n}/proposals/", managers_only),
        *_rows(f"/calls/manage/{n}/proposals/?format=csv", managers_only),
        *_rows("/calls/manage/projects/", managers_only),
        *_rows(
            f"/calls/deliverables/{deliverable.pk}/files/{submission}/",
            {
                "anonymous": 302,
                "member": 404,
                "owner": 404,
                "beneficiary": 200,
                "call-manager": 200,
                "evaluator": 404,
                "staff": 404,
                "superuser": 200,
            },
        ),
    ]
    check_matrix(client, people, rows)


def test_permission_matrix_writes(client, world):
    people, proposal, project, deliverable = world
    p = proposal.pk
    not_owner = {
        "anonymous": 302,
        "member": 404,
        "beneficiary": 404,
        "call-manager": 403,
        "evaluator": 404,
        "staff": 404,
        "superuser": 403,
    }
    rows = [
        *_rows(f"/calls/proposals/{p}/withdraw/", not_owner, "post"),
        *_rows(f"/calls/proposals/{p}/autosave/", not_owner, "post"),
        *_rows(f"/calls/proposals/{p}/submit/", not_owner, "post"),
        *_rows(f"/calls/proposals/{p}/upload/", not_owner, "post"),
        *_rows(
            f"/calls/deliverables/{deliverable.pk}/review/",
            {
                "anonymous": 302,
                "member": 404,
                "owner": 404,
                "beneficiary": 403,
                "evaluator": 404,
                "staff": 404,
                # A manager's power: the empty form is refused, not the person.
                "superuser": 422,
            },
            "post",
        ),
        *_rows(
            f"/calls/deliverables/{deliverable.pk}/upload/",
            {
                "anonymous": 302,
                "member": 404,
                "owner": 404,
                "call-manager": 403,
                "evaluator": 404,
                "staff": 404,
                "superuser": 403,
            },
            "post",
        ),
        *_rows(
            f"/calls/projects/{project.pk}/support/",
            {
                "anonymous": 302,
                "member": 403,
                "owner": 403,
                "beneficiary": 403,
                "evaluator": 403,
                "staff": 403,
                "superuser": 422,
            },
            "post",
        ),
        *_rows(
            f"/calls/{proposal.call.number}/start/",
            {"anonymous": 302},
            "post",
        ),
    ]
    check_matrix(client, people, rows)
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_permission_matrix_api(client, world):
    people, proposal, project, _deliverable = world
    p = proposal.pk
    own = {
        "anonymous": 401,
        "member": 404,
        "owner": 200,
        "beneficiary": 404,
        "call-manager": 200,
        "evaluator": 404,
        "staff": 404,
        "superuser": 200,
    }
    rows = [
        *_rows("/api/v1/calls/", dict.fromkeys(EVERYONE, 200)),
        *_rows(f"/api/v1/calls/{proposal.call.number}/", dict.fromkeys(EVERYONE, 200)),
        *_rows("/api/v1/funded-projects/", dict.fromkeys(EVERYONE, 200)),
        *_rows(f"/api/v1/funded-projects/{project.pk}/", dict.fromkeys(EVERYONE, 200)),
        *_rows("/api/v1/proposals/", {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 200)}),
        *_rows(f"/api/v1/proposals/{p}/", own),
        *_rows(
            f"/api/v1/proposals/{p + 999}/",
            {**own, "owner": 404, "call-manager": 404, "superuser": 404},
        ),
        *_rows(
            f"/api/v1/proposals/{p}/submit/",
            {
                "anonymous": 401,
                "member": 404,
                "call-manager": 403,
                "staff": 404,
                "superuser": 403,
            },
            "post",
        ),
    ]
    check_matrix(client, people, rows)


def test_guessed_ids_reveal_nothing_in_lists(client, world):
    people, proposal, _project, _deliverable = world
    client.force_login(people["member"])
    assert client.get("/api/v1/proposals/").json()["results"] == []
    html = client.get("/calls/my/").content.decode()
    assert proposal.acronym not in html
    assert proposal.reference not in html


def test_closed_call_pages_for_the_owner(client, world):
    _people, proposal, _project, _deliverable = world
    close(proposal.call)
    client.force_login(proposal.applicant)
    response = client.get(f"/calls/proposals/{proposal.pk}/edit/")
    assert response["Location"] == f"/calls/proposals/{proposal.pk}/"
    response = client.post(f"/calls/proposals/{proposal.pk}/edit/", {})
    assert response.status_code == 422
    assert "Submissions and changes are no longer accepted." in response.content.decode()
    response = client.post(f"/calls/proposals/{proposal.pk}/submit/", {})
    assert response.status_code == 422
    assert "Submissions and changes are no longer accepted." in response.content.decode()


def _state(proposal) -> tuple:
    proposal.refresh_from_db()
    return (
        proposal.status,
        proposal.title,
        proposal.document.name,
        proposal.withdrawn_at,
        proposal.updated_at,
        proposal.versions.count(),
    )


def test_superuser_cannot_act_as_an_applicant(client, api_client, people):
    """An admin account holds the call managers' powers, never an applicant's: every page and
    API action of someone else's proposal and deliverable is refused (403), nothing changes
    and the audit log records nothing."""
    from ai4media_portal.core.models import AuditEntry
    from opencalls import services
    from opencalls.enums import ScreeningOutcome

    from .factories import complete_draft, manager, pdf_upload

    admin = people["superuser"]
    draft = complete_draft()
    asked = submitted()
    close(asked.call)
    services.proposal_screen(
        proposal=asked,
        actor=manager(),
        checks=[],
        outcome=ScreeningOutcome.CLARIFICATION,
        message="Which register?",
    )
    project = funded(registration="FUNDED")
    deliverable = project.deliverables.get(title="Interim report")
    before = (_state(draft), _state(asked), deliverable.submissions.count())
    audited = AuditEntry.objects.count()
    d = draft.pk
    edit = {"title": "Changed by the admin", "acronym": "ADMIN"}
    pages = [
        ("get", f"/calls/proposals/{d}/edit/", None),
        ("post", f"/calls/proposals/{d}/edit/", edit),
        ("post", f"/calls/proposals/{d}/autosave/", edit),
        ("post", f"/calls/proposals/{d}/submit/", edit),
        ("post", f"/calls/proposals/{d}/upload/", {"document": pdf_upload()}),
        ("post", f"/calls/proposals/{d}/withdraw/", {"reason": "Admin"}),
        ("post", f"/calls/proposals/{asked.pk}/clarification/", {"answer": "BE"}),
        ("post", f"/calls/deliverables/{deliverable.pk}/upload/", {"file": pdf_upload()}),
    ]
    client.force_login(admin)
    refused = {
        url: getattr(client, method)(*filter(None, [url, data])).status_code
        for method, url, data in pages
    }
    api_client.force_authenticate(admin)
    api = f"/api/v1/proposals/{d}/"
    refused |= {
        f"PATCH {api}": api_client.patch(api, edit, format="json").status_code,
        f"{api}submit/": api_client.post(f"{api}submit/").status_code,
        f"{api}withdraw/": api_client.post(f"{api}withdraw/", {"reason": "Admin"}).status_code,
        f"{api}document/": api_client.post(
            f"{api}document/", {"document": pdf_upload()}, format="multipart"
        ).status_code,
    }
    assert refused == dict.fromkeys(refused, 403)
    assert (_state(draft), _state(asked), deliverable.submissions.count()) == before
    assert AuditEntry.objects.count() == audited
