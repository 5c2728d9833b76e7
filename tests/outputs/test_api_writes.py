"""Curators write outputs through /api/v1/outputs/ with the services and rules of the web
pages: the permission matrix and bad input."""

import pytest

from outputs.enums import OutputStatus
from outputs.models import Output
from tests.network.factories import ContactFactory
from tests.opencalls.factories import pdf_upload

from .factories import OutputFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/outputs/"
ORCID = "0000-0002-1825-0097"


@pytest.fixture
def cast(people):
    contact = ContactFactory()
    return {
        **people,
        "contact": contact.user,
        "other-contact": ContactFactory().user,
        "_organisation": contact.organisation,
    }


def payload(org, **changes) -> dict:
    data = {
        "organisation": org.slug,
        "kind": "publication",
        "title": "Detecting synthetic voices in broadcast news",
        "date": "2024-03",
        "publication_type": "conference-paper",
        "venue": "ICASSP 2024",
        "doi": "https://doi.org/10.1109/ICASSP.2024.1234",
        "licence": "cc-by-4.0",
        "access": "open",
        "keywords": ["audio deepfakes"],
        "research_areas": ["trustworthy-ai"],
        "creators": [
            {
                "given_name": "Maria",
                "family_name": "Papadopoulou",
                "orcid": ORCID,
                "affiliations": [org.slug],
            },
            {"kind": "organisation", "name": "AI4Media Consortium"},
        ],
        "identifiers": [{"scheme": "arxiv", "value": "2403.01234"}],
        "links": [{"kind": "zenodo", "url": "https://zenodo.org/records/1234"}],
    }
    return {**data, **changes}


def as_user(api_client, user):
    api_client.logout()
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


def test_contact_creates_a_draft_through_the_service(api_client, cast):
    client = as_user(api_client, cast["contact"])
    response = client.post(URL, payload(cast["_organisation"]), format="json")
    assert response.status_code == 201
    data = response.json()
    output = Output.objects.get(pk=data["id"])
    assert (output.status, output.doi, output.licence) == (
        OutputStatus.DRAFT,
        "10.1109/icassp.2024.1234",
        "CC-BY-4.0",
    )
    assert (output.date_year, output.date_month) == (2024, 3)
    assert [c.name for c in output.creators.all()] == ["Maria Papadopoulou", "AI4Media Consortium"]
    assert data["creators"][0]["affiliations"] == [cast["_organisation"].slug]
    assert data["identifiers"] == [{"scheme": "arxiv", "value": "2403.01234"}]
    assert data["funding"] == [
        {"funder": "European Commission", "programme": "H2020", "award": "951911"}
    ]
    # A draft stays out of the public list and record until published.
    assert api_client.get(f"{URL}{output.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("member", 403),
        ("other-contact", 403),
        ("contact", 201),
        ("staff", 201),
        ("superuser", 201),
    ],
)
def test_create_matrix(api_client, cast, who, expected):
    client = as_user(api_client, cast[who])
    data = payload(cast["_organisation"], doi="", title=f"Made by {who}")
    assert client.post(URL, data, format="json").status_code == expected
    assert Output.objects.filter(title=f"Made by {who}").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("member", 404),
        ("other-contact", 404),
        ("contact", 200),
        ("staff", 200),
        ("superuser", 200),
    ],
)
def test_change_matrix(api_client, cast, who, expected):
    output = OutputFactory(organisation=cast["_organisation"], status=OutputStatus.DRAFT)
    client = as_user(api_client, cast[who])
    response = client.patch(f"{URL}{output.pk}/", {"title": "Renamed"}, format="json")
    assert response.status_code == expected
    output.refresh_from_db()
    assert (output.title == "Renamed") == (expected == 200)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("member", 404),
        ("other-contact", 404),
        ("contact", 204),
        ("staff", 204),
    ],
)
def test_delete_leaves_a_tombstone(api_client, cast, who, expected):
    output = OutputFactory(organisation=cast["_organisation"])
    client = as_user(api_client, cast[who])
    response = client.delete(f"{URL}{output.pk}/", {"reason": "Duplicate of #12"}, format="json")
    assert response.status_code == expected
    output.refresh_from_db()
    gone = expected == 204
    assert (
        output.status == OutputStatus.DELETED,
        Output.objects.filter(pk=output.pk).exists(),
    ) == (
        gone,
        True,
    )
    if gone:
        assert output.deletion_reason == "Duplicate of #12"
        # A tombstone is final: no more changes, no second deletion.
        assert client.patch(f"{URL}{output.pk}/", {"title": "x"}, format="json").status_code == 403
        assert (
            client.delete(f"{URL}{output.pk}/", {"reason": "x"}, format="json").status_code == 403
        )


