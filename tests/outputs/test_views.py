import json
import re

import bibtexparser
import pytest
from bibtexparser import middlewares

from outputs.enums import Access, OutputKind, OutputStatus, PublicationType
from outputs.models import Output
from tests.network.factories import OrganisationFactory
from tests.utils import assert_constant_queries

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [output.title for output in response.context["page"].object_list]


def test_catalogue_lists_published_outputs_only(client):
    published = OutputFactory(title="Visible Article")
    OutputFactory(title="Secret Draft", status=OutputStatus.DRAFT)
    OutputFactory(title="Gone Record", status=OutputStatus.DELETED)
    response = client.get("/outputs/")
    assert titles(response) == [published.title]
    assert "Secret Draft" not in response.content.decode()
    assert "Gone Record" not in response.content.decode()


def test_catalogue_full_text_search_matches_title_creator_and_abstract(client):
    OutputFactory(title="Deepfake Detection", creators=[("Kompatsiaris", "Ioannis")])
    OutputFactory(title="Music Generation", abstract="Symbolic composition")
    assert titles(client.get("/outputs/?q=deepf")) == ["Deepfake Detection"]
    assert titles(client.get("/outputs/?q=kompats")) == ["Deepfake Detection"]
    assert titles(client.get("/outputs/?q=compositions")) == ["Music Generation"]
    assert titles(client.get("/outputs/?q=nothing+here")) == []


def test_catalogue_filters_and_facets(client, other_organisation):
    dataset = OutputFactory(
        title="News Dataset",
        kind=OutputKind.DATASET,
        date_year=2022,
        research_areas=["content-centred-ai", "trustworthy-ai"],
        use_cases=["news"],
        access=Access.RESTRICTED,
        licence="MIT",
    )
    dataset.creators.first().affiliations.add(other_organisation)
    OutputFactory(title="Article", date_year=2023)
    response = client.get("/outputs/?kind=dataset")
    assert titles(response) == ["News Dataset"]
    facets = response.context["facets"]
    assert [(f["label"], f["count"]) for f in facets["area"]] == [
        ("Content-centred AI", 1),
        ("Trustworthy AI", 1),
    ]
    # The chosen facet counts what choosing another of its values would show.
    assert [(f["label"], f["count"], f["selected"]) for f in facets["kind"]] == [
        ("Dataset", 1, True),
        ("Publication", 1, False),
    ]
    assert facets["kind"][0]["query"] == ""
    assert facets["kind"][1]["query"] == "kind=publication"
    response = client.get("/outputs/")
    assert [(f["label"], f["count"]) for f in response.context["facets"]["year"]] == [
        ("2023", 1),
        ("2022", 1),
    ]
    assert [(f["label"], f["count"]) for f in response.context["facets"]["kind"]] == [
        ("Dataset", 1),
        ("Publication", 1),
    ]
    assert response.context["facets"]["kind"][0]["query"] == "kind=dataset"
    for query in [
        "year=2022",
        "area=content-centred-ai",
        "use_case=news",
        "access=restricted",
        "licence=MIT",
        f"organisation={other_organisation.slug}",
    ]:
        assert titles(client.get(f"/outputs/?{query}")) == ["News Dataset"], query
    assert [(f["label"], f["count"]) for f in response.context["facets"]["organisation"]] == [
        (other_organisation.name, 1)
    ]
    assert [(f["label"], f["count"]) for f in response.context["facets"]["creator"]] == [
        ("Maria Papadopoulou", 2)
    ]
    assert titles(client.get("/outputs/?creator=Maria+Papadopoulou&kind=dataset")) == [
        "News Dataset"
    ]
    assert titles(client.get("/outputs/?creator=Nobody")) == []


