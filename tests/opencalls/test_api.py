import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from PIL import Image

from opencalls.enums import CallStage, ProposalStatus
from opencalls.models import Proposal
from tests.utils import assert_constant_queries

from .factories import (
    CallFactory,
    applicant,
    complete_draft,
    funded,
    manager,
    pdf_upload,
    submitted,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


# --- Calls ------------------------------------------------------------------------------------


def test_calls_api_is_public_and_hides_drafts(api_client):
    call = CallFactory()
    CallFactory(stage=CallStage.DRAFT)
    response = api_client.get("/api/v1/calls/")
    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()["results"]]
    assert numbers == [call.number]
    row = response.json()["results"][0]
    assert row["status"] == "open"
    assert [t["name"] for t in row["tracks"]] == ["Research", "Application"]
    assert [c["code"] for c in row["tracks"][0]["challenges"]] == ["R1", "R2"]
    assert [c["name"] for c in row["criteria"]] == ["Excellence", "Impact", "Implementation"]
    assert row["timezone"] == "Europe/Brussels"


def test_calls_api_gives_the_deadline_in_the_calls_timezone(api_client):
    call = CallFactory(
        opens_at=dt.datetime(2021, 9, 1, tzinfo=UTC),
        closes_at=dt.datetime(2021, 12, 1, 16, 0, tzinfo=UTC),
    )
    row = api_client.get(f"/api/v1/calls/{call.number}/").json()
    assert row["closes_at"] == "2021-12-01T17:00:00+01:00"  # the visitor's default timezone
    assert row["closes_at_local"] == "2021-12-01T17:00:00+01:00"
    assert row["status"] == "closed"


def test_calls_api_filters_by_status_and_track(api_client):
    now = timezone.now()
    running = CallFactory()
    past = CallFactory(opens_at=now - dt.timedelta(days=60), closes_at=now - dt.timedelta(days=1))

    def numbers(query):
        results = api_client.get(f"/api/v1/calls/?{query}").json()["results"]
        return [row["number"] for row in results]

    assert numbers("status=open") == [running.number]
    assert numbers("status=closed") == [past.number]
    assert numbers("track=research") == [past.number, running.number]


def test_calls_api_draft_detail_is_404_for_the_public(api_client):
    draft = CallFactory(stage=CallStage.DRAFT)
    assert api_client.get(f"/api/v1/calls/{draft.number}/").status_code == 404
    api_client.force_authenticate(manager())
    assert api_client.get(f"/api/v1/calls/{draft.number}/").status_code == 200


def test_calls_api_constant_queries(client):
    assert_constant_queries(client, "/api/v1/calls/", lambda: CallFactory())


# --- Proposals --------------------------------------------------------------------------------


def test_proposals_api_needs_authentication(api_client):
    assert api_client.get("/api/v1/proposals/").status_code == 401


