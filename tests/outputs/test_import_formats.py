"""Imports of CSL-JSON, DataCite and Zenodo JSON, DataCite XML and DOI lists: the same preview
(create, update or skip with the reason, per entry) and all-or-nothing commit as BibTeX, with
the trap files of tests/outputs/fixtures."""

import datetime
import json
from pathlib import Path

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile

from ai4media_portal.core.exceptions import PortalError
from outputs import services
from outputs.bibtex_import import Candidate
from outputs.enums import Access, CreatorKind, OutputKind, OutputStatus
from outputs.imports.common import guarded
from outputs.imports.doi import (
    CSL_JSON,
    HttpDOILookup,
    LookupFailed,
    RecordedDOILookup,
    UnavailableDOILookup,
)
from outputs.imports.files import read_import_file
from outputs.models import Output

from .factories import OutputFactory
from .import_pages import commit_preview

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED = RecordedDOILookup(FIXTURES / "doi")
BAD_DOI = "A DOI starts with 10. and a prefix, then a slash, e.g. 10.5281/zenodo.4584285."


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def plan(contact, name, *, commit=False, lookup=RECORDED):
    return services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_import_file(fixture(name), lookup=lookup),
        commit=commit,
    )


def verdicts(rows):
    return [(row.candidate.key, row.action.value, row.reason) for row in rows]


def creators(output):
    return [(c.name, c.kind, c.orcid) for c in output.creators.all()]


def test_csl_json_preview_reasons(contact):
    rows = plan(contact, "traps.csl.json")
    assert verdicts(rows) == [
        ("article1", "create", ""),
        ("data1", "create", ""),
        ("notitle", "skip", "The entry has no title."),
        ("abook", "skip", "The CSL type “book” is not one of the types read."),
        ("baddoi", "skip", BAD_DOI),
        ("noyear", "skip", "The entry has no year of publication."),
        ("again", "skip", "Same DOI or title and year as entry “article1” above."),
        ("noauthor", "skip", "An output has at least one creator."),
        ("", "skip", "This entry is not a CSL-JSON object."),
    ]
    assert Output.objects.count() == 0


def test_csl_json_commit(contact):
    plan(contact, "traps.csl.json", commit=True)
    article = Output.objects.get(doi="10.1145/3600000.1")
    assert (
        article.status,
        article.kind,
        article.publication_type,
        article.date_iso,
        article.venue,
        article.volume,
        article.issue,
        article.pages,
        article.abstract,
        article.keywords,
    ) == (
        OutputStatus.DRAFT,
        OutputKind.PUBLICATION,
        "journal-article",
        "2024-03-12",
        "ACM Transactions on Multimedia Computing",
        "20",
        "2",
        "1-18",
        "We ask journalists what they need.",
        ["deepfakes", "explainability"],
    )
    assert creators(article) == [
        ("Jan van der Berg", CreatorKind.PERSON, ""),
        ("AI4Media Consortium", CreatorKind.ORGANISATION, ""),
    ]
    dataset = Output.objects.get(title="Broadcast Deepfake Benchmark")
    assert (dataset.kind, dataset.date_iso, dataset.publisher, dataset.version) == (
        OutputKind.DATASET,
        "2023",
        "",
        "",
    )
    assert [(i.scheme, i.value) for i in dataset.identifiers.all()] == [
        ("url", "https://zenodo.org/records/100")
    ]
    assert Output.objects.count() == 2


def test_datacite_json_preview_and_commit(contact):
    rows = plan(contact, "traps.datacite.json", commit=True)
    assert verdicts(rows) == [
        ("10.5281/zenodo.200", "create", ""),
        (
            "10.5281/zenodo.201",
            "skip",
            "The resource type “Presentation” is not one of the types read.",
        ),
        (
            "10.5281/zenodo.202",
            "skip",
            "Creator 1: This ORCID iD's check digit is wrong: please check it for a typo.",
        ),
        (
            "10.5281/zenodo.203",
            "skip",
            "“my-own-licence” is not an SPDX licence identifier or expression"
            " (e.g. CC-BY-4.0, MIT).",
        ),
    ]
    (dataset,) = Output.objects.all()
    assert (
        dataset.kind,
        dataset.title,
        dataset.date_iso,
        dataset.access,
        dataset.embargo_until,
        dataset.licence,
        dataset.keywords,
        dataset.formats,
        dataset.abstract,
    ) == (
        OutputKind.DATASET,
        "Media Moderation Corpus",
        "2024-02-01",
        Access.EMBARGOED,
        datetime.date(2027, 1, 31),
        "CC-BY-4.0",
        ["content moderation"],
        ["application/json"],
        "Posts labelled for harm.",
    )
    assert creators(dataset) == [
        ("Maria Papadopoulou", CreatorKind.PERSON, "0000-0002-1825-0097"),
        ("Centre for Research and Technology Hellas", CreatorKind.ORGANISATION, ""),
    ]