@pytest.mark.parametrize(
    ("query", "facet", "label"),
    [
        ("kind=poem", "kind", "poem"),
        ("year=abc", "year", "abc"),
        ("year=1800", "year", "1800"),
        ("year=99999999999", "year", "99999999999"),
        ("area=astrology", "area", "astrology"),
        ("organisation=no+such", "organisation", "no such"),
    ],
)
def test_a_value_no_output_can_have_matches_nothing_and_can_be_lifted(client, query, facet, label):
    OutputFactory(title="Article")
    response = client.get(f"/outputs/?{query}&sort=sideways")
    assert titles(response) == []
    chosen = [v for v in response.context["facets"][facet] if v["selected"]]
    assert [(v["label"], v["count"]) for v in chosen] == [(label, 0)]
    assert titles(client.get(f"/outputs/?{chosen[0]['query']}")) == ["Article"]
    export = client.get(f"/outputs/export.csv?{query}")
    assert b"".join(export.streaming_content).decode().count("\n") == 1  # the header only


def test_a_long_search_is_cut_not_dropped(client):
    OutputFactory(title="Deepfake detection")
    response = client.get("/outputs/?q=" + "deepfake+" + "x" * 300)
    assert len(response.context["filters"].search) == 200
    assert titles(response) == []
    assert 'maxlength="200"' in response.content.decode()


def test_catalogue_queries_constant(client):
    def add():
        output = OutputFactory(creators=[("Doe", "Jane"), ("Roe", "Rita")])
        output.creators.first().affiliations.add(output.organisation)

    # One pass for the count, the page's keys and all eight facets; one for the page's rows.
    assert assert_constant_queries(client, "/outputs/", add) == 2
    assert assert_constant_queries(client, "/outputs/?q=jane&sort=title", add) == 2
    # Each chosen facet is counted without its own choice: one more statement each.
    organisation = OrganisationFactory(slug="chosen-lab")

    def add_affiliated():
        output = OutputFactory(kind="publication", creators=[("Doe", "Jane")])
        output.creators.get().affiliations.add(organisation)

    chosen = "/outputs/?q=jane&kind=publication&creator=Jane+Doe&organisation=chosen-lab"
    assert assert_constant_queries(client, chosen, add_affiliated) == 2 + 3


def test_detail_has_json_ld_and_highwire_tags(client):
    output = OutputFactory(
        title="Robust <Detection>",
        doi="10.1109/tmm.2023.1",
        pages="12-20",
        volume="25",
        creators=[("Papadopoulou", "Maria"), ("Doe", "Jane")],
    )
    response = client.get(f"/outputs/{output.pk}/")
    html = response.content.decode()
    meta = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)
    assert meta == [
        ("citation_title", "Robust &lt;Detection&gt;"),
        ("citation_author", "Papadopoulou, Maria"),
        ("citation_author", "Doe, Jane"),
        ("citation_publication_date", "2023/05"),
        ("citation_journal_title", "IEEE Transactions on Multimedia"),
        ("citation_volume", "25"),
        ("citation_firstpage", "12"),
        ("citation_lastpage", "20"),
        ("citation_doi", "10.1109/tmm.2023.1"),
        ("citation_keywords", "deepfakes; video"),
        ("citation_abstract_html_url", f"http://testserver/outputs/{output.pk}/"),
    ]
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    data = json.loads(block)
    assert (data["@type"], data["@id"], data["name"], data["datePublished"]) == (
        "ScholarlyArticle",
        "https://doi.org/10.1109/tmm.2023.1",
        "Robust <Detection>",
        "2023-05",
    )
    assert [author["familyName"] for author in data["author"]] == ["Papadopoulou", "Doe"]
    assert data["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert data["funding"] == [
        {
            "@type": "Grant",
            "identifier": "951911",
            "funder": {"@type": "Organization", "name": "European Commission"},
        }
    ]


def test_dataset_and_software_json_ld(client):
    dataset = OutputFactory(
        kind=OutputKind.DATASET,
        access_url="https://zenodo.org/records/1/files/data.zip",
        formats=["application/zip"],
        size_bytes=2048,
    )
    software = OutputFactory(
        kind=OutputKind.SOFTWARE,
        repository_url="https://github.com/ai4media/tool",
        languages=["Python"],
        version="1.2.0",
    )

    def ld(output):
        html = client.get(f"/outputs/{output.pk}/").content.decode()
        return json.loads(re.search(r"ld\+json\">(.*?)</script>", html, re.S).group(1))

    data = ld(dataset)
    assert (data["@type"], data["distribution"]) == (
        "Dataset",
        [
            {
                "@type": "DataDownload",
                "contentUrl": "https://zenodo.org/records/1/files/data.zip",
                "encodingFormat": "application/zip",
                "contentSize": "2048 B",
            }
        ],
    )
    data = ld(software)
    assert (
        data["@type"],
        data["codeRepository"],
        data["programmingLanguage"],
        data["version"],
    ) == (
        "SoftwareSourceCode",
        "https://github.com/ai4media/tool",
        ["Python"],
        "1.2.0",
    )


