"""A chosen file is never lost without a word: when a form with a file input comes back with
errors, the file input says to choose the file again."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from ai4media_portal.core.roles import Role
from tests.core.test_uploads import application_draft, png
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory, topic

pytestmark = pytest.mark.django_db

AGAIN = (
    "Choose “{name}” again before you send the form: a chosen file is not kept when the form "
    "comes back with an error."
)


class DocumentForm(forms.Form):
    title = forms.CharField()
    document = forms.FileField(required=False)


def test_file_input_asks_to_choose_again_when_another_field_failed():
    form = DocumentForm({"title": ""}, {"document": SimpleUploadedFile("plan.pdf", b"x")})
    html = str(form["document"].as_field_group())
    assert AGAIN.format(name="plan.pdf") in html
    assert 'id="id_document_again"' in html
    assert 'aria-describedby="id_document_again"' in html


@pytest.mark.parametrize(
    ("data", "files"),
    [
        ({"title": ""}, {}),  # nothing chosen
        ({"title": "Plan"}, {"document": SimpleUploadedFile("plan.pdf", b"x")}),  # no error
    ],
)
def test_file_input_says_nothing_when_no_file_would_be_lost(data, files):
    form = DocumentForm(data, files)
    form.is_valid()
    assert "again" not in str(form["document"].as_field_group())


def test_membership_application_logo_lost_to_a_bad_website_is_announced(client):
    client.force_login(UserFactory())
    logo = SimpleUploadedFile("lumina.png", png(), content_type="image/png")
    response = client.post(
        "/network/apply/", application_draft(org_logo=logo, org_website="not a website")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert AGAIN.format(name="lumina.png") in html
    assert 'id="id_org_logo_again"' in html


def test_refused_logo_shows_its_own_error_not_choose_again(client):
    client.force_login(UserFactory())
    logo = SimpleUploadedFile("lumina.png", b"not an image", content_type="image/png")
    response = client.post("/network/apply/", application_draft(org_logo=logo))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_org_logo_error"' in html
    assert 'id="id_org_logo_again"' not in html


def test_organisation_logo_lost_to_a_bad_email_is_announced(client):
    organisation = OrganisationFactory(role="partner")
    client.force_login(UserFactory(roles=[Role.NETWORK_MANAGER]))
    response = client.post(
        f"/network/organisations/{organisation.slug}/edit/",
        {
            "name": organisation.name,
            "type": organisation.type,
            "country": organisation.country.code,
            "contact_email": "hello@",
            "areas_of_interest": [topic().pk],
            "logo": SimpleUploadedFile("new-logo.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 422
    assert AGAIN.format(name="new-logo.png") in response.content.decode()
