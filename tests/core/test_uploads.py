"""Uploaded files never run as pages of the portal: they are stored under generated names whose
extension follows the content, images are re-encoded, SVG is refused, every file is served with
a safe type and a sandbox, and a draft's files are not public."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from PIL import Image

from ai4media_portal.core.files import (
    FILE_CSP,
    UploadField,
    checked_teaching_material,
    reencode_image,
    teaching_material_kind,
)
from ai4media_portal.core.roles import Role
from ai4media_portal.core.validators import validate_teaching_material
from network.enums import ApplicationStatus
from network.models import MembershipApplication, Organisation
from network.services import application_approve
from tests.factories import UserFactory
from tests.network.factories import ApplicationFactory, OrganisationFactory, topic
from tests.opencalls.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>window.parent.pwned = 1; alert(document.domain)</script>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def gif_with_script() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (1, 1), 0).save(buffer, format="GIF")
    return buffer.getvalue() + SCRIPT


def png(size=(8, 8), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(buffer, format=fmt)
    return buffer.getvalue()


def application_draft(**changes) -> dict:
    data = {
        "org_name": "Probe Labs",
        "org_type": "sme",
        "org_country": "BE",
        "org_website": "https://probe.example.be",
        "org_description": "We probe.",
        "contact_name": "Pat Probe",
        "contact_position": "Tester",
        "motivation": "Testing.",
        "areas_of_interest": [topic("computer-vision").pk],
        "benefits": ["visibility"],
        "accept_terms": "on",
    }
    data.update(changes)
    return data


def stored_bytes(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


# --- The case: a GIF with a script, named probe.html, as a draft application's logo ---------


def test_application_logo_with_script_is_reencoded_renamed_and_not_public(client):
    applicant = UserFactory()
    client.force_login(applicant)
    logo = SimpleUploadedFile("probe.html", gif_with_script(), content_type="text/html")
    response = client.post("/network/apply/", application_draft(org_logo=logo))
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    name = application.org_logo.name
    assert name.startswith("network/application-logos/")
    assert name.endswith(".png")
    assert "probe" not in name
    content = stored_bytes(application.org_logo)
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<script" not in content
    # Nothing of it is in the public storage, so /media/ has nothing to give.
    assert default_storage.exists(name) is False
    assert client.get(f"/media/{name}").status_code == 404
    client.logout()
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("stranger", 404), ("applicant", 200), ("manager", 200)],
)
def test_application_logo_served_to_applicant_and_managers_only(client, who, status):
    application = ApplicationFactory(status=ApplicationStatus.SUBMITTED)
    application.org_logo = SimpleUploadedFile("logo.png", png())
    application.save()
    people = {
        "stranger": UserFactory(),
        "applicant": application.applicant,
        "manager": UserFactory(roles=[Role.NETWORK_MANAGER]),
    }
    if who in people:
        client.force_login(people[who])
    response = client.get(f"/network/applications/{application.pk}/logo/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == 'inline; filename="logo.png"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == FILE_CSP
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_application_page_links_the_logo_through_the_checked_view(client):
    application = ApplicationFactory(status=ApplicationStatus.SUBMITTED)
    application.org_logo = SimpleUploadedFile("logo.png", png())
    application.save()
    client.force_login(application.applicant)
    html = client.get(f"/network/applications/{application.pk}/").content.decode()
    assert f'src="/network/applications/{application.pk}/logo/"' in html
    assert application.org_logo.name not in html


def test_application_logo_becomes_public_under_a_new_name_on_approval():
    application = ApplicationFactory(status=ApplicationStatus.UNDER_REVIEW)
    application.org_logo = SimpleUploadedFile("logo.png", png())
    application.save()
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    application_approve(application=application, actor=manager)
    organisation = Organisation.objects.get(membership_applications=application)
    assert organisation.logo.name.startswith("network/logos/")
    assert organisation.logo.name.endswith(".png")
    assert organisation.logo.name != application.org_logo.name
    assert default_storage.exists(organisation.logo.name) is True
    assert stored_bytes(organisation.logo) == stored_bytes(application.org_logo)


# --- The kind: every upload, in every pillar --------------------------------------------------


def portal_file_fields():
    portal_apps = {"core", "accounts", "network", "observatory", "aida", "opencalls", "fellows"}
    portal_apps |= {"outputs", "evaluation"}
    return [
        (model, field)
        for model in apps.get_models()
        if model._meta.app_label in portal_apps
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def test_every_file_field_of_the_portal_checks_and_renames_its_uploads():
    fields = portal_file_fields()
    assert len(fields) >= 6
    assert [
        f"{model.__name__}.{field.name}"
        for model, field in fields
        if not isinstance(field, UploadField)
    ] == []


@pytest.mark.parametrize(
    "filename", ["probe.html", "probe.xhtml", "probe.svg", "logo.png.html", "../../etc/passwd"]
)
def test_organisation_logo_any_name_stored_as_generated_png(client, filename):
    organisation = OrganisationFactory(role="partner")
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    client.force_login(manager)
    upload = SimpleUploadedFile(filename, gif_with_script(), content_type="text/html")
    response = client.post(
        f"/network/organisations/{organisation.slug}/edit/",
        {
            "name": organisation.name,
            "type": organisation.type,
            "country": organisation.country.code,
            "website": "https://example.org",
            "description": "x",
            "areas_of_interest": [topic().pk],
            "logo": upload,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    organisation.refresh_from_db()
    name = organisation.logo.name
    assert name.startswith("network/logos/")
    assert name.endswith(".png")
    assert len(name.rsplit("/", 1)[1]) == len("0123456789abcdef0123456789abcdef.png")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    assert b"<script" not in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            SVG,
            "SVG images are not accepted: they can carry scripts. Upload a PNG, JPEG or WebP file.",
        ),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"<html><script>alert(1)</script></html>", None),
        (MINIMAL_PDF, None),
    ],
)
def test_application_logo_that_is_no_image_is_refused(client, content, message):
    client.force_login(UserFactory())
    logo = SimpleUploadedFile("logo.svg", content, content_type="image/svg+xml")
    response = client.post("/network/apply/", application_draft(org_logo=logo))
    assert response.status_code == 422
    errors = response.context["form"].errors["org_logo"]
    assert errors == [
        message
        or (
            "SVG images are not accepted: they can carry scripts. Upload a PNG, JPEG or WebP file."
            if b"<svg" in content
            else "This file is not an image we can read. Upload a PNG, JPEG or WebP file."
        )
    ]
    assert MembershipApplication.objects.count() == 0


@pytest.mark.parametrize(
    ("fmt", "suffix", "magic"),
    [("PNG", ".png", b"\x89PNG"), ("JPEG", ".jpg", b"\xff\xd8\xff"), ("WEBP", ".webp", b"RIFF")],
)
def test_reencoded_image_keeps_its_format_and_drops_trailing_bytes(fmt, suffix, magic):
    content, kind = reencode_image(SimpleUploadedFile("x", png(fmt=fmt) + SCRIPT))
    data = content.read()
    assert (kind.extension, data[:3] == magic[:3], SCRIPT in data) == (suffix, True, False)


@pytest.mark.parametrize(
    "content", [SVG, b"GIF89a" + SCRIPT, MINIMAL_PDF, png(size=(5000, 2)), b""]
)
def test_reencode_refuses_what_is_not_a_small_image(content):
    with pytest.raises(SuspiciousFileOperation):
        reencode_image(SimpleUploadedFile("x.png", content))


def test_image_field_refuses_other_content_even_past_the_forms():
    application = ApplicationFactory()
    application.org_logo = SimpleUploadedFile("x.png", SVG)
    with pytest.raises(SuspiciousFileOperation):
        application.save()


def test_call_guide_named_html_is_stored_as_pdf_and_served_as_attachment(client):
    from tests.opencalls.factories import CallFactory

    call = CallFactory()
    call.guide = SimpleUploadedFile("guide.html", MINIMAL_PDF, content_type="text/html")
    call.save()
    assert call.guide.name.endswith(".pdf")
    response = client.get(call.guide.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == FILE_CSP


def test_call_guide_that_is_not_a_pdf_is_not_stored():
    from tests.opencalls.factories import CallFactory

    call = CallFactory()
    call.guide = SimpleUploadedFile("guide.pdf", b"<html><script>alert(1)</script>")
    with pytest.raises(SuspiciousFileOperation):
        call.save()


# --- Serving: whatever is in the media folder, it never runs -----------------------------------


@pytest.fixture
def legacy_files():
    """Files stored before uploads were checked, with the names their uploaders chose."""
    names = []
    for name, content in [
        ("legacy/probe.html", b"<script>alert(1)</script>"),
        ("legacy/probe.svg", SVG),
        ("legacy/probe.xhtml", b"<html xmlns='http://www.w3.org/1999/xhtml'><script/></html>"),
        ("legacy/probe.gif", gif_with_script()),
    ]:
        names.append(default_storage.save(name, io.BytesIO(content)))
    yield names
    for name in names:
        default_storage.delete(name)


@pytest.mark.parametrize(
    ("index", "content_type", "disposition"),
    [
        (0, "application/octet-stream", "attachment"),
        (1, "application/octet-stream", "attachment"),
        (2, "application/octet-stream", "attachment"),
        (3, "image/gif", "inline"),
    ],
)
def test_media_view_serves_legacy_files_with_safe_headers(
    client, legacy_files, index, content_type, disposition
):
    response = client.get(f"/media/{legacy_files[index]}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP


@pytest.mark.parametrize(
    "path",
    [
        "/media/../settings.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/legacy/",
        "/media/nope.png",
    ],
)
def test_media_view_finds_nothing_outside_the_public_uploads(client, path):
    assert client.get(path).status_code == 404


def test_media_view_refuses_writes(client, legacy_files):
    assert client.post(f"/media/{legacy_files[3]}").status_code == 405


def test_private_storage_is_not_under_media(client):
    name = storages["private"].save("secret/doc.pdf", io.BytesIO(MINIMAL_PDF))
    try:
        assert client.get(f"/media/{name}").status_code == 404
    finally:
        storages["private"].delete(name)


# --- Teaching material: PDF, Office, OpenDocument, ZIP or notebook, judged by content -------


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../escape.txt", "never extracted")
        archive.writestr("lab/notebook.ipynb", "{}")
    return buffer.getvalue()


def office_package(main_part: str) -> bytes:
    """A minimal Office Open XML package: the content types part and ``main_part``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<root/>")
    return buffer.getvalue()


