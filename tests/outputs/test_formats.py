"""DataCite XML of one record and of a filtered list; formatted citations (APA, IEEE) on the
record's page, as text and through the API."""

import xml.etree.ElementTree as ET

import pytest
from datacite import schema45
from lxml import etree

from outputs import selectors
from outputs.enums import OutputKind, OutputStatus, PublicationType
from outputs.formats import csl, datacite
from outputs.models import Output
from tests.concurrency import run_in_parallel
from tests.utils import assert_constant_queries

from .factories import OutputFactory
from .xml_schemas import json_errors

pytestmark = pytest.mark.django_db

KERNEL = {"d": "http://datacite.org/schema/kernel-4"}


def article(**kwargs):
    kwargs.setdefault("doi", "10.1109/tmm.2023.1")
    return OutputFactory(
        volume="25",
        issue="4",
        pages="101-115",
        creators=[("Papadopoulou", "Maria"), ("Rossi", "Luca")],
        **kwargs,
    )


def test_datacite_xml_of_one_record(client):
    output = article()
    response = client.get(f"/outputs/{output.pk}/datacite.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.datacite.datacite+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://datacite.org/schema/kernel-4}resource"
    assert root.findtext("d:identifier", namespaces=KERNEL) == "10.1109/tmm.2023.1"
    assert [n.text for n in root.iterfind("d:creators/d:creator/d:creatorName", KERNEL)] == [
        "Papadopoulou, Maria",
        "Rossi, Luca",
    ]
    assert root.findtext("d:publicationYear", namespaces=KERNEL) == "2023"
    # The XML is exactly what the datacite library writes from JSON valid against the schema.
    loaded = selectors.with_relations(Output.objects.filter(pk=output.pk)).get()
    data = datacite.datacite_json(loaded, page_url=lambda o: f"http://testserver/outputs/{o.pk}/")
    assert json_errors("datacite-v4.5.json", data) == []
    parser = etree.XMLParser(remove_blank_text=True)
    assert etree.tostring(schema45.dump_etree(data)) == etree.tostring(
        etree.fromstring(response.content, parser)
    )


def test_datacite_xml_needs_a_published_record_with_a_doi(client):
    without_doi = article(doi="")
    draft = article(doi="10.5281/zenodo.2", status=OutputStatus.DRAFT)
    assert client.get(f"/outputs/{without_doi.pk}/datacite.xml").status_code == 404
    assert client.get(f"/outputs/{draft.pk}/datacite.xml").status_code == 404
    assert client.get("/outputs/999999/datacite.xml").status_code == 404


def test_datacite_list_honours_the_filters(client):
    dataset = OutputFactory(kind=OutputKind.DATASET, publication_type="", doi="10.5281/zenodo.3")
    article()
    OutputFactory(kind=OutputKind.DATASET, publication_type="", doi="")
    OutputFactory(kind=OutputKind.DATASET, doi="10.5281/zenodo.4", status=OutputStatus.DRAFT)
    response = client.get("/outputs/export.datacite.xml?kind=dataset")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "{http://datacite.org/schema/kernel-4}resources"
    assert [n.text for n in root.iterfind("d:resource/d:identifier", KERNEL)] == [dataset.doi]
    everything = ET.fromstring(client.get("/outputs/export.datacite.xml").content)
    assert len(everything.findall("d:resource", KERNEL)) == 2


def test_datacite_list_queries_constant(client):
    counter = iter(range(100, 200))

    def with_doi():
        return OutputFactory(doi=f"10.5281/zenodo.{next(counter)}")

    assert assert_constant_queries(client, "/outputs/export.datacite.xml", with_doi) == 7


def test_apa_and_ieee_citations_on_the_page(client):
    output = article(title="Robust <b>Deepfake</b> Detection & <script>x</script>")
    response = client.get(f"/outputs/{output.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Papadopoulou, M., &amp; Rossi, L. (2023)."
        " Robust &lt;b&gt;Deepfake&lt;/b&gt; Detection &amp; &lt;script&gt;x&lt;/script&gt;."
        " <i>IEEE Transactions on Multimedia</i>, <i>25</i>(4), 101–115."
        " https://doi.org/10.1109/tmm.2023.1"
    ) in html
    assert (
        "M. Papadopoulou and L. Rossi, “Robust &lt;b&gt;Deepfake&lt;/b&gt; Detection &amp;"
        " &lt;script&gt;x&lt;/script&gt;”,"
        " <i>IEEE Transactions on Multimedia</i>, vol. 25, no. 4, pp. 101–115, May 2023,"
        " doi: 10.1109/tmm.2023.1."
    ) in html
    assert f'href="/outputs/{output.pk}/datacite.xml"' in html


def test_citation_as_plain_text(client):
    output = article()
    response = client.get(f"/outputs/{output.pk}/cite.txt?style=ieee")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "M. Papadopoulou and L. Rossi, “Robust Deepfake Detection in Broadcast Video, part "
        f"{output.title.rsplit(' ', 1)[1]}”, IEEE Transactions on Multimedia, vol. 25, no. 4,"
        " pp. 101–115, May 2023, doi: 10.1109/tmm.2023.1."
    )
    apa = client.get(f"/outputs/{output.pk}/cite.txt").content.decode()
    assert apa.startswith("Papadopoulou, M., & Rossi, L. (2023). Robust Deepfake Detection")
    refused = client.get(f"/outputs/{output.pk}/cite.txt?style=harvard")
    assert refused.status_code == 400
    assert refused.content.decode() == "Unknown citation style. Styles: apa, ieee."


