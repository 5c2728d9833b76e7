"""A record's files: the PDF served only after the access and embargo check (and announced to
Google Scholar only when anyone may fetch it), the cover image of a result in brief, and the
OAI datestamp moving when an embargo lifts."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outputs import oai, services
from outputs.enums import Access as OutputAccess
from outputs.enums import BriefType, OutputKind, OutputStatus, PublicationType
from outputs.models import Output, embargo_today
from outputs.services import CreatorData, FileChanges
from tests.network.conftest import png_upload
from tests.network.factories import ContactFactory
from tests.opencalls.factories import MINIMAL_PDF, pdf_upload
from tests.utils import Access, check_matrix

pytestmark = pytest.mark.django_db

TOMORROW = datetime.timedelta(days=1)


def brief_data(**changes) -> dict:
    data = {
        "kind": OutputKind.RESULT_IN_BRIEF,
        "title": "AI4Media Factsheet: Trustworthy AI",
        "date_year": 2023,
        "brief_type": BriefType.FACTSHEET,
        "access": OutputAccess.OPEN,
        "licence": "CC-BY-4.0",
    }
    return {**data, **changes}


def make_brief(contact, *, publish=True, **changes) -> Output:
    output = services.output_create(
        actor=contact.user,
        organisation=contact.organisation,
        data=brief_data(**changes),
        creators=[CreatorData(name="AI4Media Consortium", kind="organisation")],
        files=FileChanges(
            file=pdf_upload("Factsheet trustworthy.pdf"),
            file_name="Factsheet trustworthy.pdf",
            cover_image=png_upload("cover.png", size=(120, 160)),
        ),
    )
    if publish:
        output = services.output_publish(output=output, actor=contact.user)
    return output


@pytest.fixture
def cast(people):
    contact = ContactFactory()
    return {
        **people,
        "curator": contact.user,
        "other-contact": ContactFactory().user,
        "_contact": contact,
    }


def test_uploads_are_stored_privately_under_generated_names(cast):
    output = make_brief(cast["_contact"])
    assert output.file.name.startswith("outputs/files/")
    assert output.file.name.endswith(".pdf")
    assert "Factsheet" not in output.file.name
    assert output.file.storage.__class__.__name__ == "FileSystemStorage"
    assert output.file.storage.base_location.endswith("private")
    assert output.file_name == "Factsheet trustworthy.pdf"
    assert output.cover_image.name.startswith("outputs/covers/")
    assert output.cover_image.name.endswith(".png")


def test_embargoed_file_reaches_only_the_curators_until_its_date(client, cast):
    until = embargo_today() + TOMORROW
    output = make_brief(cast["_contact"], access=OutputAccess.EMBARGOED, embargo_until=until)
    url = f"/outputs/{output.pk}/file"
    before = [
        Access("get", url, "anonymous", 403),
        Access("get", url, "member", 403),
        Access("get", url, "other-contact", 403),
        Access("get", url, "curator", 200),
        Access("get", url, "staff", 200),
        Access("get", url, "superuser", 200),
    ]
    check_matrix(client, cast, before)
    # The record itself stays public and says when the file comes.
    client.logout()
    page = client.get(f"/outputs/{output.pk}/")
    assert page.status_code == 200
    assert f"/outputs/{output.pk}/file" not in page.content.decode()
    assert "The PDF is available from" in page.content.decode()

    assert services.embargoes_lift(today=until) == 1
    after = [
        Access("get", url, who, 200)
        for who in ("anonymous", "member", "other-contact", "curator", "staff")
    ]
    check_matrix(client, cast, after)


def test_an_ended_embargo_opens_the_file_before_the_daily_task_runs(client, cast):
    output = make_brief(
        cast["_contact"],
        access=OutputAccess.EMBARGOED,
        embargo_until=embargo_today() + TOMORROW,
    )
    Output.objects.filter(pk=output.pk).update(embargo_until=embargo_today())
    assert client.get(f"/outputs/{output.pk}/file").status_code == 200


def test_restricted_and_metadata_only_files_stay_with_the_curators(client, cast):
    restricted = make_brief(cast["_contact"], access=OutputAccess.RESTRICTED)
    metadata_only = make_brief(cast["_contact"], access=OutputAccess.METADATA_ONLY)
    rows = [
        Access("get", f"/outputs/{output.pk}/file", who, status)
        for output in (restricted, metadata_only)
        for who, status in (("anonymous", 403), ("member", 403), ("curator", 200))
    ]
    check_matrix(client, cast, rows)


def test_a_drafts_files_are_unknown_to_others_and_a_tombstone_has_none(client, cast):
    draft = make_brief(cast["_contact"], publish=False)
    gone = make_brief(cast["_contact"])
    services.output_delete(output=gone, actor=cast["curator"], reason="Duplicate")
    rows = [
        *[
            Access("get", f"/outputs/{draft.pk}/{name}", who, 404)
            for name in ("file", "cover")
            for who in ("anonymous", "member", "other-contact")
        ],
        Access("get", f"/outputs/{draft.pk}/file", "curator", 200),
        Access("get", f"/outputs/{draft.pk}/cover", "curator", 200),
        *[
            Access("get", f"/outputs/{gone.pk}/{name}", who, 404)
            for name in ("file", "cover")
            for who in ("anonymous", "curator", "staff")
        ],
    ]
    check_matrix(client, cast, rows)


def test_file_is_sent_as_a_sandboxed_attachment_never_cached(client, cast):
    output = make_brief(cast["_contact"])
    response = client.get(f"/outputs/{output.pk}/file")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Factsheet trustworthy.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_cover_is_public_with_the_record_and_shown_on_catalogue_and_page(client, cast):
    output = make_brief(cast["_contact"])
    client.logout()
    response = client.get(f"/outputs/{output.pk}/cover")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["Cache-Control"] == "public, max-age=86400"
    cover_url = f"/outputs/{output.pk}/cover?v="
    assert cover_url in client.get("/outputs/").content.decode()
    page = client.get(f"/outputs/{output.pk}/").content.decode()
    assert cover_url in page
    assert f'href="/outputs/{output.pk}/file"' in page


def test_curator_uploads_file_and_cover_through_the_form(client, cast):
    output = make_brief(cast["_contact"], publish=False)
    client.force_login(cast["curator"])
    response = client.post(
        f"/outputs/{output.pk}/edit/",
        {
            "kind": OutputKind.RESULT_IN_BRIEF,
            "title": output.title,
            "date": "2023",
            "creators": "{AI4Media Consortium}",
            "access": OutputAccess.OPEN,
            "brief_type": BriefType.BOOKLET,
            "provenance_kind": "consortium",
            "file": pdf_upload("Booklet.pdf"),
            "cover_image": png_upload("booklet.png"),
        },
    )
    assert response.status_code == 302
    output.refresh_from_db()
    assert (output.file_name, output.brief_type) == ("Booklet.pdf", BriefType.BOOKLET)


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("file", SimpleUploadedFile("x.pdf", b"GIF89a not a pdf"), "not a PDF document"),
        ("cover_image", SimpleUploadedFile("x.svg", b"<svg></svg>"), "SVG images"),
    ],
)
def test_form_refuses_a_bad_upload_beside_its_field(client, cast, field, upload, message):
    output = make_brief(cast["_contact"], publish=False)
    client.force_login(cast["curator"])
    response = client.post(
        f"/outputs/{output.pk}/edit/",
        {
            "kind": OutputKind.RESULT_IN_BRIEF,
            "title": "A new title typed here",
            "date": "2023",
            "creators": "{AI4Media Consortium}",
            "access": OutputAccess.OPEN,
            "provenance_kind": "consortium",
            field: upload,
        },
    )
    assert response.status_code == 422
    assert message in str(response.context["form"].errors[field])
    assert "A new title typed here" in response.content.decode()


def test_software_carries_no_file_and_only_a_brief_has_a_cover(cast):
    contact = cast["_contact"]
    base = {"title": "Tool", "date_year": 2023, "access": OutputAccess.OPEN}
    creators = [CreatorData(given_name="A", family_name="B")]
    with pytest.raises(services.PortalError) as refused:
        services.output_create(
            actor=contact.user,
            organisation=contact.organisation,
            data={**base, "kind": OutputKind.SOFTWARE},
            creators=creators,
            files=FileChanges(file=pdf_upload()),
        )
    assert refused.value.field == "file"
    with pytest.raises(services.PortalError) as refused:
        services.output_create(
            actor=contact.user,
            organisation=contact.organisation,
            data={**base, "kind": OutputKind.PUBLICATION},
            creators=creators,
            files=FileChanges(cover_image=png_upload()),
        )
    assert refused.value.field == "cover_image"


def test_changing_the_kind_drops_files_it_cannot_carry(cast):
    output = make_brief(cast["_contact"], publish=False)
    output = services.output_update(
        output=output, actor=cast["curator"], data={"kind": OutputKind.PUBLICATION}
    )
    assert (bool(output.file), bool(output.cover_image)) == (True, False)
    output = services.output_update(
        output=output, actor=cast["curator"], data={"kind": OutputKind.SOFTWARE}
    )
    assert (bool(output.file), output.file_name) == (False, "")


def test_embargo_lift_changes_the_oai_datestamp(client, cast):
    until = embargo_today() + TOMORROW
    output = make_brief(cast["_contact"], access=OutputAccess.EMBARGOED, embargo_until=until)
    Output.objects.filter(pk=output.pk).update(
        updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )

    def datestamp() -> str:
        response = client.get(
            "/oai/",
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": oai.oai_identifier(output),
            },
        )
        root = ET.fromstring(response.content)
        return root.find(".//oai:header/oai:datestamp", {"oai": oai.OAI}).text

    assert datestamp() == "2024-01-01T00:00:00Z"
    services.embargoes_lift(today=until)
    assert datestamp() > "2025-01-01"
    listed = client.get(
        "/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2025-01-01"}
    )
    assert oai.oai_identifier(output).encode() in listed.content


def test_file_upload_moves_the_datestamp(cast):
    output = make_brief(cast["_contact"], publish=False)
    Output.objects.filter(pk=output.pk).update(
        updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    services.output_update(
        output=output,
        actor=cast["curator"],
        data={},
        files=FileChanges(file=pdf_upload("v2.pdf"), file_name="v2.pdf"),
    )
    output.refresh_from_db()
    assert output.updated_at > datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    assert output.status == OutputStatus.DRAFT


@pytest.mark.parametrize("name", ["file", "cover"])
def test_a_file_missing_from_storage_is_not_found_not_a_server_error(client, cast, name, caplog):
    output = make_brief(cast["_contact"])
    stored = output.file if name == "file" else output.cover_image
    stored.storage.delete(stored.name)
    response = client.get(f"/outputs/{output.pk}/{name}")
    assert response.status_code == 404
    assert f"Stored file {stored.name} is missing" in caplog.text


def make_paper(contact, *, file=True, **changes) -> Output:
    """A published journal article of ``contact``'s organisation with its PDF (none with
    ``file=False``)."""
    data = {
        "kind": OutputKind.PUBLICATION,
        "publication_type": PublicationType.JOURNAL_ARTICLE,
        "title": "Robust Deepfake Detection",
        "venue": "IEEE Transactions on Multimedia",
        "date_year": 2023,
        "access": OutputAccess.OPEN,
        "licence": "CC-BY-4.0",
        **changes,
    }
    output = services.output_create(
        actor=contact.user,
        organisation=contact.organisation,
        data=data,
        creators=[CreatorData(given_name="Maria", family_name="Papadopoulou")],
        files=FileChanges(file=pdf_upload("paper.pdf"), file_name="paper.pdf")
        if file
        else FileChanges(),
    )
    return services.output_publish(output=output, actor=contact.user)


def pdf_urls(client, output) -> list[str]:
    html = client.get(f"/outputs/{output.pk}/").content.decode()
    return re.findall(r'<meta name="citation_pdf_url" content="([^"]*)">', html)


def test_an_open_records_page_gives_scholar_the_address_of_its_pdf(client, cast):
    paper = make_paper(cast["_contact"])
    # An embargo whose date has come opens the file before the daily task lifts it.
    ended = make_paper(
        cast["_contact"],
        access=OutputAccess.EMBARGOED,
        embargo_until=embargo_today() + TOMORROW,
    )
    Output.objects.filter(pk=ended.pk).update(embargo_until=embargo_today())
    for output in (paper, ended):
        url = f"http://testserver/outputs/{output.pk}/file"
        assert pdf_urls(client, output) == [url]
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "changes",
    [
        {"access": OutputAccess.EMBARGOED, "embargo_until": embargo_today() + 365 * TOMORROW},
        {"access": OutputAccess.RESTRICTED},
        {"access": OutputAccess.METADATA_ONLY},
        {"file": False},
    ],
    ids=["embargoed", "restricted", "metadata-only", "no-file"],
)
def test_no_pdf_address_for_scholar_unless_anyone_may_fetch_the_file(client, cast, changes):
    output = make_paper(cast["_contact"], **changes)
    assert pdf_urls(client, output) == []
    # Not even for its curators, who may fetch it: the page is the same for every visitor.
    client.force_login(cast["curator"])
    assert pdf_urls(client, output) == []
