"""An educational resource has a link, a file or both: the file is a PDF, a ZIP archive or a
Jupyter notebook judged by its content, kept in private storage and downloaded through a view
that shows it to everyone once the resource is accepted, and before that only to its
submitter and the committee."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.files import FILE_CSP
from aida import services
from aida.enums import ReviewCriterion
from aida.models import Resource
from tests.factories import UserFactory
from tests.opencalls.factories import MINIMAL_PDF

from .factories import LecturerFactory, ResourceFactory, StudentFactory, resource_fields

pytestmark = pytest.mark.django_db


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course/week1.md", "# Week 1")
    return buffer.getvalue()


NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()
HTML = b"<html><script>alert(document.domain)</script></html>"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def form_data(**changes) -> dict:
    return resource_fields(**{"url": "", "course": "", **changes})


def service_data(**changes) -> dict:
    data = form_data(**changes)
    data["course"] = None
    return data


def stored(resource: Resource) -> bytes:
    with resource.file.open("rb") as handle:
        return handle.read()


# --- Submitting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("slides.pdf", MINIMAL_PDF, ".pdf"),
        ("course.zip", zip_archive(), ".zip"),
        ("lab.ipynb", NOTEBOOK, ".ipynb"),
        ("lab.txt", NOTEBOOK, ".ipynb"),  # the content decides, not the name
    ],
)
def test_lecturer_submits_a_file_without_a_link(client, lecturer, name, content, extension):
    client.force_login(lecturer.user)
    response = client.post(
        "/aida/resources/submit/", form_data(file=upload(name, content)), follow=False
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.url, resource.file_name, resource.file_size) == ("", name, len(content))
    assert resource.file.name.startswith("aida/resources/")
    assert resource.file.name.endswith(extension)
    assert stored(resource) == content


def test_html_named_pdf_is_refused_beside_the_file_and_nothing_typed_is_lost(client, lecturer):
    client.force_login(lecturer.user)
    response = client.post(
        "/aida/resources/submit/",
        form_data(file=upload("notes.pdf", HTML), url="https://example.org/notes"),
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors == {
        "file": [
            "This file is not a PDF, slides, a text document or spreadsheet (Office or "
            "OpenDocument), a ZIP archive or a Jupyter notebook. "
            "Upload one of those."
        ]
    }
    html = response.content.decode()
    assert 'id="id_file_error"' in html
    assert 'value="Transformers from scratch"' in html
    assert 'value="https://example.org/notes"' in html
    assert Resource.objects.count() == 0


def test_neither_link_nor_file_is_refused_beside_the_link(client, lecturer):
    client.force_login(lecturer.user)
    response = client.post("/aida/resources/submit/", form_data())
    assert response.status_code == 422
    assert response.context["form"].errors == {"url": ["Give a link or upload a file."]}
    assert 'value="Luca Lecturer"' in response.content.decode()
    with pytest.raises(PortalError) as error:
        services.resource_submit(data=service_data(), actor=lecturer.user)
    assert (error.value.field, error.value.message) == ("url", "Give a link or upload a file.")
    assert Resource.objects.count() == 0


def test_service_refuses_a_file_that_is_not_teaching_material(lecturer):
    with pytest.raises(PortalError) as error:
        services.resource_submit(
            data=service_data(url="https://example.org/x"),
            file=upload("x.ipynb", b'{"cells": "no"}'),
            actor=lecturer.user,
        )
    assert error.value.field == "file"
    assert Resource.objects.count() == 0


def test_database_refuses_a_resource_without_link_or_file(lecturer):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        ResourceFactory(url="", submitted_by=lecturer.user)


def test_link_and_file_together_are_both_shown(client, lecturer):
    resource = services.resource_submit(
        data=service_data(url="https://example.org/slides"),
        file=upload("slides.pdf", MINIMAL_PDF),
        actor=lecturer.user,
    )
    client.force_login(lecturer.user)
    html = client.get(resource.get_absolute_url()).content.decode()
    assert 'href="https://example.org/slides"' in html
    assert f'href="/aida/resources/{resource.slug}/file"' in html
    assert f"Download file (PDF, {len(MINIMAL_PDF)}\xa0bytes)" in html


# --- Resubmitting ------------------------------------------------------------------------------


def _ask_for_changes(resource, coordinator):
    services.resource_review(
        resource=resource,
        decision="changes-requested",
        criteria={c: {"met": True, "comment": ""} for c in ReviewCriterion.values},
        reasons="Add the notebook.",
        actor=coordinator,
    )


def test_resubmission_replaces_the_file_and_deletes_the_old_one_after_commit(
    client, lecturer, coordinator, django_capture_on_commit_callbacks
):
    resource = services.resource_submit(
        data=service_data(), file=upload("v1.pdf", MINIMAL_PDF), actor=lecturer.user
    )
    old_name, storage = resource.file.name, resource.file.storage
    _ask_for_changes(resource, coordinator)
    client.force_login(lecturer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/aida/resources/{resource.slug}/resubmit/",
            form_data(file=upload("v2.ipynb", NOTEBOOK)),
        )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.file_name) == ("submitted", "v2.ipynb")
    assert resource.file.name.endswith(".ipynb")
    assert stored(resource) == NOTEBOOK
    assert not storage.exists(old_name)


def test_resubmission_keeps_the_file_when_none_is_chosen(client, lecturer, coordinator):
    resource = services.resource_submit(
        data=service_data(), file=upload("v1.pdf", MINIMAL_PDF), actor=lecturer.user
    )
    name = resource.file.name
    _ask_for_changes(resource, coordinator)
    client.force_login(lecturer.user)
    response = client.post(
        f"/aida/resources/{resource.slug}/resubmit/", form_data(description="Better.")
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.description, resource.file.name, resource.file_name) == (
        "Better.",
        name,
        "v1.pdf",
    )


def test_resubmission_cannot_remove_the_only_file(client, lecturer, coordinator):
    resource = services.resource_submit(
        data=service_data(), file=upload("v1.pdf", MINIMAL_PDF), actor=lecturer.user
    )
    _ask_for_changes(resource, coordinator)
    client.force_login(lecturer.user)
    response = client.post(
        f"/aida/resources/{resource.slug}/resubmit/", form_data(**{"file-clear": "on"})
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"url": ["Give a link or upload a file."]}
    with pytest.raises(PortalError) as error:
        services.resource_resubmit(resource=resource, data={}, clear_file=True, actor=lecturer.user)
    assert error.value.field == "url"
    resource.refresh_from_db()
    assert (resource.status, resource.file_name) == ("changes-requested", "v1.pdf")
    assert resource.file.storage.exists(resource.file.name)


def test_resubmission_may_swap_the_file_for_a_link(
    lecturer, coordinator, django_capture_on_commit_callbacks
):
    resource = services.resource_submit(
        data=service_data(), file=upload("v1.pdf", MINIMAL_PDF), actor=lecturer.user
    )
    old_name, storage = resource.file.name, resource.file.storage
    _ask_for_changes(resource, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_resubmit(
            resource=resource,
            data={"url": "https://example.org/v2"},
            clear_file=True,
            actor=lecturer.user,
        )
    resource.refresh_from_db()
    assert (resource.file.name, resource.file_name, resource.file_size) == ("", "", 0)
    assert not storage.exists(old_name)


# --- Downloading ---------------------------------------------------------------------------------


@pytest.fixture
def with_file(lecturer):
    def make(status: str) -> Resource:
        resource = services.resource_submit(
            data=service_data(title=f"Resource {status}"),
            file=upload("my slides.pdf", MINIMAL_PDF),
            actor=lecturer.user,
        )
        Resource.objects.filter(pk=resource.pk).update(status=status)
        return resource

    return make


def _people(lecturer, coordinator) -> dict:
    return {
        "anonymous": None,
        "other lecturer": LecturerFactory().user,
        "student": StudentFactory().user,
        "signed in": UserFactory(),
        "staff": UserFactory(is_staff=True, is_superuser=True),
        "submitter": lecturer.user,
        "coordinator": coordinator,
    }


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("submitted", {"submitter", "coordinator"}),
        ("changes-requested", {"submitter", "coordinator"}),
        ("rejected", {"submitter", "coordinator"}),
        (
            "accepted",
            {
                "anonymous",
                "other lecturer",
                "student",
                "signed in",
                "staff",
                "submitter",
                "coordinator",
            },
        ),
    ],
)
def test_file_view_permission_matrix(client, lecturer, coordinator, with_file, status, allowed):
    resource = with_file(status)
    url = f"/aida/resources/{resource.slug}/file"
    answers = {}
    for name, user in _people(lecturer, coordinator).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        answers[name] = client.get(url).status_code
    assert answers == {name: 200 if name in allowed else 404 for name in answers}


def test_file_is_an_attachment_that_never_runs_and_is_not_cached(client, with_file):
    resource = with_file("accepted")
    response = client.get(f"/aida/resources/{resource.slug}/file")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="my slides.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_notebook_is_served_as_a_notebook_attachment_under_its_uploaded_stem(client, lecturer):
    resource = services.resource_submit(
        data=service_data(), file=upload("lab.pdf.html", NOTEBOOK), actor=lecturer.user
    )
    Resource.objects.filter(pk=resource.pk).update(status="accepted")
    response = client.get(f"/aida/resources/{resource.slug}/file")
    assert response["Content-Type"] == "application/x-ipynb+json"
    assert response["Content-Disposition"] == 'attachment; filename="lab.pdf.ipynb"'


def test_slides_are_kept_and_served_as_slides(client, lecturer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<presentation/>")
    resource = services.resource_submit(
        data=service_data(), file=upload("Week 3.pptx", buffer.getvalue()), actor=lecturer.user
    )
    assert resource.file.name.endswith(".pptx")
    Resource.objects.filter(pk=resource.pk).update(status="accepted")
    assert "Download file (PowerPoint," in client.get(resource.get_absolute_url()).content.decode()
    response = client.get(f"/aida/resources/{resource.slug}/file")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )
    assert response["Content-Disposition"] == 'attachment; filename="Week 3.pptx"'


def test_file_view_is_a_404_without_a_file_or_resource(client):
    resource = ResourceFactory()
    assert client.get(f"/aida/resources/{resource.slug}/file").status_code == 404
    assert client.get("/aida/resources/nothing-here/file").status_code == 404
    assert client.post(f"/aida/resources/{resource.slug}/file").status_code == 405


# --- Lists and the API ---------------------------------------------------------------------------


def test_public_list_says_file_or_link(client, with_file):
    with_file("accepted")
    ResourceFactory(title="Only a link")
    items = client.get("/aida/resources/").content.decode().split("<li>")[1:]
    badges = {
        title: [kind for kind in ("file", "link") if f'text-bg-light">{kind}</span>' in item]
        for item in items
        for title in ("Resource accepted", "Only a link")
        if title in item
    }
    assert badges == {"Resource accepted": ["file"], "Only a link": ["link"]}


def test_api_gives_the_file_address_or_null(with_file):
    resource = with_file("accepted")
    linked = ResourceFactory(title="Zz linked")
    rows = APIClient().get("/api/v1/aida/resources/").json()["results"]
    by_slug = {row["slug"]: row for row in rows}
    assert by_slug[resource.slug]["file_url"] == (
        f"http://testserver/aida/resources/{resource.slug}/file"
    )
    assert (by_slug[resource.slug]["url"], by_slug[resource.slug]["file_name"]) == (
        None,
        "my slides.pdf",
    )
    assert (by_slug[linked.slug]["file_url"], by_slug[linked.slug]["url"]) == (
        None,
        linked.url,
    )


# --- The form's file picker and the revise page ------------------------------------------------


def test_file_picker_offers_every_kind_of_teaching_material(client, lecturer):
    client.force_login(lecturer.user)
    html = client.get("/aida/resources/submit/").content.decode()
    assert 'accept=".pdf,.pptx,.docx,.xlsx,.odp,.odt,.ods,.zip,.ipynb"' in html


def test_revise_page_names_the_uploaded_file_and_links_to_its_download(
    client, lecturer, coordinator
):
    resource = services.resource_submit(
        data=service_data(), file=upload("week 1 slides.pdf", MINIMAL_PDF), actor=lecturer.user
    )
    _ask_for_changes(resource, coordinator)
    client.force_login(lecturer.user)
    response = client.get(f"/aida/resources/{resource.slug}/resubmit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="/aida/resources/{resource.slug}/file">week 1 slides.pdf</a>' in html
    assert 'accept=".pdf,.pptx,.docx,.xlsx,.odp,.odt,.ods,.zip,.ipynb"' in html
    assert "/media/" not in html
    assert resource.file.name not in html
    assert '<li class="breadcrumb-item active" aria-current="page">Revise</li>' in html


def test_refused_revision_still_links_the_stored_file(client, lecturer, coordinator):
    resource = services.resource_submit(
        data=service_data(), file=upload("v1.pdf", MINIMAL_PDF), actor=lecturer.user
    )
    _ask_for_changes(resource, coordinator)
    client.force_login(lecturer.user)
    response = client.post(
        f"/aida/resources/{resource.slug}/resubmit/", form_data(licence="not a licence")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<a href="/aida/resources/{resource.slug}/file">v1.pdf</a>' in html
    assert "/media/" not in html