def test_draft_detail_hidden_from_the_public_and_shown_to_its_curators(client, contact):
    draft = OutputFactory(status=OutputStatus.DRAFT, organisation=contact.organisation)
    assert client.get(f"/outputs/{draft.pk}/").status_code == 404
    assert client.get(f"/outputs/{draft.pk}/cite.bib").status_code == 404
    client.force_login(contact.user)
    response = client.get(f"/outputs/{draft.pk}/")
    assert response.status_code == 200
    assert "citation_title" not in response.content.decode()
    assert "ld+json" not in response.content.decode()


def test_tombstone_answers_gone(client):
    output = OutputFactory(status=OutputStatus.DELETED, deletion_reason="Duplicate record")
    response = client.get(f"/outputs/{output.pk}/")
    assert response.status_code == 410
    assert "Duplicate record" in response.content.decode()
    assert client.get(f"/outputs/{output.pk}/cite.bib").status_code == 404


def parse_bibtex(text: str):
    return bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
            middlewares.LatexDecodingMiddleware(),
        ],
    )


def test_bibtex_round_trip(client):
    output = OutputFactory(
        title="DeepFake Detection with {Braces} & 100% of CNNs_v2",
        creators=[("Papadopoulou", "Maria"), ("van der Berg", "Jan"), ("AI4Media Consortium", "")],
        doi="10.1109/tmm.2023.1",
        volume="25",
        issue="3",
        pages="12-20",
        keywords=["deepfakes", "video"],
    )
    response = client.get(f"/outputs/{output.pk}/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = parse_bibtex(response.content.decode())
    assert library.failed_blocks == []
    (entry,) = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert entry.entry_type == "article"
    assert fields["title"] == "DeepFake Detection with {Braces} & 100% of CNNs_v2"
    assert [
        (" ".join(name.von + name.last).strip("{}"), name.first) for name in fields["author"]
    ] == [
        ("Papadopoulou", ["Maria"]),
        ("van der Berg", ["Jan"]),
        ("AI4Media Consortium", []),
    ]
    assert (fields["year"], fields["month"], fields["journal"], fields["pages"]) == (
        "2023",
        "may",
        "IEEE Transactions on Multimedia",
        "12–20",  # "12--20" in the file: LaTeX's en dash
    )
    assert (fields["volume"], fields["number"], fields["doi"], fields["keywords"]) == (
        "25",
        "3",
        "10.1109/tmm.2023.1",
        "deepfakes, video",
    )


@pytest.mark.parametrize(
    ("publication_type", "venue", "publisher", "expected"),
    [
        (
            PublicationType.THESIS,
            "Aristotelian University of Macedonia",
            "",
            ("phdthesis", {"school": "Aristotelian University of Macedonia"}),
        ),
        # As the CSL-JSON and DataCite imports record a thesis's university: not repeated.
        (
            PublicationType.THESIS,
            "",
            "Aristotelian University of Macedonia",
            ("phdthesis", {"school": "Aristotelian University of Macedonia"}),
        ),
        (
            PublicationType.REPORT,
            "AI4Media Consortium",
            "Zenodo",
            ("techreport", {"institution": "AI4Media Consortium", "publisher": "Zenodo"}),
        ),
    ],
)
def test_bibtex_thesis_school_and_report_institution(
    client, publication_type, venue, publisher, expected
):
    output = OutputFactory(publication_type=publication_type, venue=venue, publisher=publisher)
    (entry,) = parse_bibtex(client.get(f"/outputs/{output.pk}/cite.bib").content.decode()).entries
    fields = {field.key: field.value for field in entry.fields}
    names = ("journal", "booktitle", "school", "institution", "publisher")
    assert (entry.entry_type, {k: fields[k] for k in names if k in fields}) == expected


def test_bibtex_protects_capitals_and_escapes(client):
    output = OutputFactory(title="DeepFake & iPhone detection with CNNs")
    text = client.get(f"/outputs/{output.pk}/cite.bib").content.decode()
    assert "title = {{DeepFake} \\& {iPhone} detection with {CNNs}}" in text


def test_bibtex_export_honours_the_list_filters(client):
    OutputFactory(title="Article One", creators=[("Doe", "Jane")])
    OutputFactory(title="Article Two", creators=[("Doe", "Jane")])
    OutputFactory(title="A Dataset", kind=OutputKind.DATASET)
    OutputFactory(title="Hidden Article", status=OutputStatus.DRAFT)
    library = parse_bibtex(client.get("/outputs/export.bib?kind=publication").content.decode())
    assert sorted(e.fields_dict["title"].value for e in library.entries) == [
        "Article One",
        "Article Two",
    ]
    assert len({entry.key for entry in library.entries}) == 2
    library = parse_bibtex(client.get("/outputs/export.bib").content.decode())
    assert len(library.entries) == 3


def test_bibtex_export_queries_constant(client):
    assert assert_constant_queries(client, "/outputs/export.bib", OutputFactory) == 7


def test_curation_list_shows_own_organisations_outputs_with_drafts(client, contact):
    mine = OutputFactory(organisation=contact.organisation, status=OutputStatus.DRAFT)
    OutputFactory(title="Someone else's")
    client.force_login(contact.user)
    response = client.get("/outputs/curate/")
    assert titles(response) == [mine.title]


def test_curation_list_queries_constant(client, staff_user):
    client.force_login(staff_user)
    assert assert_constant_queries(client, "/outputs/curate/", OutputFactory) > 0


FORM = {
    "kind": "publication",
    "title": "A New Article",
    "date": "2024-03",
    "creators": "Papadopoulou, Maria | 0000-0002-1825-0097 | {slug}\n{{AI4Media Consortium}}",
    "keywords": "media, AI",
    "research_areas": ["trustworthy-ai"],
    "licence": "cc-by-4.0",
    "doi": "10.5281/zenodo.99",
    "access": "open",
    "identifiers": "arxiv:2101.01234",
    "links": "zenodo https://zenodo.org/records/99",
    "relations": "IsNewVersionOf 10.5281/zenodo.98",
    "publication_type": "journal-article",
    "venue": "Multimedia Tools and Applications",
}


def test_create_output_through_the_form(client, contact):
    client.force_login(contact.user)
    data = {
        **FORM,
        "organisation": contact.organisation.pk,
        "creators": FORM["creators"].format(slug=contact.organisation.slug),
    }
    response = client.post("/outputs/new/", data)
    output = Output.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/outputs/{output.pk}/"
    assert (output.status, output.date_iso, output.licence, output.keywords) == (
        OutputStatus.DRAFT,
        "2024-03",
        "CC-BY-4.0",
        ["media", "AI"],
    )
    assert [c.name for c in output.creators.all()] == ["Maria Papadopoulou", "AI4Media Consortium"]
    edit = client.get(f"/outputs/{output.pk}/edit/")
    assert edit.context["form"].initial["creators"] == (
        f"Papadopoulou, Maria | 0000-0002-1825-0097 | {contact.organisation.slug}\n"
        "{AI4Media Consortium}"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2024-02-30"}, "date"),
        ({"creators": "Doe, Jane | 0000-0002-1825-0098"}, "creators"),
        (
            {"creators": "Doe, Jane | 0000-0002-1825-0097\nRoe, Rita | 0000-0002-1825-0097"},
            "creators",
        ),
        ({"creators": "Doe, Jane | | no-such-organisation"}, "creators"),
        ({"licence": "Creative Commons"}, "licence"),
        ({"doi": "zenodo.99"}, "doi"),
        ({"access": "embargoed"}, "embargo_until"),
        ({"links": "homepage https://example.org/"}, "links"),
    ],
)
def test_create_form_shows_errors_beside_fields_and_keeps_input(client, contact, changes, field):
    client.force_login(contact.user)
    data = {**FORM, "organisation": contact.organisation.pk, "creators": "Doe, Jane"}
    data.update(changes)
    response = client.post("/outputs/new/", data)
    assert response.status_code == 422
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert form["title"].value() == "A New Article"
    assert Output.objects.count() == 0


