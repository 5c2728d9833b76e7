import pytest
from django.core import mail

from ai4media_portal.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "new.person@example.org",
    "full_name": "New Person",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def _signup(client, **changes):
    return client.post("/accounts/signup/", {**GOOD, **changes})


def test_signup_invalid_email_error_beside_field_and_input_kept(client):
    response = _signup(client, email="not-an-email")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == ["Enter a valid email address."]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_error"' in html
    assert 'value="New Person"' in html
    assert not User.objects.filter(full_name="New Person").exists()


def test_signup_used_email_sends_notice_instead_of_revealing_account(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, email="TAKEN@example.org")
    # allauth prevents account enumeration: the page looks like success, the owner is told.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert mail.outbox[-1].to == ["taken@example.org"]
    assert "already" in mail.outbox[-1].body.lower()


def test_signup_weak_password_is_refused(client):
    response = _signup(client, password1="password", password2="password")
    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert "This password is too short. It must contain at least 10 characters." in errors
    assert "This password is too common." in errors


def test_signup_without_name_is_refused(client):
    response = _signup(client, full_name="")
    assert response.context["form"].errors["full_name"] == ["This field is required."]


def test_api_malformed_token_header_is_401(api_client):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token a b c")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_api_unknown_token_is_401(api_client):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "Invalid or revoked token."


def test_api_without_credentials_is_401_with_challenge(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_profile_invalid_orcid_error_beside_field(client, member):
    client.force_login(member)
    response = client.post(
        "/me/profile/",
        {"full_name": "Changed Name", "timezone": "Europe/Athens", "orcid": "0000-0002-1825-0098"},
    )
    assert response.status_code == 422
    assert response.context["profile_form"].errors["orcid"] == [
        "This ORCID iD's check digit is wrong; please check it."
    ]
    assert 'value="Changed Name"' in response.content.decode()
    member.refresh_from_db()
    assert member.full_name != "Changed Name"


def test_profile_saves_timezone_and_valid_orcid(client, member):
    client.force_login(member)
    response = client.post(
        "/me/profile/",
        {"full_name": "Ada Lovelace", "timezone": "Europe/Athens", "orcid": "0000-0002-1825-0097"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.timezone, member.orcid) == (
        "Ada Lovelace",
        "Europe/Athens",
        "0000-0002-1825-0097",
    )


def test_token_with_duplicate_name_is_refused_beside_field(client, member):
    client.force_login(member)
    client.post("/me/profile/tokens/", {"name": "harvester"})
    response = client.post("/me/profile/tokens/", {"name": "Harvester"})
    assert response.status_code == 422
    assert response.context["token_form"].errors["name"] == [
        "You already have an active token with this name."
    ]


def test_token_of_someone_else_cannot_be_revoked(client, member):
    from ai4media_portal.accounts.services import api_token_create

    token, _key = api_token_create(user=UserFactory(), name="theirs")
    client.force_login(member)
    assert client.post(f"/me/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