def test_delete_needs_a_reason(api_client, cast):
    output = OutputFactory(organisation=cast["_organisation"])
    client = as_user(api_client, cast["contact"])
    response = client.delete(f"{URL}{output.pk}/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "reason"


def test_publish_and_unpublish(api_client, cast):
    output = OutputFactory(organisation=cast["_organisation"], status=OutputStatus.DRAFT)
    client = as_user(api_client, cast["contact"])
    assert (
        as_user(api_client, cast["other-contact"]).post(f"{URL}{output.pk}/publish/").status_code
        == 404
    )
    client = as_user(api_client, cast["contact"])
    response = client.post(f"{URL}{output.pk}/publish/")
    assert (response.status_code, response.json()["id"]) == (200, output.pk)
    output.refresh_from_db()
    assert output.status == OutputStatus.PUBLISHED
    assert client.post(f"{URL}{output.pk}/unpublish/").status_code == 200
    output.refresh_from_db()
    assert output.status == OutputStatus.DRAFT
    # Back to draft twice is not a move the workflow allows.
    response = client.post(f"{URL}{output.pk}/unpublish/")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"doi": "10.1234"}, "doi"),
        ({"doi": "not a doi"}, "doi"),
        ({"licence": "Do-What-You-Like-1.0"}, "licence"),
        (
            {
                "creators": [
                    {"given_name": "Maria", "family_name": "P", "orcid": "0000-0002-1825-0098"}
                ]
            },
            "creators",
        ),
        ({"creators": []}, "creators"),
        ({"date": "2024-13"}, "date"),
        ({"kind": "poem"}, "kind"),
        ({"access": "embargoed"}, "embargo_until"),
        ({"provenance_kind": "opencall_project", "provenance_id": 999999}, "provenance_id"),
        ({"identifiers": [{"scheme": "arxiv", "value": "nonsense"}]}, "identifiers"),
        ({"organisation": "no-such-organisation"}, "organisation"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_client, cast, changes, attr):
    client = as_user(api_client, cast["contact"])
    response = client.post(URL, payload(cast["_organisation"], **changes), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert [error["attr"].split(".")[0] for error in body["errors"]] == [attr]
    assert not Output.objects.exists()


def test_every_refusal_of_the_record_comes_in_one_400(api_client, cast):
    client = as_user(api_client, cast["contact"])
    changes = {
        "licence": "Do-What-You-Like-1.0",
        "access": "embargoed",
        "identifiers": [{"scheme": "arxiv", "value": "nonsense"}],
        "links": [{"kind": "zenodo", "url": "not-a-url"}],
    }
    response = client.post(URL, payload(cast["_organisation"], **changes), format="json")
    assert response.status_code == 400, response.content
    attrs = [error["attr"].split(".")[0] for error in response.json()["errors"]]
    assert sorted(attrs) == ["embargo_until", "identifiers", "licence", "links"]
    assert not Output.objects.exists()


def test_a_doi_another_output_has_is_refused(api_client, cast):
    OutputFactory(doi="10.1109/icassp.2024.1234")
    client = as_user(api_client, cast["contact"])
    response = client.post(URL, payload(cast["_organisation"]), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "unique",
        "detail": "Another output already has this DOI.",
        "attr": "doi",
    }


def test_patch_leaves_unsent_lists_alone_and_uploads_a_file(api_client, cast):
    client = as_user(api_client, cast["contact"])
    created = client.post(URL, payload(cast["_organisation"]), format="json").json()
    response = client.patch(
        f"{URL}{created['id']}/",
        {"venue": "ICASSP 2024 (Seoul)", "file": pdf_upload("paper.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["venue"] == "ICASSP 2024 (Seoul)"
    assert len(data["creators"]) == 2
    assert data["file_url"] == f"http://testserver/outputs/{created['id']}/file"
    assert Output.objects.get(pk=created["id"]).file_name == "paper.pdf"
    bad = client.patch(
        f"{URL}{created['id']}/", {"file": pdf_upload("x.pdf", b"GIF89a")}, format="multipart"
    )
    assert (bad.status_code, bad.json()["errors"][0]["attr"]) == (400, "file")


def test_put_is_not_offered(api_client, cast):
    output = OutputFactory(organisation=cast["_organisation"])
    client = as_user(api_client, cast["contact"])
    assert client.put(f"{URL}{output.pk}/", {}, format="json").status_code == 405