def test_create_form_shows_every_refusal_at_once(client, contact):
    """The record's own checks (identifiers, licence, embargo, creators, links, relations)
    come back together, each beside its field, with a summary at the top."""
    client.force_login(contact.user)
    data = {
        **FORM,
        "organisation": contact.organisation.pk,
        "creators": "Doe, Jane | 0000-0002-1825-0098",
        "doi": "zenodo.99",
        "licence": "Creative Commons",
        "access": "embargoed",
        "identifiers": "arxiv:not-an-id",
        "links": "zenodo not-a-url",
        "relations": "IsFriendOf 10.5281/zenodo.98",
    }
    response = client.post("/outputs/new/", data)
    assert response.status_code == 422
    form = response.context["form"]
    assert sorted(form.errors) == sorted(
        ["creators", "doi", "licence", "embargo_until", "identifiers", "links", "relations"]
    )
    assert form["title"].value() == "A New Article"
    html = response.content.decode()
    summary = html[html.index('class="alert alert-danger') :]
    for field in form.errors:
        assert f'href="#id_{field}"' in summary, field
    assert Output.objects.count() == 0


def test_edit_publish_and_delete_through_the_pages(client, contact):
    output = OutputFactory(organisation=contact.organisation, status=OutputStatus.DRAFT)
    client.force_login(contact.user)
    data = {**FORM, "creators": "Doe, Jane", "title": "Renamed"}
    assert client.post(f"/outputs/{output.pk}/edit/", data).status_code == 302
    assert client.post(f"/outputs/{output.pk}/publish/").status_code == 302
    output.refresh_from_db()
    assert (output.title, output.status) == ("Renamed", OutputStatus.PUBLISHED)
    response = client.post(f"/outputs/{output.pk}/delete/", {"reason": ""})
    assert response.status_code == 422
    response = client.post(f"/outputs/{output.pk}/delete/", {"reason": "Duplicate"})
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.status == OutputStatus.DELETED