def test_zenodo_json_preview_and_commit(contact):
    rows = plan(contact, "zenodo.json", commit=True)
    assert verdicts(rows) == [
        ("300", "create", ""),
        ("301", "create", ""),
        ("302", "skip", "The resource type “poster” is not one of the types read."),
    ]
    software = Output.objects.get(doi="10.5281/zenodo.300")
    assert (software.kind, software.licence, software.version, software.date_iso) == (
        OutputKind.SOFTWARE,
        "MIT",
        "v1.3.0",
        "2023-11-05",
    )
    assert creators(software) == [("Jörg Müller", CreatorKind.PERSON, "0000-0002-1825-0097")]
    article = Output.objects.get(doi="10.5281/zenodo.301")
    assert (article.publication_type, article.venue, article.pages, article.date_iso) == (
        "journal-article",
        "Digital Journalism",
        "400-420",
        "2022-06",
    )


def test_datacite_xml_preview_and_commit(contact):
    rows = plan(contact, "traps.datacite.xml", commit=True)
    assert verdicts(rows) == [
        ("10.5281/ZENODO.400", "create", ""),
        ("10.5281/zenodo.401", "skip", "The entry has no title."),
    ]
    (software,) = Output.objects.all()
    assert (software.doi, software.kind, software.licence, software.version) == (
        "10.5281/zenodo.400",
        OutputKind.SOFTWARE,
        "Apache-2.0",
        "0.9",
    )
    assert [(i.scheme, i.value) for i in software.identifiers.all()] == [("arxiv", "2501.00002")]
    assert creators(software) == [
        ("Ioannis Kompatsiaris", CreatorKind.PERSON, "0000-0002-1825-0097")
    ]


@pytest.mark.parametrize("name", ["billion-laughs.datacite.xml", "external-entity.datacite.xml"])
def test_hostile_xml_is_refused_whole(name):
    with pytest.raises(PortalError) as refused:
        read_import_file(fixture(name), lookup=RECORDED)
    assert refused.value.message == (
        "This XML declares a DTD or entities, which are refused for safety."
    )
    assert refused.value.field == "file"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"type": "dataset",', "This JSON cannot be read: "),
        (b"<resource><unclosed></resource>", "This XML is not well-formed: "),
        (b"<OAI-PMH/>", "This XML is not DataCite metadata (kernel 4 <resource>)."),
    ],
)
def test_unreadable_documents_are_refused(content, message):
    with pytest.raises(PortalError) as refused:
        read_import_file(content, lookup=RECORDED)
    assert refused.value.message.startswith(message)


def test_doi_list_looked_up(contact):
    rows = plan(contact, "dois.txt", commit=True)
    assert verdicts(rows) == [
        ("10.1109/tmm.2023.1", "create", ""),
        ("10.5281/zenodo.500", "create", ""),
        ("10.9999/unknown", "skip", "No record has this DOI."),
        ("10.bad", "skip", BAD_DOI),
    ]
    article = Output.objects.get(doi="10.1109/tmm.2023.1")
    assert (article.publication_type, article.venue, article.pages, article.date_iso) == (
        "journal-article",
        "IEEE Transactions on Multimedia",
        "101-115",
        "2023-05",
    )
    dataset = Output.objects.get(doi="10.5281/zenodo.500")
    assert (dataset.kind, dataset.date_iso) == (OutputKind.DATASET, "2022-09-01")


def test_doi_list_without_a_configured_lookup(contact):
    rows = plan(contact, "dois.txt", lookup=UnavailableDOILookup())
    assert [row.reason for row in rows][:3] == [
        "Looking DOIs up is not available on this portal."
    ] * 3


