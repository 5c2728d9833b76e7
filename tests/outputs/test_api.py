"""/api/v1/outputs/."""

import pytest

from outputs.enums import OutputKind, OutputStatus
from tests.utils import assert_constant_queries

from .factories import OutputFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/outputs/"


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


def test_list_shows_published_outputs_only(api_client):
    OutputFactory(title="Public")
    OutputFactory(title="Draft", status=OutputStatus.DRAFT)
    OutputFactory(title="Deleted", status=OutputStatus.DELETED)
    assert titles(api_client.get(URL)) == ["Public"]


def test_draft_and_tombstone_not_found_by_id(api_client):
    draft = OutputFactory(status=OutputStatus.DRAFT)
    deleted = OutputFactory(status=OutputStatus.DELETED)
    assert api_client.get(f"{URL}{draft.pk}/").status_code == 404
    assert api_client.get(f"{URL}{deleted.pk}/").status_code == 404


def test_detail_has_the_record(api_client, other_organisation):
    output = OutputFactory(
        doi="10.5281/zenodo.1",
        creators=[("Papadopoulou", "Maria"), ("AI4Media Consortium", "")],
        date_day=17,
    )
    output.creators.first().affiliations.add(other_organisation)
    data = api_client.get(f"{URL}{output.pk}/").json()
    assert (data["date"], data["doi"], data["licence"], data["kind"]) == (
        "2023-05-17",
        "10.5281/zenodo.1",
        "CC-BY-4.0",
        "publication",
    )
    assert data["creators"] == [
        {
            "kind": "person",
            "name": "Maria Papadopoulou",
            "given_name": "Maria",
            "family_name": "Papadopoulou",
            "orcid": "",
            "affiliations": ["unibo"],
        },
        {
            "kind": "organisation",
            "name": "AI4Media Consortium",
            "given_name": "",
            "family_name": "",
            "orcid": "",
            "affiliations": [],
        },
    ]
    assert data["funding"] == [
        {"funder": "European Commission", "programme": "H2020", "award": "951911"}
    ]
    assert data["url"] == f"http://testserver/outputs/{output.pk}/"


def test_filters(api_client):
    OutputFactory(title="Software", kind=OutputKind.SOFTWARE, date_year=2021, use_cases=["games"])
    OutputFactory(title="Article")
    assert titles(api_client.get(f"{URL}?kind=software")) == ["Software"]
    assert titles(api_client.get(f"{URL}?year=2021")) == ["Software"]
    assert titles(api_client.get(f"{URL}?use_case=games")) == ["Software"]
    assert titles(api_client.get(f"{URL}?search=softw")) == ["Software"]
    assert titles(api_client.get(f"{URL}?creator=Maria+Papadopoulou&kind=software")) == ["Software"]
    assert api_client.get(f"{URL}?kind=poem").status_code == 400


def test_list_queries_constant(api_client):
    assert assert_constant_queries(api_client, URL, OutputFactory) == 7