@pytest.mark.parametrize(
    ("method", "action"),
    [("get", "edit"), ("post", "publish"), ("post", "unpublish"), ("get", "delete")],
)
def test_a_change_asked_of_a_tombstone_says_why_nothing_was_done(client, contact, method, action):
    output = OutputFactory(organisation=contact.organisation, status=OutputStatus.DELETED)
    client.force_login(contact.user)
    response = getattr(client, method)(f"/outputs/{output.pk}/{action}/", follow=True)
    assert response.redirect_chain == [(f"/outputs/{output.pk}/", 302)]
    assert response.status_code == 410
    assert [str(m) for m in response.context["messages"]] == [
        "This output was deleted: its tombstone stays for harvesters and cannot be changed."
    ]
    output.refresh_from_db()
    assert output.status == OutputStatus.DELETED


@pytest.mark.parametrize(
    ("publication_type", "tag", "label"),
    [
        ("thesis", "citation_dissertation_institution", "University"),
        ("report", "citation_technical_report_institution", "Institution"),
    ],
)
def test_a_thesis_or_report_names_its_institution_as_such(client, publication_type, tag, label):
    """In the venue (the form, BibTeX) or the publisher (CSL-JSON, DataCite, Zenodo)."""
    in_venue = OutputFactory(publication_type=publication_type, venue="Aristotle University")
    in_publisher = OutputFactory(
        publication_type=publication_type, venue="", publisher="Aristotle University"
    )
    for output in (in_venue, in_publisher):
        html = client.get(f"/outputs/{output.pk}/").content.decode()
        meta = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)
        assert (tag, "Aristotle University") in meta
        assert "citation_publisher" not in dict(meta)
        assert "citation_journal_title" not in dict(meta)
    html = client.get(f"/outputs/{in_venue.pk}/").content.decode()
    assert f'<dt class="col-sm-3">{label}</dt>' in html
