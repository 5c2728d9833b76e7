"""RIS, CSL-JSON and CSV exports of one record and of a filtered list."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outputs.enums import OutputKind, OutputStatus, PublicationType
from tests.utils import assert_constant_queries

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


def article(**kwargs):
    values = {
        "title": "Robust Detection",
        "doi": "10.1109/tmm.2023.1",
        "volume": "25",
        "issue": "3",
        "pages": "12-20",
        "date_day": 17,
        "creators": [("Papadopoulou", "Maria"), ("AI4Media Consortium", "")],
    }
    values.update(kwargs)
    return OutputFactory(**values)


def test_csl_json_of_one_record(client):
    output = article()
    response = client.get(f"/outputs/{output.pk}/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response.json() == [
        {
            "id": f"output-{output.pk}",
            "type": "article-journal",
            "title": "Robust Detection",
            "author": [
                {"family": "Papadopoulou", "given": "Maria"},
                {"literal": "AI4Media Consortium"},
            ],
            "issued": {"date-parts": [[2023, 5, 17]]},
            "URL": "https://doi.org/10.1109/tmm.2023.1",
            "container-title": "IEEE Transactions on Multimedia",
            "volume": "25",
            "issue": "3",
            "page": "12-20",
            "DOI": "10.1109/tmm.2023.1",
            "abstract": "We detect manipulated faces in news footage.",
            "keyword": "deepfakes, video",
        }
    ]


def test_ris_of_one_record(client):
    output = article()
    text = client.get(f"/outputs/{output.pk}/cite.ris").content.decode()
    assert text.split("\r\n") == [
        "TY  - JOUR",
        "AU  - Papadopoulou, Maria",
        "AU  - AI4Media Consortium",
        "TI  - Robust Detection",
        "PY  - 2023",
        "DA  - 2023/05/17/",
        "T2  - IEEE Transactions on Multimedia",
        "VL  - 25",
        "IS  - 3",
        "SP  - 12",
        "EP  - 20",
        "DO  - 10.1109/tmm.2023.1",
        "UR  - https://doi.org/10.1109/tmm.2023.1",
        "AB  - We detect manipulated faces in news footage.",
        "KW  - deepfakes",
        "KW  - video",
        "ER  -",
        "",
    ]


CONTAINED = {"container-title": "Venue", "page": "12-20"}
ISSUED = {"publisher": "Venue"}


@pytest.mark.parametrize(
    ("publication_type", "csl_type", "where"),
    [
        (PublicationType.JOURNAL_ARTICLE, "article-journal", CONTAINED),
        (PublicationType.CONFERENCE_PAPER, "paper-conference", CONTAINED),
        (PublicationType.BOOK_CHAPTER, "chapter", CONTAINED),
        (PublicationType.PREPRINT, "article", ISSUED),
        (PublicationType.THESIS, "thesis", ISSUED),
        (PublicationType.REPORT, "report", ISSUED),
    ],
)
def test_csl_json_venue_is_the_container_or_the_publisher(
    client, publication_type, csl_type, where
):
    # CSL 1.0.2: the container holds the item and the page range is within it; a thesis's
    # university, a report's organisation and a preprint's repository are its publisher.
    output = article(publication_type=publication_type, venue="Venue")
    (item,) = client.get(f"/outputs/{output.pk}/cite.json").json()
    assert item["type"] == csl_type
    assert {k: item[k] for k in ("container-title", "page", "publisher") if k in item} == where


UNIVERSITY = "Aristotelian University of Macedonia"


@pytest.mark.parametrize(
    ("venue", "publisher"),
    [
        (UNIVERSITY, ""),
        # As the CSL-JSON and DataCite imports record a thesis's university.
        ("", UNIVERSITY),
        # The university, not the thesis's distributor.
        (UNIVERSITY, "ProQuest"),
    ],
)
def test_thesis_university_is_the_publisher_in_csl_json_and_ris(client, venue, publisher):
    output = article(
        publication_type=PublicationType.THESIS,
        venue=venue,
        publisher=publisher,
        volume="",
        issue="",
        pages="",
    )
    (item,) = client.get(f"/outputs/{output.pk}/cite.json").json()
    assert (item["type"], item["publisher"], "container-title" in item) == (
        "thesis",
        UNIVERSITY,
        False,
    )
    lines = client.get(f"/outputs/{output.pk}/cite.ris").content.decode().split("\r\n")
    assert lines[0] == "TY  - THES"
    assert [line for line in lines if line[:2] in ("T2", "PB")] == [f"PB  - {UNIVERSITY}"]


def test_ris_of_a_report_names_its_institution_as_publisher(client):
    output = article(
        publication_type=PublicationType.REPORT,
        venue="AI4Media Consortium",
        volume="",
        issue="",
        pages="",
    )
    lines = client.get(f"/outputs/{output.pk}/cite.ris").content.decode().split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert [line for line in lines if line[:2] in ("T2", "PB")] == ["PB  - AI4Media Consortium"]


def test_list_exports_honour_the_filters_and_hide_drafts(client):
    article(title="One")
    OutputFactory(title="A Dataset", kind=OutputKind.DATASET)
    OutputFactory(title="Draft", status=OutputStatus.DRAFT)
    items = client.get("/outputs/export.json?kind=dataset").json()
    assert [(item["title"], item["type"]) for item in items] == [("A Dataset", "dataset")]
    ris = client.get("/outputs/export.ris").content.decode()
    assert ris.count("ER  -") == 2
    assert "Draft" not in ris
    response = client.get("/outputs/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="outputs.csv"'
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "id",
        "kind",
        "title",
        "creators",
        "date",
        "venue",
        "doi",
        "licence",
        "access",
        "url",
    ]
    assert sorted(row[2] for row in rows[1:]) == ["A Dataset", "One"]


def test_draft_has_no_citation_files(client):
    draft = article(status=OutputStatus.DRAFT)
    for suffix in ("cite.json", "cite.ris", "cite.bib"):
        assert client.get(f"/outputs/{draft.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["ris", "json"])
def test_list_exports_queries_constant(client, suffix):
    assert assert_constant_queries(client, f"/outputs/export.{suffix}", OutputFactory) == 7


def test_csv_export_queries_constant(client):
    # The CSV streams: count the queries made while its rows are written.
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get("/outputs/export.csv").streaming_content)
        return len(ctx.captured_queries)

    OutputFactory()
    one = queries()
    OutputFactory()
    OutputFactory()
    assert (one, queries()) == (7, 7)
