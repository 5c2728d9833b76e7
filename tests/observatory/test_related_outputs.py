"""Related research outputs: records of the public Outputs catalogue, on the page and in the
API; a number that is not a public record is refused beside the field."""

import pytest
from reversion.models import Version

from ai4media_portal.core.exceptions import PortalError
from observatory import services
from observatory.enums import ContentStatus
from outputs.enums import OutputStatus
from tests.outputs.factories import OutputFactory
from tests.utils import assert_constant_queries

from .factories import ContentItemFactory, topic

pytestmark = pytest.mark.django_db
S = ContentStatus


def _form(**changes):
    data = {
        "kind": "research-summary",
        "title": "What the deepfake papers found",
        "slug": "",
        "standfirst": "Three papers, one finding.",
        "body": "Body.",
        "language": "en",
        "topics": [topic("research-innovation").pk],
        "tags": "",
    }
    data.update(changes)
    return data


def test_an_author_relates_public_outputs_from_the_form(client, author):
    first, second = OutputFactory(), OutputFactory()
    client.force_login(author)
    response = client.post(
        "/observatory/write/", _form(related_outputs=f"{first.pk}, /outputs/{second.pk}/")
    )
    assert response.status_code == 302
    item = author.observatory_items.get()
    assert set(item.related_outputs.values_list("pk", flat=True)) == {first.pk, second.pk}
    page = client.get(f"/observatory/manage/{item.pk}/edit/").content.decode()
    assert f"{first.pk}, {second.pk}" in page or f"{second.pk}, {first.pk}" in page


@pytest.mark.parametrize("status", [OutputStatus.DRAFT, OutputStatus.DELETED, None])
def test_an_output_that_is_not_public_is_refused_beside_the_field(client, author, status):
    hidden_pk = OutputFactory(status=status).pk if status else 999999
    public = OutputFactory()
    client.force_login(author)
    response = client.post(
        "/observatory/write/", _form(related_outputs=f"{public.pk}, {hidden_pk}")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_related_outputs_error"' in page
    assert f"No public output has the number {hidden_pk}." in page
    assert "What the deepfake papers found" in page  # nothing typed is lost
    assert not author.observatory_items.exists()


def test_a_value_that_is_not_a_number_is_refused_beside_the_field(client, author):
    client.force_login(author)
    response = client.post("/observatory/write/", _form(related_outputs="42, deepfakes"))
    assert response.status_code == 422
    assert "“deepfakes” is not an output number." in response.content.decode()


def test_an_output_unpublished_later_may_stay_but_is_not_shown(client, chief):
    output = OutputFactory()
    item = ContentItemFactory(created_by=chief, status=S.PUBLISHED)
    services.content_update(item=item, actor=chief, data={}, related_outputs=[output.pk])
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'href="{output.get_absolute_url()}"' in page
    assert output.title in page
    api = client.get(f"/api/v1/observatory/content/{item.slug}/").json()
    assert api["related_outputs"] == [
        {
            "id": output.pk,
            "title": output.title,
            "year": 2023,
            "url": f"http://testserver{output.get_absolute_url()}",
        }
    ]
    type(output).objects.filter(pk=output.pk).update(status=OutputStatus.DRAFT)
    # Saving the piece again keeps the relation (no error for what was already there) ...
    services.content_update(
        item=item, actor=chief, data={"title": "Renamed"}, related_outputs=[output.pk]
    )
    assert list(item.related_outputs.values_list("pk", flat=True)) == [output.pk]
    # ... but no reader sees the record any more.
    assert output.title not in client.get(item.get_absolute_url()).content.decode()
    assert client.get(f"/api/v1/observatory/content/{item.slug}/").json()["related_outputs"] == []
    # Adding a record that is not public is refused by the service as by the form.
    hidden = OutputFactory(status=OutputStatus.DRAFT)
    with pytest.raises(PortalError) as caught:
        services.content_update(
            item=item, actor=chief, data={}, related_outputs=[output.pk, hidden.pk]
        )
    assert caught.value.field == "related_outputs"


def test_the_revision_diff_names_the_outputs_and_restore_brings_them_back(client, chief):
    output = OutputFactory(title="Provenance for broadcast")
    item = ContentItemFactory(created_by=chief)
    first = Version.objects.get_for_object(item).get()
    services.content_update(item=item, actor=chief, data={}, related_outputs=[output.pk])
    client.force_login(chief)
    versions = Version.objects.get_for_object(item)
    page = client.get(f"/observatory/manage/{item.pk}/history/{versions[0].pk}/").content
    assert "Provenance for broadcast" in page.decode()
    services.content_restore(item=item, actor=chief, version_id=first.pk)
    assert not item.related_outputs.exists()


def test_the_api_list_runs_a_constant_number_of_queries_with_outputs(client, chief):
    def add():
        item = ContentItemFactory(status=S.PUBLISHED)
        item.related_outputs.set([OutputFactory(), OutputFactory()])

    assert_constant_queries(client, "/api/v1/observatory/content/", add)
