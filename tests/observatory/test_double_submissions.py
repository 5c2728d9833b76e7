"""Create forms sent twice at the same moment (a double click, a retry, two tabs of one page)
create once: a piece, a proposal, an expert profile, a message to an expert. Real parallel
requests (``tests.concurrency``), each on its own database connection."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.roles import Role
from observatory import services
from observatory.models import ContactMessage, ContentItem, ContentProposal, Expert
from tests.concurrency import parallel_clients, run_in_parallel
from tests.factories import UserFactory

from .factories import topic

pytestmark = pytest.mark.django_db(transaction=True)

N = 4


def _expert_data(**changes):
    data = {
        "name": "Ioanna Papadaki",
        "headline": "Media forensics researcher",
        "bio": "Works on deepfake detection.",
        "organisation": "",
        "organisation_name": "Independent",
        "country": "GR",
        "expertise": "deepfake detection",
        "languages": ["en"],
        "orcid": "",
        "website": "",
        "accepts_contact": "on",
    }
    data.update(changes)
    return data


def test_the_write_form_sent_at_once_makes_one_draft():
    author = UserFactory()
    clients = parallel_clients(N, author)
    token = str(uuid.uuid4())
    data = {
        "form_token": token,
        "kind": "analysis",
        "title": "Newsroom AI guidelines compared",
        "slug": "newsroom-ai-guidelines",
        "standfirst": "What twelve newsrooms wrote down.",
        "body": "Body.",
        "language": "en",
        "topics": [topic().pk],
        "tags": "",
    }
    responses = run_in_parallel(N, lambda i: clients[i].post("/observatory/write/", data))
    items = list(ContentItem.objects.filter(created_by=author))
    assert len(items) == 1
    assert [r.status_code for r in responses] == [302] * N
    assert {r["Location"] for r in responses} == {f"/observatory/manage/{items[0].pk}/"}


def test_the_proposal_form_sent_at_once_makes_one_proposal_and_one_email():
    UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    proposer = UserFactory()
    clients = parallel_clients(N, proposer)
    data = {
        "form_token": str(uuid.uuid4()),
        "title": "A study of AI labels on news sites",
        "summary": "Readers ignore most of them.",
        "link": "https://example.org/study",
        "topic": topic().pk,
        "fit": "It is research on media and AI.",
    }
    responses = run_in_parallel(N, lambda i: clients[i].post("/observatory/propose/", data))
    assert [r.status_code for r in responses] == [302] * N
    assert ContentProposal.objects.filter(proposer=proposer).count() == 1
    assert OutboundEmail.objects.filter(template="observatory/proposal_received").count() == 1


def test_the_profile_form_sent_at_once_makes_one_profile():
    UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    expert = UserFactory()
    clients = parallel_clients(N, expert)
    data = _expert_data(form_token=str(uuid.uuid4()))
    responses = run_in_parallel(N, lambda i: clients[i].post("/observatory/experts/me/", data))
    assert [r.status_code for r in responses] == [302] * N
    assert Expert.objects.filter(user=expert).count() == 1
    assert OutboundEmail.objects.filter(template="observatory/expert_pending").count() == 1


def test_an_editors_profile_form_sent_at_once_makes_one_profile():
    editor = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    clients = parallel_clients(N, editor)
    data = _expert_data(form_token=str(uuid.uuid4()), contact_email="ioanna@uni.example.org")
    responses = run_in_parallel(
        N, lambda i: clients[i].post("/observatory/manage/experts/new/", data)
    )
    assert [r.status_code for r in responses] == [302] * N
    assert Expert.objects.count() == 1


def test_the_contact_form_sent_at_once_sends_one_message(settings):
    settings.OBSERVATORY_CONTACT_PER_HOUR = 5
    editor = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    chief = UserFactory(roles=[Role.EDITOR_IN_CHIEF])
    expert = services.expert_create(
        actor=editor,
        data={
            "name": "Ioanna Papadaki",
            "headline": "Forensics",
            "bio": "Bio",
            "country": "GR",
            "languages": ["en"],
            "contact_email": "expert@uni.example.org",
        },
        for_self=False,
    )
    services.expert_approve(expert=expert, actor=chief)
    reader = UserFactory()
    clients = parallel_clients(N, reader)
    data = {"form_token": str(uuid.uuid4()), "subject": "An interview", "body": "Hello"}
    responses = run_in_parallel(
        N, lambda i: clients[i].post(f"/observatory/experts/{expert.slug}/contact/", data)
    )
    assert [r.status_code for r in responses] == [302] * N
    assert ContactMessage.objects.filter(sender=reader).count() == 1
    assert OutboundEmail.objects.filter(template="observatory/contact").count() == 1


def test_someone_elses_token_is_refused_without_revealing_what_it_made():
    author, other = UserFactory(), UserFactory()
    token = uuid.uuid4()
    data = {"kind": "news", "title": "Mine", "standfirst": "Mine.", "language": "en"}
    services.content_create(actor=author, data=data, form_token=token)
    with pytest.raises(PermissionDenied):
        services.content_create(actor=other, data=data, form_token=token)
    proposal = {
        "title": "T",
        "summary": "S",
        "link": "https://example.org",
        "topic": topic(),
        "fit": "F",
    }
    services.proposal_submit(actor=author, data=proposal, form_token=token)
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=other, data=proposal, form_token=token)


def test_each_drawing_of_a_create_form_carries_a_new_token(client):
    client.force_login(UserFactory())
    tokens = set()
    for url in ("/observatory/write/", "/observatory/propose/", "/observatory/experts/me/"):
        for _ in range(2):
            page = client.get(url).content.decode()
            tokens.add(page.split('name="form_token" value="')[1].split('"')[0])
    assert len(tokens) == 6