def test_entry_with_the_doi_of_a_curated_output_updates_it(contact, other_organisation):
    mine = OutputFactory(organisation=contact.organisation, doi="10.5281/zenodo.300")
    theirs = OutputFactory(organisation=other_organisation, doi="10.5281/zenodo.301")
    rows = plan(contact, "zenodo.json", commit=True)
    assert verdicts(rows)[:2] == [
        ("300", "update", ""),
        ("301", "skip", f"Output #{theirs.pk} already has this DOI."),
    ]
    mine.refresh_from_db()
    assert mine.title == "Fairness Toolkit for Recommenders"
    theirs.refresh_from_db()
    assert theirs.title != "Trustworthy AI in the Newsroom"


def test_entry_with_the_title_and_year_of_a_catalogue_output_is_skipped(contact):
    twin = OutputFactory(title="Media  moderation CORPUS", date_year=2024, doi="")
    rows = plan(contact, "traps.datacite.json")
    assert verdicts(rows)[0] == (
        "10.5281/zenodo.200",
        "skip",
        f"Output #{twin.pk} has the same title and year.",
    )


class FakeResponse:
    def __init__(self, status_code, body=None, *, content=None):
        self.status_code = status_code
        self.body = body
        self.content = content

    def json(self):
        if self.content is not None:
            return json.loads(self.content)
        if self.body is None:
            raise ValueError("not JSON")
        return self.body


class FakeSession:
    """Stands in for requests.Session: records the request, answers as told."""

    def __init__(self, answer):
        self.answer = answer
        self.requests = []

    def get(self, url, headers, timeout):
        self.requests.append((url, headers, timeout))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_http_lookup_asks_for_csl_json_by_content_negotiation():
    session = FakeSession(FakeResponse(200, {"type": "dataset", "title": "T"}))
    lookup = HttpDOILookup("https://doi.org", session=session)
    assert lookup.lookup("10.5281/zenodo.1") == {"type": "dataset", "title": "T"}
    assert session.requests == [("https://doi.org/10.5281/zenodo.1", {"Accept": CSL_JSON}, 10)]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (FakeResponse(404), "No record has this DOI."),
        (FakeResponse(503), "The DOI service answered 503."),
        (FakeResponse(200), "The DOI service's answer is not CSL-JSON."),
        (
            FakeResponse(200, content=b"[" * 100_000 + b"]" * 100_000),
            "The DOI service's answer is not CSL-JSON.",
        ),
        (requests.ConnectionError(), "The DOI service could not be reached."),
    ],
)
def test_http_lookup_failures_become_reasons(answer, reason):
    lookup = HttpDOILookup("https://doi.org/", session=FakeSession(answer))
    with pytest.raises(LookupFailed) as failed:
        lookup.lookup("10.5281/zenodo.1")
    assert failed.value.reason == reason


def test_import_page_previews_and_commits_csl_json(client, contact):
    client.force_login(contact.user)
    upload = SimpleUploadedFile("refs.json", fixture("traps.csl.json"))
    response = client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )
    assert response.status_code == 200
    assert [row.action.value for row in response.context["rows"]] == [
        "create",
        "create",
        *["skip"] * 7,
    ]
    assert "The CSL type “book” is not one of the types read." in response.content.decode()
    assert Output.objects.count() == 0
    response = commit_preview(client, response)
    assert response.status_code == 302
    assert Output.objects.filter(status=OutputStatus.DRAFT).count() == 2


def test_import_page_refuses_hostile_xml_beside_the_field(client, contact):
    client.force_login(contact.user)
    upload = SimpleUploadedFile("records.xml", fixture("billion-laughs.datacite.xml"))
    response = client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "This XML declares a DTD or entities, which are refused for safety."
    ]
    assert Output.objects.count() == 0


def test_import_page_looks_dois_up_only_when_configured(client, contact, settings):
    settings.OUTPUTS_DOI_LOOKUP_URL = ""
    client.force_login(contact.user)
    upload = SimpleUploadedFile("dois.txt", b"10.5281/zenodo.500\n")
    response = client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )
    assert response.status_code == 200
    assert [row.reason for row in response.context["rows"]] == [
        "Looking DOIs up is not available on this portal."
    ]


