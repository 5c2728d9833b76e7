"""The whole account journey as a person makes it, through the pages and then the API."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core import mail

from ai4media_portal.accounts.models import ApiToken, User
from ai4media_portal.core.roles import Role
from tests.factories import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def _link_in_last_mail(pattern: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)


def test_signup_verify_login_mfa_token_api_revoke(client, api_client):
    # Sign up: the account exists but must verify its email before signing in.
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Lena.Novak@example.org",
            "full_name": "Lena Novák",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email__iexact="lena.novak@example.org")
    assert user.full_name == "Lena Novák"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lena.novak@example.org"]

    # Signing in before verifying sends the user back to verify.
    response = client.post(
        "/accounts/login/",
        {"login": "lena.novak@example.org", "password": "a-long-and-unusual-passphrase"},
    )
    assert response["Location"] == "/accounts/confirm-email/"

    # The link in the email verifies the address and signs the user in.
    confirm_url = _link_in_last_mail(r"/accounts/confirm-email/[^/\s]+/")
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200

    # The user becomes an evaluator: from now on the portal asks for a second factor first.
    user.groups.add(Group.objects.get(name=Role.EVALUATOR))
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"

    # Adding an authenticator asks for the password once more.
    response = client.get("/accounts/2fa/totp/activate/")
    assert (
        response["Location"]
        == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    response = client.post(response["Location"], {"password": "a-long-and-unusual-passphrase"})
    assert response["Location"] == "/accounts/2fa/totp/activate/"

    # Set up the authenticator app; a wrong code is refused beside the field.
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    # Signing in again now takes the password and a code.
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/",
        {"login": "lena.novak@example.org", "password": "a-long-and-unusual-passphrase"},
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302

    # Create an API token on the profile page: the key is shown once and stored hashed.
    response = client.post("/me/profile/tokens/", {"name": "Zenodo sync"})
    assert response.status_code == 200
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "Zenodo sync"
    assert key not in token.key_hash
    assert key.encode() not in response.content.replace(key.encode(), b"", 1)

    # The token authenticates API calls ...
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["email"] == "lena.novak@example.org"
    assert response.json()["roles"] == ["evaluator"]

    # ... until it is revoked.
    response = client.post(f"/me/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "authentication_failed", "detail": "Invalid or revoked token.", "attr": None}
        ],
    }
