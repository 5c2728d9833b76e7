"""The resource form sent twice (a double click, a second tab, a retry) makes one resource,
stores one file and emails the committee once; the repeat lands on the first resource."""

import uuid
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.roles import Role
from aida import services
from aida.models import Resource
from tests.concurrency import parallel_clients, run_in_parallel
from tests.factories import UserFactory
from tests.opencalls.factories import MINIMAL_PDF

from .factories import LecturerFactory, resource_fields

SUBMIT = "/aida/resources/submit/"


def _form(token, **changes) -> dict:
    defaults = {"url": "https://example.org/transformers", "course": "", "form_token": str(token)}
    return resource_fields(**{**defaults, **changes})


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _committee_emails() -> int:
    return OutboundEmail.objects.filter(template="aida/resource_submitted").count()


@pytest.mark.django_db
def test_submit_form_carries_a_fresh_token(client):
    lecturer = LecturerFactory()
    client.force_login(lecturer.user)
    first = client.get(SUBMIT).context["form"].initial["form_token"]
    second = client.get(SUBMIT).context["form"].initial["form_token"]
    assert isinstance(first, uuid.UUID)
    assert first != second


@pytest.mark.django_db
def test_same_form_sent_twice_makes_one_resource_and_lands_on_it(client):
    UserFactory(roles=[Role.AIDA_COORDINATOR])
    lecturer = LecturerFactory()
    client.force_login(lecturer.user)
    token = uuid.uuid4()
    first = client.post(SUBMIT, _form(token), follow=True)
    second = client.post(SUBMIT, _form(token), follow=True)
    resource = Resource.objects.get()
    assert first.redirect_chain == [(resource.get_absolute_url(), 302)]
    assert [str(m) for m in first.context["messages"]] == [
        "Thank you: the committee will review it."
    ]
    assert second.redirect_chain == [(resource.get_absolute_url(), 302)]
    assert [str(m) for m in second.context["messages"]] == [
        "This resource was already sent to the committee."
    ]
    assert resource.form_token == token
    assert _committee_emails() == 1


@pytest.mark.django_db
def test_a_new_form_makes_a_new_resource(client):
    lecturer = LecturerFactory()
    client.force_login(lecturer.user)
    client.post(SUBMIT, _form(uuid.uuid4()))
    client.post(SUBMIT, _form(uuid.uuid4()))
    assert Resource.objects.count() == 2
    assert len(set(Resource.objects.values_list("slug", flat=True))) == 2


@pytest.mark.django_db
def test_refused_form_keeps_its_token_so_the_corrected_one_is_made_once(client):
    lecturer = LecturerFactory()
    client.force_login(lecturer.user)
    token = uuid.uuid4()
    refused = client.post(SUBMIT, _form(token, licence="my own licence"))
    assert refused.status_code == 422
    assert f'value="{token}"' in refused.content.decode()
    client.post(SUBMIT, _form(token))
    client.post(SUBMIT, _form(token))
    assert Resource.objects.count() == 1


@pytest.mark.django_db
def test_someone_elses_token_is_refused(client):
    first, second = LecturerFactory(), LecturerFactory()
    token = uuid.uuid4()
    client.force_login(first.user)
    client.post(SUBMIT, _form(token))
    client.force_login(second.user)
    assert client.post(SUBMIT, _form(token)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.resource_submit(
            data={"title": "Other", "url": "https://example.org/x"},
            actor=second.user,
            form_token=token,
        )
    assert list(Resource.objects.values_list("submitted_by", flat=True)) == [first.user.pk]


@pytest.mark.django_db(transaction=True)
def test_the_form_sent_twice_at_once_makes_one_resource_one_file_and_one_email():
    UserFactory(roles=[Role.AIDA_COORDINATOR])
    lecturer = LecturerFactory()
    clients = parallel_clients(2, lecturer.user)
    token = uuid.uuid4()

    def send(i):
        upload = SimpleUploadedFile("slides.pdf", MINIMAL_PDF, content_type="application/pdf")
        return clients[i].post(SUBMIT, _form(token, file=upload))

    root = Path(Resource._meta.get_field("file").storage.location)
    before = _files(root)
    responses = run_in_parallel(2, send)

    resource = Resource.objects.get()
    assert [r.status_code for r in responses] == [302, 302], responses
    assert {r["Location"] for r in responses} == {resource.get_absolute_url()}
    assert _committee_emails() == 1
    assert _files(root) - before == {resource.file.name}  # the loser's copy is not left behind
