"""The AI-on-demand export: golden files (tests/outputs/golden) of one record of each kind, the
grouping of a whole export, the catalogue's endpoint and the management command.

Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review the diff."""

import datetime
import json
import os
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from outputs import selectors
from outputs.enums import Access, LinkKind, OutputKind, OutputStatus
from outputs.formats.aiod import aiod_export, aiod_record
from outputs.models import Link, Output
from tests.network.factories import OrganisationFactory
from tests.utils import assert_constant_queries

from .factories import OutputFactory

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"


def page_url(output):
    return f"https://portal.example/outputs/{output.uid}/"


def loaded(output):
    return selectors.with_relations(Output.objects.filter(pk=output.pk)).get()


def assert_golden(name: str, data) -> None:
    path = GOLDEN / name
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == data


@pytest.fixture
def certh(db):
    return OrganisationFactory(
        name="Centre for Research and Technology Hellas", slug="certh", ror_id="03bndpq63"
    )


def record(certh, number, **fields):
    output = OutputFactory(
        uid=uuid.UUID(int=number),
        organisation=certh,
        title=fields.pop("title"),
        creators=[("Papadopoulou", "Maria"), ("AI4Media Consortium", "")],
        **fields,
    )
    creator = output.creators.first()
    creator.orcid = "0000-0002-1825-0097"
    creator.save()
    creator.affiliations.add(certh)
    return output


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        (
            "aiod_dataset.json",
            {
                "kind": OutputKind.DATASET,
                "publication_type": "",
                "venue": "",
                "title": "Broadcast Deepfake Benchmark",
                "access_url": "https://zenodo.org/records/100/files/benchmark.zip",
                "formats": ["application/zip", "text/csv"],
                "size_bytes": 2_500_001,
                "item_count": 12_000,
                "doi": "10.5281/zenodo.100",
                "research_areas": ["trustworthy-ai", "content-centred-ai"],
            },
        ),
        (
            "aiod_software.json",
            {
                "kind": OutputKind.SOFTWARE,
                "publication_type": "",
                "venue": "",
                "title": "Media Verification Toolkit",
                "repository_url": "https://github.com/ai4media/toolkit",
                "languages": ["Python"],
                "version": "1.2.0",
                "trl": 6,
                "licence": "MIT",
                "access": Access.OPEN,
            },
        ),
        (
            "aiod_publication.json",
            {
                "title": "Robust Deepfake Detection in Broadcast Video",
                "doi": "10.1109/tmm.2023.1",
                "access": Access.EMBARGOED,
                "embargo_until": datetime.date(2026, 6, 1),
                "date_day": 17,
            },
        ),
        (
            "aiod_educational_resource.json",
            {
                "kind": OutputKind.RESULT_IN_BRIEF,
                "publication_type": "",
                "venue": "",
                "title": "AI and the Future of the Newsroom",
                "brief_type": "white-paper",
                "date_month": None,
                "keywords": [],
                "licence": "CC-BY-4.0",
            },
        ),
    ],
)
def test_aiod_record_matches_its_golden_file(certh, name, fields):
    output = record(certh, len(name), **fields)
    Link.objects.create(output=output, kind=LinkKind.ZENODO, url="https://zenodo.org/records/7")
    assert_golden(name, aiod_record(loaded(output), page_url=page_url))


def test_aiod_export_groups_records_by_asset_type(certh):
    dataset = record(certh, 1, kind=OutputKind.DATASET, publication_type="", title="D")
    article = record(certh, 2, title="P")
    brief = record(certh, 3, kind=OutputKind.RESULT_IN_BRIEF, publication_type="", title="B")
    outputs = selectors.with_relations(Output.objects.order_by("pk"))
    export = aiod_export(outputs, page_url=page_url)
    assert {
        key: [r["name"] for r in value] for key, value in export.items() if key != "platform"
    } == {
        "datasets": ["D"],
        "publications": ["P"],
        "software": [],
        "educational_resources": ["B"],
    }
    assert export["platform"] == "ai4media"
    assert [
        export[key][0]["platform_resource_identifier"]
        for key in ("datasets", "publications", "educational_resources")
    ] == [str(dataset.uid), str(article.uid), str(brief.uid)]


def test_aiod_endpoint_honours_the_filters_and_hides_drafts(client, certh):
    record(certh, 1, kind=OutputKind.DATASET, publication_type="", title="D")
    record(certh, 2, title="P")
    record(certh, 3, title="Draft", status=OutputStatus.DRAFT)
    response = client.get("/outputs/export.aiod.json?kind=publication")
    assert response.status_code == 200
    data = response.json()
    assert [r["name"] for r in data["publications"]] == ["P"]
    assert data["datasets"] == []
    assert data["publications"][0]["same_as"].startswith("http://testserver/outputs/")


def test_aiod_endpoint_queries_constant(client):
    assert assert_constant_queries(client, "/outputs/export.aiod.json", OutputFactory) == 7


def test_aiod_command_writes_the_published_outputs(certh, tmp_path):
    record(certh, 1, title="P")
    record(certh, 2, title="Gone", status=OutputStatus.DELETED)
    target = tmp_path / "aiod.json"
    out = StringIO()
    call_command(
        "outputs_export_aiod", output=str(target), base_url="https://ai4media.example/", stdout=out
    )
    assert out.getvalue() == (
        f"Wrote 0 datasets, 1 publications, 0 software, 0 educational_resources to {target}.\n"
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    (publication,) = data["publications"]
    assert (
        publication["same_as"]
        == f"https://ai4media.example/outputs/{Output.objects.get(title='P').pk}/"
    )