@pytest.mark.parametrize(
    "content",
    [
        b'[{"type": "dataset", "title": "T", "issued": "2023", "author": "Rossi"}]',
        b'[{"type": "report", "title": ["T"], "issued": {"date-parts": "2023"}}]',
        b'{"data": [{"attributes": {"titles": "T", "types": ["Dataset"], "creators": 3}}]}',
        b'{"hits": {"hits": [{"metadata": {"title": 5, "creators": ["Rossi"]}}]}}',
        b'{"data": [{"attributes": null, "titles": [{"title": "T"}], "dates": [1]}]}',
    ],
)
def test_entries_of_odd_shapes_are_skipped_not_fatal(contact, content):
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_import_file(content, lookup=RECORDED),
        commit=False,
    )
    assert [row.action.value for row in rows] == ["skip"]
    assert rows[0].reason


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"hits": {"hits": ' + b'{"metadata": ' * 100_000 + b"{}" + b"}" * 100_000 + b"}}",
    ],
    ids=["csl-json", "datacite-json", "zenodo-json"],
)
def test_import_page_refuses_json_nested_too_deeply_beside_the_field(client, contact, content):
    client.force_login(contact.user)
    upload = SimpleUploadedFile("records.json", content)
    response = client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == ["This file nests too deeply to be read."]


def test_an_entry_nested_too_deeply_is_skipped_not_fatal():
    def read_forever(entry, number):
        return read_forever(entry, number)

    assert guarded(read_forever, {}, 3) == Candidate(
        key="", line=3, reason="This entry nests too deeply to be read."
    )


def csl_item(**changes) -> dict:
    return {
        "type": "dataset",
        "id": "d1",
        "title": "Corpus",
        "issued": {"date-parts": [[2020]]},
        "author": [{"family": "Rossi", "given": "Ada"}],
        **changes,
    }


CONTROL = "Remove the control character U+0000: it cannot be part of this text."


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "Nul\x00byte"}, f"title: {CONTROL}"),
        ({"keyword": "media, a\x00b"}, f"keywords: {CONTROL}"),
        ({"author": [{"family": "Ros\x00si"}]}, f"Creator 1: family name: {CONTROL}"),
        (
            {"author": [{"family": "R" * 200}]},
            "Creator 1: family name: Ensure this value has at most 150 characters (it has 200).",
        ),
        ({"URL": "https://example.org/a\x00b"}, f"URL identifier: {CONTROL}"),
        (
            {"URL": "https://example.org/" + "a" * 600},
            "URL identifier: Ensure this value has at most 500 characters (it has 620).",
        ),
        (
            {"DOI": "10.5281/" + "z" * 300},
            "DOI: Ensure this value has at most 255 characters (it has 308).",
        ),
    ],
)
def test_entry_the_database_would_refuse_is_skipped_in_the_preview(contact, changes, reason):
    # The values arrive escaped in JSON ("\u0000"), so no check of the file's text sees them.
    content = json.dumps([csl_item(**changes), csl_item(id="d2", title="Fine")]).encode()
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_import_file(content, lookup=RECORDED),
        commit=True,
    )
    assert verdicts(rows) == [("d1", "skip", reason), ("d2", "create", "")]
    assert list(Output.objects.values_list("title", flat=True)) == ["Fine"]


NOTHING = "Nothing could be read from this file: "


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"% comment\n@comment{x}",
            NOTHING + "it holds no BibTeX entry such as @article{…} (only comments or other "
            "text), and it is not CSL-JSON, DataCite JSON or XML, or a list of DOIs.",
        ),
        (b"[]", NOTHING + "its JSON holds no record."),
        (b'{"data": []}', NOTHING + "its JSON holds no record."),
        (
            b'<resources xmlns="http://datacite.org/schema/kernel-4"/>',
            NOTHING + "its XML holds no DataCite <resource>.",
        ),
        (b" \n\t\n", "This file holds only spaces and blank lines."),
    ],
    ids=["bibtex-comments", "csl-json", "datacite-json", "datacite-xml", "blank"],
)
def test_import_page_says_why_nothing_could_be_read(client, contact, content, message):
    client.force_login(contact.user)
    upload = SimpleUploadedFile("records.txt", content)
    response = client.post(
        "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"file": [message]}


def test_doi_list_names_the_line_that_is_not_a_doi(contact):
    rows = services.outputs_import(
        actor=contact.user,
        organisation=contact.organisation,
        candidates=read_import_file(b"10.5072/abc\nnot a doi", lookup=RECORDED),
        commit=False,
    )
    assert [
        (row.candidate.line, row.candidate.key, row.action.value, row.reason) for row in rows
    ] == [
        (1, "10.5072/abc", "skip", "No record has this DOI."),
        (2, "not a doi", "skip", BAD_DOI),
    ]
