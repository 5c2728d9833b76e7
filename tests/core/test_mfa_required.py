import pytest

from ai4media_portal.core.roles import PRIVILEGED_ROLES, Role
from tests.factories import UserFactory, give_authenticator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(PRIVILEGED_ROLES))
def test_privileged_role_without_mfa_is_sent_to_set_it_up(client, role):
    client.force_login(UserFactory(roles=[role], mfa=False))
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_without_mfa_cannot_reach_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, mfa=False))
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_privileged_role_without_mfa_gets_json_403_from_session_api(client):
    client.force_login(UserFactory(roles=[Role.CALL_MANAGER], mfa=False))
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "mfa_required"


def test_privileged_role_with_mfa_passes(client):
    user = UserFactory(roles=[Role.CALL_MANAGER], mfa=False)
    give_authenticator(user)
    client.force_login(user)
    assert client.get("/me/").status_code == 200


def test_privileged_role_without_mfa_can_still_sign_out_and_set_up(client):
    client.force_login(UserFactory(roles=[Role.EVALUATOR], mfa=False))
    # allauth asks for the password again before adding an authenticator: not our redirect.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.parametrize("role", [Role.PARTNER, None])
def test_unprivileged_users_need_no_mfa(client, role):
    client.force_login(UserFactory(roles=[role] if role else []))
    assert client.get("/me/").status_code == 200


def test_mfa_requirement_can_be_switched_off_for_local_demo(client, settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = False
    client.force_login(UserFactory(roles=[Role.CALL_MANAGER], mfa=False))
    assert client.get("/me/").status_code == 200
