"""Creates and submits sent twice at the same moment happen once: starting a proposal,
submitting, resubmitting, in the pages and through the API, with real parallel requests
(``tests.concurrency``), plus the review and deliverable submits."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from ai4media_portal.core.exceptions import PortalError
from opencalls import services
from opencalls.enums import ProposalStatus
from opencalls.evaluation.models import Review
from opencalls.models import DeliverableSubmission, Proposal, ProposalVersion
from tests.concurrency import parallel_clients, run_in_parallel
from tests.factories import UserFactory

from .factories import CallFactory, applicant, complete_draft, pdf_upload, submitted
from .test_views import _edit_data

pytestmark = pytest.mark.django_db(transaction=True)

N = 4


def _api_clients(n, user):
    clients = []
    for _ in range(n):
        client = APIClient()
        client.force_authenticate(user)
        clients.append(client)
    return clients


# --- Starting a proposal ------------------------------------------------------------------------


def test_the_same_start_sent_at_once_makes_one_draft():
    call = CallFactory()
    user = applicant()
    clients = parallel_clients(N, user)
    token = str(uuid.uuid4())

    responses = run_in_parallel(
        N, lambda i: clients[i].post(f"/calls/{call.number}/start/", {"form_token": token})
    )

    drafts = list(Proposal.objects.filter(applicant=user))
    assert len(drafts) == 1
    assert [r.status_code for r in responses] == [302] * N
    assert {r["Location"] for r in responses} == {f"/calls/proposals/{drafts[0].pk}/edit/"}


def test_starts_from_two_tabs_at_once_open_one_untouched_draft():
    call = CallFactory()
    user = applicant()
    clients = parallel_clients(N, user)

    run_in_parallel(
        N,
        lambda i: clients[i].post(
            f"/calls/{call.number}/start/", {"form_token": str(uuid.uuid4())}
        ),
    )

    assert Proposal.objects.filter(applicant=user, call=call).count() == 1


def test_a_start_form_token_is_refused_to_someone_else_and_a_started_draft_is_not_reused():
    call = CallFactory()
    token = uuid.uuid4()
    first = services.proposal_start(call=call, actor=applicant(), form_token=token)
    with pytest.raises(PermissionDenied):
        services.proposal_start(call=call, actor=applicant(), form_token=token)
    services.proposal_save_draft(proposal=first, actor=first.applicant, fields={"title": "Mine"})
    again = services.proposal_start(call=call, actor=first.applicant)
    assert again.pk != first.pk
    assert again.already_started is False


def test_the_api_create_sent_at_once_with_one_form_token_makes_one_draft():
    call = CallFactory()
    user = applicant()
    clients = _api_clients(N, user)
    body = {"call": call.number, "title": "Sent twice", "form_token": str(uuid.uuid4())}

    responses = run_in_parallel(
        N, lambda i: clients[i].post("/api/v1/proposals/", body, format="json")
    )

    assert sorted(r.status_code for r in responses) == [200] * (N - 1) + [201]
    assert {r.json()["id"] for r in responses} == {Proposal.objects.get(applicant=user).pk}
    assert Proposal.objects.get(applicant=user).title == "Sent twice"


# --- Submitting and resubmitting ------------------------------------------------------------


def test_the_same_submit_sent_at_once_makes_one_version_and_one_receipt():
    proposal = complete_draft()
    clients = parallel_clients(N, proposal.applicant)
    data = _edit_data(proposal)
    mail.outbox.clear()

    responses = run_in_parallel(
        N, lambda i: clients[i].post(f"/calls/proposals/{proposal.pk}/submit/", data)
    )

    assert [r.status_code for r in responses] == [302] * N
    assert list(
        ProposalVersion.objects.filter(proposal=proposal).values_list("number", flat=True)
    ) == [1]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED
    assert [m.subject for m in mail.outbox].count(mail.outbox[0].subject) == 1
    assert len(mail.outbox) == 1


def test_a_resubmission_without_changes_does_nothing_and_says_so(client):
    proposal = submitted()
    client.force_login(proposal.applicant)
    data = _edit_data(proposal, title="Resubmitted once")
    client.post(f"/calls/proposals/{proposal.pk}/submit/", data)
    proposal.refresh_from_db()
    assert proposal.versions.count() == 2
    mail.outbox.clear()

    response = client.post(f"/calls/proposals/{proposal.pk}/submit/", data, follow=True)

    assert proposal.versions.count() == 2
    assert mail.outbox == []
    reference = proposal.current_version.reference
    assert reference.endswith("-v2")
    assert (
        f"Nothing has changed since you submitted {reference}: it stands, and no new version "
        "was made." in response.content.decode()
    )


def test_the_same_resubmission_sent_at_once_makes_one_new_version():
    proposal = submitted()
    clients = parallel_clients(N, proposal.applicant)
    data = _edit_data(proposal, title="A better title")

    run_in_parallel(N, lambda i: clients[i].post(f"/calls/proposals/{proposal.pk}/submit/", data))

    assert list(proposal.versions.order_by("number").values_list("number", "title")) == [
        (1, proposal.current_version.title),
        (2, "A better title"),
    ]


def test_the_api_submit_sent_at_once_makes_one_version():
    proposal = complete_draft()
    clients = _api_clients(N, proposal.applicant)

    responses = run_in_parallel(
        N, lambda i: clients[i].post(f"/api/v1/proposals/{proposal.pk}/submit/")
    )

    assert sorted(r.status_code for r in responses) == [200] * (N - 1) + [201]
    assert {r.json()["reference"] for r in responses} == {
        f"{Proposal.objects.get(pk=proposal.pk).reference}-v1"
    }
    assert proposal.versions.count() == 1


def test_the_api_resubmit_without_changes_answers_the_current_version():
    proposal = submitted()
    api = _api_clients(1, proposal.applicant)[0]
    response = api.post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["reference"] == proposal.current_version.reference
    api.patch(f"/api/v1/proposals/{proposal.pk}/", {"title": "Changed"}, format="json")
    assert api.post(f"/api/v1/proposals/{proposal.pk}/submit/").status_code == 201
    assert proposal.versions.count() == 2


# --- Reviews and deliverables -----------------------------------------------------------------


def test_a_review_submitted_twice_at_once_is_submitted_once():
    from opencalls.evaluation import services as evaluation

    from .evaluation.factories import assign, call_under_evaluation, pool_evaluator, review

    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    review(assignment, submit=False)

    results = run_in_parallel(
        N,
        lambda i: evaluation.review_submit(assignment=assignment, actor=assignment.evaluator),
    )

    assert [type(r) for r in results] == [Review] * N
    assert {r.submitted_at for r in results} == {Review.objects.get().submitted_at}


def test_a_deliverable_uploaded_twice_at_once_is_recorded_once():
    from .factories import funded

    project = funded()
    deliverable = services.deliverable_add(
        project=project,
        actor=UserFactory(roles=["call-manager"]),
        kind="deliverable",
        title="Final report",
        due_date=project.end_date,
    )
    member = project.beneficiary

    run_in_parallel(
        N,
        lambda i: services.deliverable_submit(
            deliverable=deliverable, actor=member, upload=pdf_upload("report.pdf"), note="v1"
        ),
    )

    assert DeliverableSubmission.objects.filter(deliverable=deliverable).count() == 1


# --- One proposal per organisation --------------------------------------------------------------


def test_colleagues_submitting_for_one_organisation_at_once_get_one_proposal_in():
    """Two people of the same organisation (country and registration number, typed
    differently) submit at the same moment: the call's lock lets exactly one in, the other is
    told why, and no second version or receipt exists."""
    call = CallFactory()
    drafts = [
        complete_draft(call=call, registration="0123.456.789"),
        complete_draft(call=call, registration="0123456789"),
    ]

    def submit(i):
        try:
            return services.proposal_submit(proposal=drafts[i], actor=drafts[i].applicant)
        except (ValidationError, PortalError) as error:  # what one of them must get
            return error

    outcomes = run_in_parallel(2, submit)

    versions = [o for o in outcomes if isinstance(o, ProposalVersion)]
    refusals = [o for o in outcomes if not isinstance(o, ProposalVersion)]
    assert len(versions) == 1
    assert len(refusals) == 1
    assert "already has a proposal submitted" in str(refusals[0])
    assert Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED).count() == 1
    assert ProposalVersion.objects.filter(proposal__call=call).count() == 1
