"""An htmx request that cannot be served gets a status and a one-line reason, never the page it
would have been redirected to: signed out → 401, page expired (CSRF) or second factor missing
or not allowed → 403. Browsers without JavaScript still get the redirects and pages."""

import pytest
from django.test import Client

from ai4media_portal.core.roles import Role
from tests.factories import UserFactory
from tests.opencalls.evaluation.factories import assign, call_under_evaluation, pool_evaluator
from tests.opencalls.evaluation.test_views import _form
from tests.opencalls.factories import complete_draft
from tests.opencalls.test_views import _edit_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def autosaves():
    """Every autosave of the portal: (url, data, owner)."""
    proposal = complete_draft()
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    return [
        (f"/calls/proposals/{proposal.pk}/autosave/", _edit_data(proposal), proposal.applicant),
        (
            f"/calls/evaluation/proposals/{p0.pk}/autosave/",
            _form(call),
            assignment.evaluator,
        ),
    ]


def refusal(response, status, reason):
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == reason
    assert "Location" not in response


def test_autosave_after_the_session_ended_is_401_not_the_sign_in_page(client):
    for url, data, owner in autosaves():
        client.force_login(owner)
        client.logout()  # the session ended
        refusal(client.post(url, data, **HTMX), 401, "You are signed out.")
        # Without htmx the form still goes to the sign-in page and back.
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_autosave_with_a_stale_csrf_token_is_403_page_expired():
    client = Client(enforce_csrf_checks=True)
    for url, data, owner in autosaves():
        client.force_login(owner)
        stale = {**data, "csrfmiddlewaretoken": "x" * 64}
        refusal(client.post(url, stale, **HTMX), 403, "This page has expired.")
        page = client.post(url, stale)
        assert page.status_code == 403
        assert "This page has expired" in page.content.decode()
        assert "Copy it, reload the page, and send it again." in page.content.decode()


def test_autosave_with_the_current_csrf_cookie_token_is_saved():
    """portal.js sends the token of the cookie, which signing in again renews."""
    client = Client(enforce_csrf_checks=True)
    url, data, owner = autosaves()[0]
    client.force_login(owner)
    client.get(url.replace("autosave", "edit"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, {**data, "csrfmiddlewaretoken": token}, HTTP_X_CSRFTOKEN=token, **HTMX
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()


def test_htmx_request_of_privileged_user_without_authenticator_is_403(client):
    evaluator = UserFactory(roles=[Role.EVALUATOR], mfa=False)
    client.force_login(evaluator)
    url = "/calls/evaluation/proposals/1/autosave/"
    refusal(client.post(url, {}, **HTMX), 403, "Set up two-factor authentication first.")
    assert client.post(url, {})["Location"] == "/accounts/2fa/totp/activate/"


def test_htmx_request_refused_by_permission_is_403_with_a_reason(client):
    client.force_login(UserFactory())
    refusal(
        client.get("/network/manage/applications/", **HTMX),
        403,
        "You may not change this (any more).",
    )
    assert "Not allowed" in client.get("/network/manage/applications/").content.decode()


def test_other_redirects_become_a_full_navigation_for_htmx(client):
    client.force_login(UserFactory())
    # A signed-in person asking for the sign-in page is sent on to their profile.
    response = client.get("/accounts/login/", **HTMX)
    assert (response.status_code, response["HX-Redirect"]) == (204, "/me/profile/")
    assert client.get("/accounts/login/")["Location"] == "/me/profile/"
