"""Provenance: an output linked to the record it comes from in another pillar, through the
``provenance`` contribution point."""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from ai4media_portal.core import pillars
from ai4media_portal.core.exceptions import PortalError
from outputs import selectors, services
from outputs.enums import CONSORTIUM
from tests.opencalls.factories import funded
from tests.utils import assert_constant_queries

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def project(db):
    return funded(acronym="DEEPGUARD", title="Deepfake guard for newsrooms")


def test_opencalls_contributes_funded_projects():
    sources = pillars.collect_provenance_sources()
    assert sources["opencall_project"].app == "opencalls"
    assert str(sources["opencall_project"].label) == "Open-call project"
    assert [kind for kind, _label in selectors.provenance_choices()][:2] == [
        CONSORTIUM,
        "opencall_project",
    ]


def test_resolve_answers_public_records_in_one_query(project, django_assert_num_queries):
    resolve = pillars.collect_provenance_sources()["opencall_project"].resolve
    with django_assert_num_queries(1):
        found = resolve([project.pk, project.pk + 1000])
    assert found == {
        project.pk: (
            "DEEPGUARD: Deepfake guard for newsrooms",
            f"https://portal.example.org/calls/projects/{project.pk}/",
        )
    }


def test_two_pillars_claiming_one_kind_is_refused(monkeypatch):
    class Module:
        KIND = "opencall_project"
        LABEL = "Twice"

        @staticmethod
        def resolve(ids):
            return {}

    monkeypatch.setattr(
        pillars, "pillar_modules", lambda name: iter([("a", Module), ("b", Module)])
    )
    with pytest.raises(ImproperlyConfigured):
        pillars.collect_provenance_sources()


def test_service_links_a_funded_project(contact, project):
    output = OutputFactory(organisation=contact.organisation)
    output = services.output_update(
        output=output,
        actor=contact.user,
        data={"provenance_kind": "opencall_project", "provenance_id": project.pk},
    )
    assert (output.provenance_kind, output.provenance_id) == ("opencall_project", project.pk)
    output = services.output_update(
        output=output, actor=contact.user, data={"provenance_kind": CONSORTIUM}
    )
    assert (output.provenance_kind, output.provenance_id) == (CONSORTIUM, None)


@pytest.mark.parametrize(
    ("kind", "record", "field"),
    [
        ("opencall_project", 999999, "provenance_id"),
        ("opencall_project", None, "provenance_id"),
        ("poetry_slam", 1, "provenance_kind"),
    ],
)
def test_service_refuses_unknown_records(contact, kind, record, field):
    output = OutputFactory(organisation=contact.organisation)
    with pytest.raises(PortalError) as refused:
        services.output_update(
            output=output,
            actor=contact.user,
            data={"provenance_kind": kind, "provenance_id": record},
        )
    assert refused.value.field == field


def form_data(output, **changes):
    data = {
        "kind": output.kind,
        "title": output.title,
        "date": "2023",
        "creators": "Papadopoulou, Maria",
        "access": "open",
        "publication_type": "journal-article",
    }
    return {**data, **changes}


def test_form_refuses_an_unknown_id_beside_the_field(client, contact, project):
    output = OutputFactory(organisation=contact.organisation)
    client.force_login(contact.user)
    response = client.post(
        f"/outputs/{output.pk}/edit/",
        form_data(output, provenance_kind="opencall_project", provenance_id=project.pk + 77),
    )
    assert response.status_code == 422
    assert response.context["form"].errors["provenance_id"] == [
        f"No public record of this kind has the number {project.pk + 77}."
    ]
    page = response.content.decode()
    assert 'name="provenance_id"' in page
    assert f'value="{project.pk + 77}"' in page
    assert '<option value="opencall_project" selected>' in page


def test_form_links_and_page_and_json_ld_show_the_project(client, contact, project):
    output = OutputFactory(organisation=contact.organisation)
    client.force_login(contact.user)
    response = client.post(
        f"/outputs/{output.pk}/edit/",
        form_data(output, provenance_kind="opencall_project", provenance_id=project.pk),
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/outputs/{output.pk}/").content.decode()
    url = f"https://portal.example.org/calls/projects/{project.pk}/"
    assert f'Open-call project: <a href="{url}">DEEPGUARD: Deepfake guard for newsrooms</a>' in (
        page
    )
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(script)["sourceOrganization"] == {
        "@type": "ResearchProject",
        "@id": url,
        "name": "DEEPGUARD: Deepfake guard for newsrooms",
    }


def test_api_shows_the_link(api_client, project):
    linked = OutputFactory(provenance_kind="opencall_project", provenance_id=project.pk)
    own = OutputFactory()
    data = api_client.get(f"/api/v1/outputs/{linked.pk}/").json()
    assert data["provenance"] == {
        "kind": "opencall_project",
        "label": "Open-call project",
        "id": project.pk,
        "title": "DEEPGUARD: Deepfake guard for newsrooms",
        "url": f"https://portal.example.org/calls/projects/{project.pk}/",
    }
    listed = {
        item["id"]: item["provenance"]["kind"]
        for item in api_client.get("/api/v1/outputs/").json()["results"]
    }
    assert listed == {linked.pk: "opencall_project", own.pk: CONSORTIUM}


def test_api_list_resolves_provenance_in_constant_queries(api_client, project):
    def add():
        return OutputFactory(provenance_kind="opencall_project", provenance_id=project.pk)

    # The 7 queries of the list plus one for the projects.
    assert assert_constant_queries(api_client, "/api/v1/outputs/", add) == 8
