"""Content proposals: anyone signed in proposes; the editorial inbox accepts (a draft assigned
to an editor) or declines with a reply the proposer receives."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import OutboundEmail
from observatory import services
from observatory.enums import ContentStatus, ProposalStatus
from observatory.models import ContentProposal
from tests.factories import UserFactory
from tests.utils import Access, assert_constant_queries, check_matrix

from .factories import topic

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _data(**changes):
    data = {
        "title": "A study of AI labels on news photos",
        "summary": "Readers trust labelled photos less, a survey of 4,000 finds.",
        "link": "https://research.example.org/labels",
        "topic": topic("social-ethical-ai"),
        "fit": "Evidence on audiences, in scope of Social & Ethical AI.",
    }
    data.update(changes)
    return data


def _proposal(proposer=None, **changes):
    return services.proposal_submit(actor=proposer or UserFactory(), data=_data(**changes))


def test_submit_tells_the_editorial_team(member, editor, chief):
    proposal = services.proposal_submit(actor=member, data=_data())
    assert proposal.status == ProposalStatus.NEW
    email = OutboundEmail.objects.get(template="observatory/proposal_received")
    assert email.to == sorted([editor.email, chief.email])
    assert "Readers trust labelled photos less" in email.body_text


def test_a_link_or_a_file_is_required(member):
    with pytest.raises(PortalError) as error:
        services.proposal_submit(actor=member, data=_data(link=""))
    assert error.value.field == "link"


def test_a_file_alone_is_enough_and_is_private(client, member, editor):
    upload = SimpleUploadedFile("study.pdf", PDF, content_type="application/pdf")
    proposal = services.proposal_submit(actor=member, data=_data(link=""), file=upload)
    url = reverse("observatory:proposal_file", args=[proposal.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_accept_makes_a_draft_assigned_to_the_editor_and_tells_both(member, editor, chief):
    proposal = _proposal(member)
    proposal = services.proposal_accept(proposal=proposal, actor=chief, editor=editor)
    assert proposal.status == ProposalStatus.ACCEPTED
    draft = proposal.draft
    assert draft.status == ContentStatus.DRAFT
    assert draft.created_by == editor
    assert draft.title == "A study of AI labels on news photos"
    assert draft.source_url == "https://research.example.org/labels"
    assert list(draft.topics.values_list("slug", flat=True)) == ["social-ethical-ai"]
    assert Version.objects.get_for_object(draft).count() == 1
    assert OutboundEmail.objects.get(template="observatory/proposal_accepted").to == [member.email]
    assert OutboundEmail.objects.get(template="observatory/proposal_assigned").to == [editor.email]


def test_accept_refuses_an_assignee_outside_the_team(member, chief):
    proposal = _proposal()
    with pytest.raises(PortalError) as error:
        services.proposal_accept(proposal=proposal, actor=chief, editor=member)
    assert error.value.field == "editor"
    assert ContentProposal.objects.get(pk=proposal.pk).status == ProposalStatus.NEW


def test_decline_needs_a_reply_and_sends_it(member, editor):
    proposal = _proposal(member)
    with pytest.raises(PortalError) as error:
        services.proposal_decline(proposal=proposal, actor=editor, reply="  ")
    assert error.value.field == "reply"
    services.proposal_decline(proposal=proposal, actor=editor, reply="Out of scope: too technical.")
    email = OutboundEmail.objects.get(template="observatory/proposal_declined")
    assert email.to == [member.email]
    assert "Out of scope: too technical." in email.body_text


@pytest.mark.parametrize("first", ["accept", "decline"])
def test_a_proposal_is_decided_once(editor, chief, first):
    proposal = _proposal()
    if first == "accept":
        services.proposal_accept(proposal=proposal, actor=chief, editor=editor)
    else:
        services.proposal_decline(proposal=proposal, actor=chief, reply="No.")
    with pytest.raises(PortalError):
        services.proposal_accept(proposal=proposal, actor=chief, editor=editor)
    with pytest.raises(PortalError):
        services.proposal_decline(proposal=proposal, actor=chief, reply="No.")


@pytest.mark.parametrize("who", ["member", "staff", "superuser", "network-manager"])
def test_only_the_editorial_team_decides(people, editor, who):
    proposal = _proposal()
    with pytest.raises(PermissionDenied):
        services.proposal_decline(proposal=proposal, actor=people[who], reply="No.")
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=proposal, actor=people[who], editor=editor)


def test_an_editor_never_decides_their_own_proposal(editor):
    proposal = _proposal(editor)
    with pytest.raises(PermissionDenied):
        services.proposal_decline(proposal=proposal, actor=editor, reply="No.")


def test_pages_matrix(client, people):
    proposer = UserFactory()
    proposal = _proposal(proposer)
    cast = {**people, "proposer": proposer}
    detail = f"/observatory/proposals/{proposal.pk}/"
    rows = [
        Access("get", "/observatory/propose/", "anonymous", 302),
        Access("get", "/observatory/propose/", "member", 200),
        Access("get", detail, "proposer", 200),
        Access("get", detail, "observatory-editor", 200),
        Access("get", detail, "editor-in-chief", 200),
        *[Access("get", detail, who, 404) for who in ["member", "staff", "superuser"]],
        Access("get", "/observatory/manage/proposals/", "observatory-editor", 200),
        *[
            Access("get", "/observatory/manage/proposals/", who, 403)
            for who in ["member", "staff", "superuser", "proposer"]
        ],
        Access("post", f"{detail}decline/", "proposer", 403, {"reply": "Mine"}),
    ]
    check_matrix(client, cast, rows)
    assert ContentProposal.objects.get(pk=proposal.pk).status == ProposalStatus.NEW


def test_the_form_keeps_what_was_typed_and_shows_errors_beside_fields(client, member):
    client.force_login(member)
    response = client.post(
        "/observatory/propose/",
        {
            "title": "<script>alert(1)</script> labels",
            "summary": "Keep this summary",
            "link": "javascript:alert(1)",
            "topic": topic("policy-legislation").pk,
            "fit": "",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"link", "fit"}
    html = response.content.decode()
    assert "Keep this summary" in html
    assert "<script>alert(1)</script>" not in html
    assert ContentProposal.objects.count() == 0


def test_the_form_refuses_a_file_that_is_not_a_pdf(client, member):
    client.force_login(member)
    response = client.post(
        "/observatory/propose/",
        {
            **{k: v for k, v in _data(link="").items() if k != "topic"},
            "topic": topic("policy-legislation").pk,
            "file": SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>"),
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"][0].startswith("This file is not a PDF")


def test_propose_then_decline_through_the_pages(client, member, editor):
    client.force_login(member)
    response = client.post(
        "/observatory/propose/", {**_data(), "topic": topic("policy-legislation").pk}
    )
    proposal = ContentProposal.objects.get()
    assert response["Location"] == f"/observatory/proposals/{proposal.pk}/"
    client.force_login(editor)
    url = f"/observatory/proposals/{proposal.pk}/decline/"
    assert client.post(url, {"reply": ""}).status_code == 422
    assert client.post(url, {"reply": "Not for us."}).status_code == 302
    assert ContentProposal.objects.get().status == ProposalStatus.DECLINED


def test_accept_through_the_page(client, member, editor, chief):
    proposal = _proposal(member)
    client.force_login(chief)
    url = f"/observatory/proposals/{proposal.pk}/accept/"
    assert client.post(url, {"editor": member.pk}).status_code == 422
    assert client.post(url, {"editor": editor.pk}).status_code == 302
    assert ContentProposal.objects.get().draft.created_by == editor


def test_inbox_runs_a_constant_number_of_queries(client, editor):
    client.force_login(editor)
    assert_constant_queries(client, "/observatory/manage/proposals/", _proposal)
