"""CITATION.cff and codemeta.json of software and datasets.

The files are checked field by field here; test_citation_schemas validates them against the
CFF 1.2.0 JSON schema."""

import pytest
import yaml

from outputs.enums import OutputKind, OutputStatus

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


def software(**kwargs):
    values = {
        "kind": OutputKind.SOFTWARE,
        "title": "Media Toolkit",
        "version": "1.2.0",
        "repository_url": "https://github.com/ai4media/toolkit",
        "languages": ["Python"],
        "licence": "MIT",
        "doi": "10.5281/zenodo.42",
        "date_day": 17,
        "creators": [("van der Berg", "Jan"), ("AI4Media Consortium", "")],
    }
    values.update(kwargs)
    output = OutputFactory(**values)
    creator = output.creators.first()
    creator.orcid = "0000-0002-1825-0097"
    creator.save()
    creator.affiliations.add(output.organisation)
    return output


def test_citation_cff_of_software(client):
    output = software()
    response = client.get(f"/outputs/{output.pk}/CITATION.cff")
    assert response["Content-Disposition"] == 'attachment; filename="CITATION.cff"'
    data = yaml.safe_load(response.content)
    assert data == {
        "cff-version": "1.2.0",
        "message": "If you use this, please cite it as below.",
        "type": "software",
        "title": "Media Toolkit",
        "authors": [
            {
                "family-names": "van der Berg",
                "given-names": "Jan",
                "orcid": "https://orcid.org/0000-0002-1825-0097",
                "affiliation": output.organisation.name,
            },
            {"name": "AI4Media Consortium"},
        ],
        "url": f"http://testserver/outputs/{output.pk}/",
        "abstract": "We detect manipulated faces in news footage.",
        "version": "1.2.0",
        "doi": "10.5281/zenodo.42",
        "date-released": "2023-05-17",
        "repository-code": "https://github.com/ai4media/toolkit",
        "keywords": ["deepfakes", "video"],
        "license": "MIT",
    }


def test_cff_leaves_out_a_partial_date_and_a_licence_expression(client):
    output = software(date_day=None, licence="MIT OR Apache-2.0")
    data = yaml.safe_load(client.get(f"/outputs/{output.pk}/CITATION.cff").content)
    assert ("date-released" in data, "license" in data) == (False, False)


def test_codemeta_of_software(client):
    output = software()
    data = client.get(f"/outputs/{output.pk}/codemeta.json").json()
    assert (data["@context"], data["@type"], data["@id"], data["version"]) == (
        "https://w3id.org/codemeta/3.0",
        "SoftwareSourceCode",
        "https://doi.org/10.5281/zenodo.42",
        "1.2.0",
    )
    assert data["author"][0]["@id"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["license"] == "https://spdx.org/licenses/MIT"
    assert data["programmingLanguage"] == ["Python"]


def test_citation_files_only_for_their_kinds_and_published_records(client):
    article = OutputFactory()
    draft = software(status=OutputStatus.DRAFT)
    dataset = OutputFactory(kind=OutputKind.DATASET)
    assert client.get(f"/outputs/{article.pk}/CITATION.cff").status_code == 404
    assert client.get(f"/outputs/{article.pk}/codemeta.json").status_code == 404
    assert client.get(f"/outputs/{draft.pk}/CITATION.cff").status_code == 404
    assert client.get(f"/outputs/{dataset.pk}/CITATION.cff").status_code == 200
    assert client.get(f"/outputs/{dataset.pk}/codemeta.json").status_code == 404
