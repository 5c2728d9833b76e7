"""CITATION.cff validated against the Citation File Format 1.2.0 JSON schema (vendored in
tests/outputs/schemas), codemeta.json and the pages' schema.org JSON-LD checked against the
terms of their vocabularies, for every kind they describe."""

import json
import re

import pytest
import yaml

from outputs.enums import OutputKind

from .factories import OutputFactory
from .xml_schemas import json_errors

pytestmark = pytest.mark.django_db

CFF = "citation-file-format-1.2.0.schema.json"


def with_orcid(output):
    creator = output.creators.first()
    creator.orcid = "0000-0002-1825-0097"
    creator.save()
    creator.affiliations.add(output.organisation)
    return output


@pytest.mark.parametrize(
    "fields",
    [
        {
            "kind": OutputKind.SOFTWARE,
            "version": "1.2.0",
            "repository_url": "https://github.com/ai4media/toolkit",
            "licence": "MIT",
            "doi": "10.5281/zenodo.42",
            "date_day": 17,
            "creators": [("van der Berg", "Jan"), ("AI4Media Consortium", "")],
        },
        {
            "kind": OutputKind.DATASET,
            "licence": "CC-BY-4.0 OR MIT",
            "date_month": None,
            "creators": [("Rossi", "Luca")],
        },
        {"kind": OutputKind.SOFTWARE, "abstract": "", "keywords": [], "licence": ""},
    ],
)
def test_citation_cff_is_valid_cff_1_2_0(client, fields):
    output = with_orcid(OutputFactory(publication_type="", venue="", **fields))
    response = client.get(f"/outputs/{output.pk}/CITATION.cff")
    assert response.status_code == 200
    data = yaml.safe_load(response.content)
    assert json_errors(CFF, data) == []


def test_the_cff_schema_refuses_what_cff_forbids():
    # The validator is wired: a file without authors and with a date that is not a date fails.
    data = {
        "cff-version": "1.2.0",
        "message": "Cite",
        "title": "T",
        "date-released": "2023-05",
    }
    errors = json_errors(CFF, data)
    assert ": 'authors' is a required property" in errors
    assert {error.split(":")[0] for error in errors} == {"", "date-released"}


# The CodeMeta 3.0 terms (https://w3id.org/codemeta/3.0) and schema.org's, as used here.
CODEMETA_TERMS = {
    "@context",
    "@type",
    "@id",
    "name",
    "url",
    "author",
    "datePublished",
    "description",
    "version",
    "codeRepository",
    "programmingLanguage",
    "keywords",
    "identifier",
    "softwareHelp",
    "license",
    "funding",
}
PERSON_TERMS = {"@type", "@id", "name", "givenName", "familyName", "affiliation"}
ORGANISATION_TERMS = {"@type", "@id", "name"}


def _check_agent(agent):
    terms = PERSON_TERMS if agent["@type"] == "Person" else ORGANISATION_TERMS
    assert agent["@type"] in {"Person", "Organization"}
    assert set(agent) <= terms
    for affiliation in agent.get("affiliation", []):
        _check_agent(affiliation)
    if "@id" in agent and agent["@type"] == "Person":
        assert re.fullmatch(r"https://orcid\.org/\d{4}-\d{4}-\d{4}-\d{3}[\dX]", agent["@id"])


def test_codemeta_uses_codemeta_3_terms(client):
    output = with_orcid(
        OutputFactory(
            kind=OutputKind.SOFTWARE,
            publication_type="",
            venue="",
            version="2.0",
            repository_url="https://github.com/ai4media/tool",
            documentation_url="https://tool.example.org/docs",
            languages=["Python", "C++"],
            doi="10.5281/zenodo.43",
            creators=[("Rossi", "Luca"), ("AI4Media Consortium", "")],
        )
    )
    data = client.get(f"/outputs/{output.pk}/codemeta.json").json()
    assert data["@context"] == "https://w3id.org/codemeta/3.0"
    assert data["@type"] == "SoftwareSourceCode"
    assert set(data) == CODEMETA_TERMS
    for author in data["author"]:
        _check_agent(author)
    assert data["license"] == "https://spdx.org/licenses/CC-BY-4.0"
    assert all(grant["@type"] == "Grant" for grant in data["funding"])


# schema.org properties per type, as the pages use them (https://schema.org/).
SCHEMA_ORG = {
    "CreativeWork": {
        "@context",
        "@type",
        "@id",
        "url",
        "name",
        "datePublished",
        "author",
        "creator",
        "isAccessibleForFree",
        "description",
        "keywords",
        "license",
        "identifier",
        "funding",
        "isPartOf",
    },
    "Dataset": {"distribution"},
    "SoftwareSourceCode": {"codeRepository", "programmingLanguage", "version"},
}


@pytest.mark.parametrize(
    ("fields", "schema_type"),
    [
        ({"kind": OutputKind.PUBLICATION}, "ScholarlyArticle"),
        (
            {
                "kind": OutputKind.DATASET,
                "publication_type": "",
                "access_url": "https://zenodo.org/records/1/files/a.zip",
                "formats": ["application/zip"],
                "size_bytes": 10,
            },
            "Dataset",
        ),
        (
            {
                "kind": OutputKind.SOFTWARE,
                "publication_type": "",
                "repository_url": "https://github.com/a/b",
                "languages": ["Python"],
                "version": "1",
            },
            "SoftwareSourceCode",
        ),
        ({"kind": OutputKind.RESULT_IN_BRIEF, "publication_type": ""}, "Report"),
    ],
)
def test_json_ld_uses_the_properties_of_its_schema_org_type(client, fields, schema_type):
    output = with_orcid(OutputFactory(doi="10.5281/zenodo.44", **fields))
    html = client.get(f"/outputs/{output.pk}/").content.decode()
    data = json.loads(re.search(r"ld\+json\">(.*?)</script>", html, re.S).group(1))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    allowed = SCHEMA_ORG["CreativeWork"] | SCHEMA_ORG.get(schema_type, set())
    assert set(data) - allowed == set()
    # Google Dataset Search needs a name and a description; a distribution a content URL.
    assert data["name"]
    assert data["description"]
    for distribution in data.get("distribution", []):
        assert distribution["@type"] == "DataDownload"
        assert distribution["contentUrl"].startswith("https://")
    for author in data["author"]:
        _check_agent(author)
