"""An expert's edit of their approved profile waits for an editor; the approved version stays
public meanwhile."""

import pytest
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import OutboundEmail
from observatory import services
from observatory.models import Expert

from .conftest import png_upload
from .factories import topic

pytestmark = pytest.mark.django_db


def _data(**changes):
    data = {
        "name": "Ioanna Papadaki",
        "headline": "Media forensics researcher",
        "bio": "Works on deepfake detection.",
        "organisation": None,
        "organisation_name": "Independent",
        "country": "GR",
        "expertise": ["deepfake detection"],
        "languages": ["en", "el"],
        "available_for": ["interviews"],
        "orcid": "",
        "website": "",
        "accepts_contact": True,
    }
    data.update(changes)
    return data


@pytest.fixture
def approved(member, chief):
    expert = services.expert_create(
        actor=member, data=_data(), topics=[topic("social-ethical-ai")], for_self=True
    )
    return services.expert_approve(expert=expert, actor=chief)


def test_the_edit_waits_and_the_approved_version_stays_public(
    client, member, editor, chief, approved
):
    OutboundEmail.objects.all().delete()
    expert = services.expert_update(
        expert=approved,
        actor=member,
        data=_data(headline="Deepfake hunter", expertise=["deepfakes", "provenance"]),
        topics=[topic("ai-technologies-for-media")],
    )
    assert expert.pending_changes == {
        "headline": "Deepfake hunter",
        "expertise": ["deepfakes", "provenance"],
        "topics": [topic("ai-technologies-for-media").pk],
    }
    live = Expert.objects.get(pk=approved.pk)
    assert live.headline == "Media forensics researcher"
    page = client.get(approved.get_absolute_url()).content.decode()
    assert "Media forensics researcher" in page
    assert "Deepfake hunter" not in page
    assert "Deepfake hunter" not in client.get("/api/v1/experts/").content.decode()
    assert client.get("/observatory/experts/?q=hunter").content.decode().count("Ioanna") == 0
    email = OutboundEmail.objects.get(template="observatory/expert_changes_pending")
    assert sorted(email.to) == sorted([editor.email, chief.email])

    # The expert sees their changes in the form, not the approved version.
    client.force_login(member)
    form = client.get("/observatory/experts/me/").content.decode()
    assert 'value="Deepfake hunter"' in form
    assert "wait for an editor" in form

    # The editors see it first in their queue, with what changed.
    client.force_login(editor)
    queue = client.get("/observatory/manage/experts/").content.decode()
    assert "changes to approve" in queue
    review = client.get(f"/observatory/manage/experts/{approved.pk}/edit/").content.decode()
    assert "Media forensics researcher" in review
    assert "Deepfake hunter" in review
    response = client.post(f"/observatory/manage/experts/{approved.pk}/changes/", {"approve": "1"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.headline == "Deepfake hunter"
    assert live.expertise == ["deepfakes", "provenance"]
    assert list(live.topics.values_list("slug", flat=True)) == ["ai-technologies-for-media"]
    assert live.pending_changes == {}
    assert "Deepfake hunter" in client.get(approved.get_absolute_url()).content.decode()
    assert OutboundEmail.objects.filter(
        template="observatory/expert_changes_approved", to=[member.email]
    ).exists()


def test_declining_needs_a_reply_the_expert_receives(client, member, editor, approved):
    services.expert_update(expert=approved, actor=member, data={"bio": "Now I sell courses."})
    client.force_login(editor)
    url = f"/observatory/manage/experts/{approved.pk}/changes/"
    response = client.post(url, {"decline": "1", "reply": ""})
    assert response.status_code == 422
    assert 'id="id_reply_error"' in response.content.decode()
    assert Expert.objects.get(pk=approved.pk).pending_changes == {"bio": "Now I sell courses."}
    client.post(url, {"decline": "1", "reply": "The directory lists no advertising."})
    live = Expert.objects.get(pk=approved.pk)
    assert live.pending_changes == {}
    assert live.bio == "Works on deepfake detection."
    email = OutboundEmail.objects.get(template="observatory/expert_changes_declined")
    assert "The directory lists no advertising." in email.body_text


def test_switching_contact_off_applies_at_once(member, approved):
    expert = services.expert_update(expert=approved, actor=member, data={"accepts_contact": False})
    assert expert.pending_changes == {}
    assert Expert.objects.get(pk=approved.pk).accepts_contact is False


def test_undoing_a_change_takes_it_off_the_waiting_list(member, approved):
    services.expert_update(expert=approved, actor=member, data={"headline": "New"})
    expert = services.expert_update(
        expert=approved, actor=member, data={"headline": "Media forensics researcher"}
    )
    assert expert.pending_changes == {}


def test_a_new_photo_waits_too(client, member, chief, approved):
    expert = services.expert_update(
        expert=approved, actor=member, data={}, photo=png_upload("me.png")
    )
    assert expert.pending_changes == {"photo": "new"}
    assert not Expert.objects.get(pk=approved.pk).photo
    proposed = expert.pending_photo.name
    assert proposed
    expert = services.expert_review_changes(expert=expert, actor=chief, approve=True)
    assert Expert.objects.get(pk=approved.pk).photo.name == proposed
    assert not expert.pending_photo


def test_a_bad_value_is_refused_beside_the_field_not_kept(member, approved):
    with pytest.raises(PortalError) as caught:
        services.expert_update(expert=approved, actor=member, data={"orcid": "0000-0002-1825-0098"})
    assert caught.value.field == "orcid"
    assert Expert.objects.get(pk=approved.pk).pending_changes == {}


def test_an_editor_changes_a_profile_at_once_and_never_reviews_their_own(editor, chief):
    expert = services.expert_create(actor=editor, data=_data(), for_self=True)
    expert = services.expert_approve(expert=expert, actor=chief)
    services.expert_update(expert=expert, actor=editor, data={"headline": "Editor and expert"})
    with pytest.raises(PermissionDenied):
        services.expert_review_changes(expert=expert, actor=editor, approve=True)
    services.expert_update(expert=expert, actor=chief, data={"bio": "Edited by the chief."})
    live = Expert.objects.get(pk=expert.pk)
    assert live.bio == "Edited by the chief."
    assert live.headline == "Media forensics researcher"
    services.expert_review_changes(expert=expert, actor=chief, approve=True)
    assert Expert.objects.get(pk=expert.pk).headline == "Editor and expert"


def test_a_profile_not_yet_approved_changes_at_once(member):
    expert = services.expert_create(actor=member, data=_data(), for_self=True)
    expert = services.expert_update(expert=expert, actor=member, data={"headline": "Changed"})
    assert expert.pending_changes == {}
    assert Expert.objects.get(pk=expert.pk).headline == "Changed"
