"""BibTeX import: the preview's verdict per entry, the all-or-nothing commit, the traps."""

import base64
import random
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection

from network.models import Organisation
from outputs import services
from outputs.bibtex_import import read_bibtex
from outputs.enums import CreatorKind, OutputStatus
from outputs.forms import ImportForm
from outputs.models import Output

from .factories import OutputFactory
from .import_pages import commit_preview

pytestmark = pytest.mark.django_db

TRAPS = (Path(__file__).parent / "data" / "traps.bib").read_bytes()


def verdicts(rows):
    return [(row.candidate.key, row.action.value, row.reason) for row in rows]


def test_preview_says_what_happens_to_each_entry_and_writes_nothing(contact):
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_bibtex(TRAPS),
        commit=False,
    )
    assert verdicts(rows) == [
        ("good2023", "create", ""),
        ("badmonth", "skip", "The month “spring” is not a month."),
        ("notitle", "skip", "The entry has no title."),
        (
            "baddoi",
            "skip",
            "A DOI starts with 10. and a prefix, then a slash, e.g. 10.5281/zenodo.4584285.",
        ),
        ("samefile", "skip", "Same DOI or title and year as entry “good2023” above."),
        ("good2023", "skip", "Another entry of the file has the key “good2023”."),
        ("", "skip", "This block could not be read (unbalanced braces or quotes?)."),
        ("tool", "create", ""),
        ("whole", "skip", "The entry type @book is not one of the standard types read."),
    ]
    assert Output.objects.count() == 0


def test_commit_creates_drafts_with_decoded_metadata(contact):
    services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_bibtex(TRAPS),
        commit=True,
    )
    article = Output.objects.get(title="DeepFake Detection in Broadcast Video")
    assert (article.status, article.doi, article.date_iso, article.venue, article.pages) == (
        OutputStatus.DRAFT,
        "10.1109/tmm.2023.0001",
        "2023-05",
        "IEEE Transactions on Multimedia",
        "12-20",
    )
    assert [(c.name, c.kind) for c in article.creators.all()] == [
        ("Maria Papadopoulou", CreatorKind.PERSON),
        ("Jörg Müller", CreatorKind.PERSON),
        ("AI4Media Consortium", CreatorKind.ORGANISATION),
    ]
    tool = Output.objects.get(title="Media Toolkit")
    assert (tool.kind, tool.licence, tool.version, tool.creators.get().family_name) == (
        "software",
        "MIT",
        "1.2.0",
        "van der Berg",
    )


def test_entry_matching_a_catalogue_output(contact):
    mine = OutputFactory(organisation=contact.organisation, doi="10.1109/tmm.2023.0001")
    OutputFactory(title="Media Toolkit", date_year=2024)
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_bibtex(TRAPS),
        commit=True,
    )
    assert verdicts(rows)[0] == ("good2023", "update", "")
    assert (
        rows[7].reason
        == f"Output #{Output.objects.get(title='Media Toolkit').pk} has the same title and year."
    )
    mine.refresh_from_db()
    assert mine.title == "DeepFake Detection in Broadcast Video"


def test_doi_of_another_organisations_output_is_skipped(contact):
    theirs = OutputFactory(doi="10.1109/tmm.2023.0001")
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_bibtex(TRAPS),
        commit=False,
    )
    assert verdicts(rows)[0] == ("good2023", "skip", f"Output #{theirs.pk} already has this DOI.")


def test_commit_is_all_or_nothing(contact):
    # The database itself refuses the second entry (a constraint added for this test only, in
    # its transaction): the first, already inserted, must go too.
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE outputs_output ADD CONSTRAINT test_refuse CHECK (title <> 'Media Toolkit')"
        )
    with pytest.raises(IntegrityError):
        services.outputs_import(
            actor=contact.user,
            organisation=contact.organisation,
            candidates=read_bibtex(TRAPS),
            commit=True,
        )
    assert Output.objects.count() == 0


def test_field_too_long_skipped_in_the_preview(contact):
    text = "@article{long, author={Doe, Jane}, title={T}, year={2020}, pages={%s}}" % ("1" * 40)
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_bibtex(text.encode()),
        commit=False,
    )
    assert verdicts(rows) == [
        ("long", "skip", "pages: Ensure this value has at most 30 characters (it has 40).")
    ]


def test_import_for_another_organisation_refused(contact, other_organisation):
    with pytest.raises(PermissionDenied):
        services.outputs_import(
            actor=contact.user, organisation=other_organisation, candidates=[], commit=False
        )


def test_import_pages_preview_then_commit(client, contact):
    client.force_login(contact.user)
    upload = SimpleUploadedFile("refs.bib", TRAPS, content_type="application/x-bibtex")
    response = client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )
    assert response.status_code == 200
    assert [row.action.value for row in response.context["rows"]].count("create") == 2
    assert Output.objects.count() == 0
    response = commit_preview(client, response)
    assert response.status_code == 302
    assert Output.objects.filter(status=OutputStatus.DRAFT).count() == 2