def open_document(mimetype: str) -> bytes:
    """A minimal OpenDocument package: its ``mimetype`` entry first, then the content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def notebook(**changes) -> bytes:
    return json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **changes})


@pytest.mark.parametrize(
    ("content", "extension", "content_type"),
    [
        (MINIMAL_PDF, ".pdf", "application/pdf"),
        (zip_archive(), ".zip", "application/zip"),
        (notebook().encode(), ".ipynb", "application/x-ipynb+json"),
        (
            office_package("ppt/presentation.xml"),
            ".pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            office_package("word/document.xml"),
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office_package("xl/workbook.xml"),
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            open_document("application/vnd.oasis.opendocument.presentation"),
            ".odp",
            "application/vnd.oasis.opendocument.presentation",
        ),
        (
            open_document("application/vnd.oasis.opendocument.text"),
            ".odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (
            open_document("application/vnd.oasis.opendocument.spreadsheet"),
            ".ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        # Laid out like neither: an archive like any other.
        (office_package("custom/part.xml"), ".zip", "application/zip"),
        (open_document("application/x-unknown"), ".zip", "application/zip"),
    ],
)
def test_teaching_material_kind_follows_the_content_not_the_name(content, extension, content_type):
    kind = teaching_material_kind(SimpleUploadedFile("slides.html", content))
    assert (kind.extension, kind.content_type, kind.inline) == (extension, content_type, False)


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        SVG,
        png(),
        b"PK\x03\x04 not really an archive",
        notebook(cells="not a list").encode(),
        notebook(nbformat="4").encode(),
        notebook(nbformat=True).encode(),
        b"[1, 2, 3]",
        notebook().encode("utf-16"),
        b"",
    ],
)
def test_teaching_material_refuses_everything_else(content):
    upload = SimpleUploadedFile("notes.pdf", content)
    assert teaching_material_kind(upload) is None
    with pytest.raises(SuspiciousFileOperation):
        checked_teaching_material(upload)
    with pytest.raises(ValidationError) as error:
        validate_teaching_material(upload)
    assert error.value.messages == [
        "This file is not a PDF, slides, a text document or spreadsheet (Office or "
        "OpenDocument), a ZIP archive or a Jupyter notebook. Upload one of those."
    ]


def test_teaching_material_has_a_size_limit():
    upload = SimpleUploadedFile("big.pdf", MINIMAL_PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as error:
        validate_teaching_material(upload, max_bytes=1024)
    assert error.value.messages == ["The file is 2.0\xa0KB; the limit is 1.0\xa0KB."]
    validate_teaching_material(upload)  # 50 MB by default


def test_teaching_material_field_stores_under_the_content_extension(db):
    from aida.models import Resource
    from tests.aida.factories import ResourceFactory

    resource = ResourceFactory()
    resource.file = SimpleUploadedFile("lab.pdf", notebook().encode())
    resource.save()
    assert resource.file.name.startswith("aida/resources/")
    assert resource.file.name.endswith(".ipynb")
    # The private storage (the test settings' own folder), never the public media.
    field_storage = Resource._meta.get_field("file").storage
    assert field_storage.exists(resource.file.name)
    assert field_storage.base_location != default_storage.base_location
    assert not default_storage.exists(resource.file.name)
    resource.file = SimpleUploadedFile("lab.ipynb", b"<html><script>alert(1)</script>")
    with pytest.raises(SuspiciousFileOperation), transaction.atomic():
        resource.save()
    assert Resource.objects.get(pk=resource.pk).file.name.endswith(".ipynb")


def test_a_private_file_missing_from_storage_is_not_found(client, caplog):
    """Every view that serves a stored file goes through ``stored_file_response``; a record
    whose file the storage lost answers 404 and logs it, here through the network's logo."""
    application = ApplicationFactory(status=ApplicationStatus.SUBMITTED)
    application.org_logo = SimpleUploadedFile("logo.png", png())
    application.save()
    application.org_logo.storage.delete(application.org_logo.name)
    client.force_login(application.applicant)
    response = client.get(f"/network/applications/{application.pk}/logo/")
    assert response.status_code == 404
    assert f"Stored file {application.org_logo.name} is missing" in caplog.text


def test_every_stored_file_view_goes_through_the_checked_response():
    """No view opens a stored file itself (which would turn a missing file into a 500)."""
    import ast
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or not ("views" in path.parts or path.stem == "views"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "open"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == "rb"
            ):
                offenders.append(f"{path}:{node.lineno}")
    assert offenders == []