def test_applicant_creates_edits_and_submits_through_the_api(api_client):
    call = CallFactory()
    user = applicant()
    api_client.force_authenticate(user)
    challenge = call.tracks.first().challenges.first()
    response = api_client.post(
        "/api/v1/proposals/",
        {
            "call": call.number,
            "acronym": "APIPROJ",
            "title": "Made through the API",
            "challenge": challenge.pk,
            "team": [{"full_name": "Ada", "email": "ada@example.org", "role": "Lead"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["acronym"], body["track"]) == (
        "draft",
        "APIPROJ",
        challenge.track_id,
    )
    pk = body["id"]
    response = api_client.post(f"/api/v1/proposals/{pk}/submit/")
    assert response.status_code == 400
    missing = {error["attr"] for error in response.json()["errors"]}
    assert {"document", "budget", "milestones", "declare_privacy", "requested_funding"} <= missing
    response = api_client.patch(
        f"/api/v1/proposals/{pk}/",
        {
            "organisation_name": "API Labs",
            "organisation_type": "sme",
            "organisation_country": "FR",
            "organisation_registration_number": "FR123",
            "organisation_is_sme": True,
            "abstract": "An abstract",
            "requested_funding": "30000.00",
            "duration_months": 10,
            "budget": [{"category": "personnel", "amount": "30000.00"}],
            "milestones": [{"month": 10, "title": "Done"}],
            "declare_honour": True,
            "declare_no_double_funding": True,
            "declare_privacy": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = api_client.post(
        f"/api/v1/proposals/{pk}/document/", {"document": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["document"]["url"] == (
        f"http://testserver/calls/proposals/{pk}/document/"
    )
    response = api_client.post(f"/api/v1/proposals/{pk}/submit/")
    assert response.status_code == 201, response.json()
    assert response.json()["reference"] == f"AI4M-OC{call.number}-0001-v1"
    body = api_client.get(f"/api/v1/proposals/{pk}/").json()
    assert body["current_version"]["reference"] == f"AI4M-OC{call.number}-0001-v1"
    assert body["current_version"]["document_url"] == (
        f"http://testserver/calls/proposals/{pk}/versions/1/document/"
    )


def test_api_document_upload_checks_content(api_client):
    proposal = complete_draft()
    api_client.force_authenticate(proposal.applicant)
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/document/",
        {"document": pdf_upload("cv.pdf", _png())},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "not_pdf",
            "detail": "This file is not a PDF document. Export or print your document as PDF.",
            "attr": "document",
        }
    ]


def test_api_budget_over_the_cap_is_refused_on_submit(api_client):
    proposal = complete_draft()
    api_client.force_authenticate(proposal.applicant)
    api_client.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"requested_funding": "55000.00", "budget": [{"category": "other", "amount": "55000"}]},
        format="json",
    )
    response = api_client.post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "You request €55,000.00; this call funds at most €50,000.00 per project.",
            "attr": "requested_funding",
        }
    ]


def test_api_submit_after_deadline_is_refused_and_draft_intact(api_client):
    call = CallFactory(
        opens_at=dt.datetime(2021, 9, 1, tzinfo=UTC),
        closes_at=dt.datetime(2021, 12, 1, 16, 0, tzinfo=UTC),
    )
    with time_machine.travel(dt.datetime(2021, 11, 1, tzinfo=UTC), tick=False):
        proposal = complete_draft(call=call)
    api_client.force_authenticate(proposal.applicant)
    with time_machine.travel(dt.datetime(2021, 12, 1, 16, 0, 1, tzinfo=UTC), tick=False):
        response = api_client.post(f"/api/v1/proposals/{proposal.pk}/submit/")
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "deadline_passed"
        response = api_client.patch(
            f"/api/v1/proposals/{proposal.pk}/", {"title": "Too late"}, format="json"
        )
        assert response.status_code == 400
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status, proposal.versions.count()) == (
        "Provenance for news images",
        ProposalStatus.DRAFT,
        0,
    )


def test_api_withdraw(api_client):
    proposal = submitted()
    api_client.force_authenticate(proposal.applicant)
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/withdraw/", {"reason": "Changed plans"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_api_applicants_see_only_their_own_proposals(api_client):
    mine = complete_draft()
    other = submitted(registration="OTHER")
    api_client.force_authenticate(mine.applicant)
    ids = [row["id"] for row in api_client.get("/api/v1/proposals/").json()["results"]]
    assert ids == [mine.pk]
    for method, url in [
        ("get", f"/api/v1/proposals/{other.pk}/"),
        ("patch", f"/api/v1/proposals/{other.pk}/"),
        ("post", f"/api/v1/proposals/{other.pk}/submit/"),
        ("post", f"/api/v1/proposals/{other.pk}/withdraw/"),
        ("post", f"/api/v1/proposals/{other.pk}/document/"),
        ("get", f"/api/v1/proposals/{other.pk + 1000}/"),
    ]:
        assert getattr(api_client, method)(url).status_code == 404, (method, url)
    other.refresh_from_db()
    assert other.status == ProposalStatus.SUBMITTED


