"""Personal API tokens obey the same second-factor rule as a browser session and never
outlive the password they were made with."""

import re

import pytest
from django.core import mail

from ai4media_portal.accounts.models import ApiToken, TokenRevocation
from ai4media_portal.accounts.services import api_token_create, api_token_revoke
from ai4media_portal.core.audit import AuditEntry
from ai4media_portal.core.roles import PRIVILEGED_ROLES, Role
from tests.factories import PASSWORD, UserFactory, give_authenticator
from tests.opencalls.factories import CallFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "an-entirely-new-passphrase-42"


def token_for(user, name="script") -> str:
    _token, key = api_token_create(user=user, name=name)
    return key


def get(api_client, key, url):
    return api_client.get(url, HTTP_AUTHORIZATION=f"Token {key}")


# --- The second factor ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/proposals/", "/api/v1/evaluation/calls/{number}/ranking/", "/api/v1/me/"],
)
def test_token_of_call_manager_without_authenticator_is_refused(api_client, url):
    call = CallFactory()
    manager = UserFactory(roles=[Role.CALL_MANAGER], mfa=False)
    response = get(api_client, token_for(manager), url.format(number=call.number))
    assert response.status_code == 403
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "mfa_required",
                "detail": "Set up two-factor authentication on the portal first.",
                "attr": None,
            }
        ],
    }


@pytest.mark.parametrize("role", sorted(PRIVILEGED_ROLES))
def test_token_of_any_privileged_role_without_authenticator_is_refused(api_client, role):
    user = UserFactory(roles=[role], mfa=False)
    response = get(api_client, token_for(user), "/api/v1/me/")
    assert (response.status_code, response.json()["errors"][0]["code"]) == (403, "mfa_required")


def test_token_of_staff_without_authenticator_is_refused(api_client):
    user = UserFactory(is_staff=True, mfa=False)
    assert get(api_client, token_for(user), "/api/v1/audit-log/").status_code == 403


def test_token_works_once_the_authenticator_is_set_up(api_client):
    manager = UserFactory(roles=[Role.CALL_MANAGER], mfa=False)
    key = token_for(manager)
    assert get(api_client, key, "/api/v1/proposals/").status_code == 403
    give_authenticator(manager)
    assert get(api_client, key, "/api/v1/proposals/").status_code == 200


def test_token_of_unprivileged_user_needs_no_authenticator(api_client):
    user = UserFactory(roles=[Role.PARTNER])
    assert get(api_client, token_for(user), "/api/v1/me/").status_code == 200


def test_token_mfa_rule_follows_the_setting(api_client, settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = False
    manager = UserFactory(roles=[Role.CALL_MANAGER], mfa=False)
    assert get(api_client, token_for(manager), "/api/v1/proposals/").status_code == 200


# --- A new password ends every token ---------------------------------------------------------


def assert_revoked(api_client, key, because):
    response = get(api_client, key, "/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "Invalid or revoked token."
    token = ApiToken.objects.get(prefix=key[:8])
    assert (token.revoked_at is not None, token.revoked_because) == (True, because)


def test_password_change_revokes_every_token(client, api_client):
    user = UserFactory()
    keys = [token_for(user, "one"), token_for(user, "two")]
    assert get(api_client, keys[0], "/api/v1/me/").status_code == 200
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    for key in keys:
        assert_revoked(api_client, key, TokenRevocation.PASSWORD_CHANGED)
    assert AuditEntry.objects.filter(action="accounts.api_token.revoke").count() == 2
    # A token made after the change works.
    assert get(api_client, token_for(user, "three"), "/api/v1/me/").status_code == 200


def test_password_reset_revokes_every_token(client, api_client, django_capture_on_commit_callbacks):
    user = UserFactory()
    key = token_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert_revoked(api_client, key, TokenRevocation.PASSWORD_RESET)


def test_password_set_by_administrators_revokes_every_token(client, api_client):
    user = UserFactory()
    key = token_for(user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert_revoked(api_client, key, TokenRevocation.PASSWORD_RESET)


def test_failed_password_change_keeps_the_tokens(client, api_client):
    user = UserFactory()
    key = token_for(user)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert get(api_client, key, "/api/v1/me/").status_code == 200


# --- The profile page --------------------------------------------------------------------


def test_profile_lists_tokens_with_creation_last_use_and_why_revoked(client, api_client):
    user = UserFactory()
    used = token_for(user, "Zenodo sync")
    get(api_client, used, "/api/v1/me/")
    token_for(user, "Never used")
    revoked = ApiToken.objects.get(user=user, name="Never used")
    api_token_revoke(token=revoked, actor=user)
    client.force_login(user)
    response = client.get("/me/profile/")
    html = response.content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows[1:]]
    assert len(texts) == 2
    assert texts[0].startswith("Zenodo sync")
    assert "never" not in texts[0]
    assert "Revoke Zenodo sync" in texts[0]
    assert texts[1].startswith("Never used")
    assert "never" in texts[1]
    assert "(revoked by you)" in texts[1]
    assert "Changing or resetting your password revokes all your tokens." in html


def test_revoking_on_the_profile_page_stops_the_token(client, api_client):
    user = UserFactory()
    key = token_for(user)
    client.force_login(user)
    token = ApiToken.objects.get(user=user)
    assert client.post(f"/me/profile/tokens/{token.pk}/revoke/").status_code == 302
    assert_revoked(api_client, key, TokenRevocation.BY_OWNER)
