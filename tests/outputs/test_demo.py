"""The outputs' demo data: realistic, valid metadata, idempotent."""

import pytest
from django.db.models import Count

from ai4media_portal.core.demo import DemoContext
from network import demo as network_demo
from outputs import demo
from outputs.enums import Access, OutputStatus
from outputs.models import Creator, Output
from outputs.selectors import published_outputs
from outputs.validators import normalise_licence, normalise_orcid

pytestmark = pytest.mark.django_db


def _seed():
    ctx = DemoContext(log=lambda message: None)
    network_demo.seed(ctx)
    demo.seed(ctx)


def test_demo_outputs_have_every_kind_and_valid_metadata():
    _seed()
    kinds = dict(Output.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {"publication": 420, "dataset": 42, "software": 100, "result-in-brief": 12}
    assert Output.objects.filter(status=OutputStatus.DELETED).count() == 8
    assert published_outputs().filter(access=Access.EMBARGOED).count() > 0
    orcids = set(Creator.objects.exclude(orcid="").values_list("orcid", flat=True))
    assert len(orcids) == 39
    assert all(normalise_orcid(orcid) == orcid for orcid in orcids)
    licences = set(Output.objects.values_list("licence", flat=True))
    assert all(normalise_licence(licence) == licence for licence in licences)
    assert Creator.affiliations.through.objects.count() > 500
    # Each record is found by the names of its own creators, and only by them.
    for output in Output.objects.prefetch_related("creators"):
        names = " ".join(creator.name for creator in output.creators.order_by("position"))
        assert output.search_names == names, output.pk


def test_demo_is_idempotent():
    _seed()
    before = (Output.objects.count(), Creator.objects.count())
    _seed()
    assert (Output.objects.count(), Creator.objects.count()) == before


def test_demo_results_in_brief_have_a_pdf_and_a_cover(client):
    _seed()
    briefs = list(Output.objects.filter(kind="result-in-brief"))
    assert len(briefs) == 12
    assert all(brief.file.name.endswith(".pdf") for brief in briefs)
    assert all(brief.cover_image.name.endswith(".png") for brief in briefs)
    with briefs[0].file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    public = next(b for b in briefs if b.is_published and b.access == Access.OPEN)
    response = client.get(f"/outputs/{public.pk}/file")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert client.get(f"/outputs/{public.pk}/cover")["Content-Type"] == "image/png"
    # Seeding again leaves the stored files as they are.
    names = sorted(Output.objects.filter(kind="result-in-brief").values_list("file", flat=True))
    _seed()
    assert names == sorted(
        Output.objects.filter(kind="result-in-brief").values_list("file", flat=True)
    )


def test_demo_bibtex_file_shows_every_trap_in_the_preview(client, contact):
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "static" / "outputs" / "demo"
    client.force_login(contact.user)
    page = client.get("/outputs/import/").content.decode()
    assert "/static/outputs/demo/ai4media-demo.bib" in page
    assert "/static/outputs/demo/ai4media-demo-latin1.bib" in page
    with open(folder / "ai4media-demo.bib", "rb") as upload:
        response = client.post(
            "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
        )
    assert response.status_code == 200
    rows = {(row.candidate.key, row.action, row.reason) for row in response.context["rows"]}
    skipped = {key: reason for key, action, reason in rows if action == "skip"}
    assert skipped == {
        "kowalska2022spring": "The month “spring” is not a month.",
        "jensen2020baddoi": skipped["jensen2020baddoi"],
        "bianchi2021untitled": "The entry has no title.",
        "papadopoulou2023deepfake": "Another entry of the file has the key "
        "“papadopoulou2023deepfake”.",
        "copy2023": "Same DOI or title and year as entry “papadopoulou2023deepfake” above.",
        "": "This block could not be read (unbalanced braces or quotes?).",
    }
    assert "DOI" in skipped["jensen2020baddoi"]
    created = sorted(key for key, action, _reason in rows if action == "create")
    assert created == [
        "dubois2022fairness",
        "ferreira2021archives",
        "nikolaidis2023thesis",
        "papadopoulou2023deepfake",
        "rossi2024edge",
        "vandenberg2024toolkit",
    ]
    assert "Jörg Müller" in response.content.decode() or "Müller" in str(
        [row.candidate.creators for row in response.context["rows"] if row.action == "create"]
    )
    with open(folder / "ai4media-demo-latin1.bib", "rb") as upload:
        response = client.post(
            "/outputs/import/", {"organisation": contact.organisation.pk, "file": upload}
        )
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "The file is not UTF-8 text: save it as UTF-8 and try again."
    ]