def test_api_managers_read_all_but_cannot_edit(api_client):
    first = complete_draft()
    second = submitted(registration="X2")
    api_client.force_authenticate(manager())
    rows = api_client.get(f"/api/v1/proposals/?call={second.call.number}").json()["results"]
    assert [row["id"] for row in rows] == [second.pk]
    assert {row["id"] for row in api_client.get("/api/v1/proposals/").json()["results"]} == {
        first.pk,
        second.pk,
    }
    response = api_client.patch(f"/api/v1/proposals/{second.pk}/", {"title": "X"}, format="json")
    assert response.status_code == 403
    assert api_client.post(f"/api/v1/proposals/{second.pk}/submit/").status_code == 403


def test_api_cannot_create_in_a_draft_or_closed_call(api_client):
    api_client.force_authenticate(applicant())
    draft = CallFactory(stage=CallStage.DRAFT)
    response = api_client.post("/api/v1/proposals/", {"call": draft.number}, format="json")
    assert response.status_code == 400
    closed = CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now() - dt.timedelta(1)
    )
    response = api_client.post("/api/v1/proposals/", {"call": closed.number}, format="json")
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_proposals_api_constant_queries(client):
    user = applicant()
    client.force_login(user)
    call = CallFactory()
    counter = iter(range(100))

    def add():
        submitted(call=call, user=user, registration=f"N{next(counter)}")

    assert_constant_queries(client, "/api/v1/proposals/", add)


def test_proposals_api_constant_queries_for_managers(client):
    client.force_login(manager())
    call = CallFactory()
    counter = iter(range(100))
    assert_constant_queries(
        client,
        "/api/v1/proposals/",
        lambda: submitted(call=call, registration=f"M{next(counter)}"),
    )


# --- Funded projects --------------------------------------------------------------------------


def test_funded_projects_api_public_summary(api_client):
    project = funded()
    rows = api_client.get("/api/v1/funded-projects/").json()["results"]
    assert [row["acronym"] for row in rows] == ["LUMEN"]
    assert "tranches" not in rows[0]
    assert "agreement_reference" not in rows[0]
    assert rows[0]["organisation_country"] == "BE"
    detail = api_client.get(f"/api/v1/funded-projects/{project.pk}/").json()
    assert "deliverables" not in detail


def test_funded_projects_api_follow_up_for_team_and_managers(api_client):
    project = funded()
    api_client.force_authenticate(project.beneficiary)
    detail = api_client.get(f"/api/v1/funded-projects/{project.pk}/").json()
    assert [t["name"] for t in detail["tranches"]] == [
        "Pre-financing",
        "Interim payment",
        "Final payment",
    ]
    assert detail["agreement_reference"] == project.agreement_reference
    mine = api_client.get("/api/v1/funded-projects/?mine=true").json()["results"]
    assert [row["id"] for row in mine] == [project.pk]
    assert "deliverables" in mine[0]
    api_client.force_authenticate(applicant())
    detail = api_client.get(f"/api/v1/funded-projects/{project.pk}/").json()
    assert "tranches" not in detail
    assert api_client.get("/api/v1/funded-projects/?mine=true").json()["results"] == []
    api_client.force_authenticate(manager())
    rows = api_client.get("/api/v1/funded-projects/").json()["results"]
    assert len(rows[0]["deliverables"]) == 4


def test_funded_projects_api_filters(api_client):
    project = funded()
    assert api_client.get("/api/v1/funded-projects/?track=application").json()["results"] == []
    rows = api_client.get(f"/api/v1/funded-projects/?call={project.call.number}&country=BE").json()[
        "results"
    ]
    assert [row["id"] for row in rows] == [project.pk]


@pytest.mark.parametrize("who", ["anonymous", "manager"])
def test_funded_projects_api_constant_queries(client, who):
    if who == "manager":
        client.force_login(manager())
    assert_constant_queries(client, "/api/v1/funded-projects/", lambda: funded())