def test_import_refuses_a_file_that_is_not_utf8(client, contact):
    client.force_login(contact.user)
    upload = SimpleUploadedFile("refs.bib", "@article{a, title={Café}}".encode("latin-1"))
    response = client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "The file is not UTF-8 text: save it as UTF-8 and try again."
    ]


def test_import_page_skips_an_entry_nested_too_deeply_to_decode(client, contact):
    # pylatexenc decodes each level of braces with a recursive call.
    title = "{" * 5000 + "x" + "}" * 5000
    content = f"@article{{k1, title={{{title}}}, year=2020, author={{A, B}}}}\n" + (
        "@article{k2, title={Fine}, year=2020, author={A, B}}"
    )
    client.force_login(contact.user)
    response = client.post(
        "/outputs/import/",
        {
            "organisation": contact.organisation.pk,
            "file": SimpleUploadedFile("refs.bib", content.encode()),
        },
    )
    assert response.status_code == 200
    assert verdicts(response.context["rows"]) == [
        ("k1", "skip", "This entry nests too deeply to be read."),
        ("k2", "create", ""),
    ]


@pytest.mark.parametrize(
    ("title", "character"), [("Nul\x00byte", "U+0000"), ("Escape\x1bsequence", "U+001B")]
)
def test_control_character_skipped_in_the_preview_naming_field_and_character(
    contact, title, character
):
    content = f"@article{{ctl, title={{{title}}}, year=2020, author={{A, B}}}}".encode()
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_bibtex(content),
        commit=False,
    )
    assert verdicts(rows) == [
        (
            "ctl",
            "skip",
            f"title: Remove the control character {character}: it cannot be part of this text.",
        )
    ]


def preview(client, contact, content: bytes):
    client.force_login(contact.user)
    upload = SimpleUploadedFile("refs.bib", content)
    return client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )


def test_commit_takes_what_the_preview_accepted_beside_a_control_character(client, contact):
    response = preview(
        client,
        contact,
        b"@article{nulk, title={Nul\x00byte}, year=2020, author={A, B}}\n"
        b"@article{fine, title={Fine}, year=2020, author={A, B}}\n",
    )
    assert verdicts(response.context["rows"]) == [
        (
            "nulk",
            "skip",
            "title: Remove the control character U+0000: it cannot be part of this text.",
        ),
        ("fine", "create", ""),
    ]
    response = commit_preview(client, response)
    assert response.status_code == 302
    assert list(Output.objects.values_list("title", flat=True)) == ["Fine"]


def test_commit_takes_a_previewed_file_larger_than_a_form_may_send_as_text(
    client, contact, settings
):
    # Sent back as URL-encoded text, a BibTeX file grows by about half (braces, spaces and
    # line ends are escaped): past DATA_UPLOAD_MAX_MEMORY_SIZE, Django answers 400.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    content = "".join(
        f"@article{{e{n},\n  title = {{Study {n} of M{{\\\"u}}ller's {{Media}}}},\n"
        f"  year = {{2020}},\n  author = {{Rossi, Ada}}\n}}\n\n"
        for n in range(150)
    ).encode()
    assert 13_000 < len(content) < 20_000
    response = preview(client, contact, content)
    assert [row.action.value for row in response.context["rows"]] == ["create"] * 150
    response = commit_preview(client, response)
    assert response.status_code == 302
    assert Output.objects.count() == 150


def test_preview_refuses_a_file_too_large_to_be_sent_back_to_commit(client, contact, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    # Random bytes do not compress: carried to the commit, they would not fit in its form.
    content = base64.b64encode(random.Random(1).randbytes(15_000))
    response = preview(client, contact, content)
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "This file is too large to import at once: split it into smaller files."
    ]


@pytest.mark.parametrize(
    "carried",
    [
        "not base64 at all!",
        base64.urlsafe_b64encode(b"not zlib").decode(),
        base64.urlsafe_b64encode(zlib.compress(b" " * (ImportForm.MAX_BYTES + 1))).decode(),
    ],
    ids=["not-base64", "not-compressed", "over-the-limit"],
)
def test_commit_refuses_a_carried_file_that_does_not_unpack(contact, carried):
    form = ImportForm(
        {"organisation": contact.organisation.pk, "content": carried},
        organisations=Organisation.objects.all(),
    )
    assert not form.is_valid()
    assert form.errors == {
        "content": ["The previewed file could not be read back: choose it again."]
    }


def test_empty_file_refused_with_one_message(client, contact):
    response = preview(client, contact, b"")
    assert response.status_code == 422
    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}


def test_preview_table_shortens_long_values_from_the_file(client, contact):
    key, title, year = "k" * 5_000, "t" * 20_000, "9" * 20_000
    content = f"@article{{{key}, title={{{title}}}, year={{{year}}}, author={{A, B}}}}"
    response = preview(client, contact, content.encode())
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<td>{'k' * 79}…</td>" in html
    assert f"<td>{'t' * 199}…</td>" in html
    assert "Skipped: The year “" + "9" * 289 + "…</td>" in html
    assert "k" * 80 not in html
    assert "t" * 200 not in html
    assert "9" * 290 not in html
