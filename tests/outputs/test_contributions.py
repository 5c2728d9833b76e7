"""What the outputs add to the home page, the site search and organisation pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outputs import home, organisation_sections, search
from outputs.enums import OutputKind, OutputStatus

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


def test_home_figures_count_published_outputs_by_kind():
    OutputFactory()
    OutputFactory(kind=OutputKind.DATASET)
    OutputFactory(kind=OutputKind.DATASET, status=OutputStatus.DRAFT)
    with CaptureQueriesContext(connection) as ctx:
        figures = home.figures()
    assert [(f.value, f.label, f.url) for f in figures] == [
        (1, "publications", "/outputs/?kind=publication"),
        (1, "datasets", "/outputs/?kind=dataset"),
        (0, "software tools", "/outputs/?kind=software"),
    ]
    assert len(ctx.captured_queries) == 1


def test_site_search_finds_published_outputs_only(member):
    OutputFactory(title="Deepfake Detection")
    OutputFactory(title="Deepfake Draft", status=OutputStatus.DRAFT)
    group = search.search("deepfake", user=member, limit=5)
    assert [hit.title for hit in group.hits] == ["Deepfake Detection"]


def test_organisation_section_lists_its_peoples_published_outputs(other_organisation):
    assert organisation_sections.sections(other_organisation) == []
    output = OutputFactory(title="Affiliated")
    output.creators.first().affiliations.add(other_organisation)
    draft = OutputFactory(status=OutputStatus.DRAFT)
    draft.creators.first().affiliations.add(other_organisation)
    (section,) = organisation_sections.sections(other_organisation)
    assert [o.title for o in section.context["outputs"]] == ["Affiliated"]
    assert section.context["more_url"] == "/outputs/?organisation=unibo"


def test_organisation_page_shows_the_section(client, other_organisation):
    output = OutputFactory(title="Shown On The Organisation Page")
    output.creators.first().affiliations.add(other_organisation)
    response = client.get(other_organisation.get_absolute_url())
    assert "Shown On The Organisation Page" in response.content.decode()