def test_no_citation_for_drafts(client):
    draft = article(status=OutputStatus.DRAFT)
    assert client.get(f"/outputs/{draft.pk}/cite.txt").status_code == 404


@pytest.mark.parametrize(
    ("kind", "fields", "apa"),
    [
        (
            OutputKind.DATASET,
            {"publication_type": "", "venue": "", "version": "2"},
            "Papadopoulou, M., & Rossi, L. (2023). Title (Version 2) [Dataset].",
        ),
        (
            OutputKind.SOFTWARE,
            {"publication_type": "", "venue": "", "version": "1.4"},
            "Papadopoulou, M., & Rossi, L. (2023). Title (Version 1.4) [Computer software].",
        ),
    ],
)
def test_apa_citation_of_datasets_and_software(kind, fields, apa):
    output = OutputFactory(
        kind=kind, title="Title", creators=[("Papadopoulou", "Maria"), ("Rossi", "Luca")], **fields
    )
    text = csl.formatted_citation(output, "apa", page_url="https://portal.example/outputs/1/")
    assert text == f"{apa} https://portal.example/outputs/1/"


def test_citations_through_the_api(client):
    output = article()
    response = client.get(f"/api/v1/outputs/{output.pk}/citations/")
    assert response.status_code == 200
    body = response.json()
    assert [(entry["style"], entry["label"]) for entry in body] == [
        ("apa", "APA (7th edition)"),
        ("ieee", "IEEE"),
    ]
    assert body[0]["text"].startswith("Papadopoulou, M., & Rossi, L. (2023). Robust Deepfake")
    assert body[1]["html"].endswith(
        "<i>IEEE Transactions on Multimedia</i>, vol. 25, no. 4, pp. 101–115, May 2023,"
        " doi: 10.1109/tmm.2023.1."
    )
    draft = article(doi="", status=OutputStatus.DRAFT)
    assert client.get(f"/api/v1/outputs/{draft.pk}/citations/").status_code == 404


def test_citations_formatted_in_threads_at_once_keep_their_format():
    # One parsed style shared by threads once took the formatter of whichever thread set it
    # last, so that plain text sometimes came back as HTML and HTML as plain text.
    article(title="Privacy-preserving analysis & news")
    OutputFactory(doi="10.1109/tmm.2023.2", creators=[("Müller", "Anna"), ("Jensen", "Jonas")])
    OutputFactory(
        publication_type=PublicationType.CONFERENCE_PAPER, venue="ACM Multimedia", pages="1-9"
    )
    outputs = list(selectors.with_relations(Output.objects.order_by("pk")))
    page_url = "https://portal.example/outputs/1/"
    jobs = [(output, style) for output in outputs for style in csl.STYLES]
    expected = [
        (
            csl.formatted_citation(output, style, page_url=page_url),
            csl.formatted_citation_html(output, style, page_url=page_url),
        )
        for output, style in jobs
    ]
    assert all(
        "<i>" in html and "<i>" not in text and "&amp;" not in text for text, html in expected
    )

    def format_many(i):
        return [
            (
                csl.formatted_citation(output, style, page_url=page_url),
                csl.formatted_citation_html(output, style, page_url=page_url),
            )
            for _round in range(10)
            for output, style in jobs[i % len(jobs) :] + jobs[: i % len(jobs)]
        ]

    results = run_in_parallel(8, format_many)
    for i, result in enumerate(results):
        shift = i % len(jobs)
        assert result == (expected[shift:] + expected[:shift]) * 10


def test_each_thread_parses_a_style_once_and_keeps_it():
    mine = csl._style("apa")
    assert csl._style("apa") is mine
    theirs = run_in_parallel(2, lambda i: (csl._style("apa"), csl._style("apa")))
    assert [first is again for first, again in theirs] == [True, True]
    assert len({id(mine), id(theirs[0][0]), id(theirs[1][0])}) == 3


THESIS = {
    "publication_type": PublicationType.THESIS,
    "title": "Fair face analysis across demographic groups",
    "venue": "Aristotelian University of Macedonia",
}
REPORT = {
    "publication_type": PublicationType.REPORT,
    "title": "Privacy-preserving analysis of news consumption",
    "venue": "AI4Media Consortium",
}


@pytest.mark.parametrize(
    ("fields", "apa", "ieee"),
    [
        (
            THESIS,
            "Rossi, L. (2023). Fair face analysis across demographic groups"
            " [Aristotelian University of Macedonia]. https://doi.org/10.5072/x.1",
            "L. Rossi, “Fair face analysis across demographic groups”,"
            " Aristotelian University of Macedonia, 2023. doi: 10.5072/x.1.",
        ),
        (
            REPORT,
            "Rossi, L. (2023). Privacy-preserving analysis of news consumption."
            " AI4Media Consortium. https://doi.org/10.5072/x.1",
            "L. Rossi, “Privacy-preserving analysis of news consumption”,"
            " AI4Media Consortium, May 2023. doi: 10.5072/x.1.",
        ),
    ],
)
def test_thesis_and_report_cite_their_institution_as_publisher(client, fields, apa, ieee):
    # The institution was the container once: "… In Aristotelian University of Macedonia
    # (pp. 5–16)."
    output = OutputFactory(doi="10.5072/x.1", pages="5-16", creators=[("Rossi", "Luca")], **fields)
    assert client.get(f"/outputs/{output.pk}/cite.txt").content.decode() == apa
    assert client.get(f"/outputs/{output.pk}/cite.txt?style=ieee").content.decode() == ieee
