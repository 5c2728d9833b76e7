"""Rate limits count per client, and a client cannot choose its own address: X-Forwarded-For
is believed only for the hops that the trusted proxies (``TRUSTED_PROXY_COUNT``) appended, by
the API's throttles and allauth's rate limits alike."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.7"


@pytest.fixture
def proxies(settings, monkeypatch):
    """Run the portal behind ``n`` trusted proxies, as ``TRUSTED_PROXY_COUNT=n`` does."""

    def behind(n: int, *, anon_rate: str = "3/min", login_rate: str = "3/m/ip"):
        settings.TRUSTED_PROXY_COUNT = n
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = n
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "NUM_PROXIES": n,
            "DEFAULT_THROTTLE_RATES": {"anon": anon_rate, "user": "1000/min"},
        }
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": login_rate}
        # DRF reads the rates once, when its throttling module is first imported.
        monkeypatch.setattr(
            AnonRateThrottle, "THROTTLE_RATES", {"anon": anon_rate, "user": "1000/min"}
        )

    return behind


def api(client, xff=None, remote=PROXY):
    headers = {"REMOTE_ADDR": remote}
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return client.get("/api/v1/calls/", **headers).status_code


def login(client, xff=None, remote=PROXY):
    headers = {"REMOTE_ADDR": remote}
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    data = {"login": "nobody@example.org", "password": "wrong-password"}
    return client.post("/accounts/login/", data, **headers).status_code


@pytest.mark.parametrize("send", [api, login])
def test_without_proxies_a_forged_forwarded_for_gets_no_fresh_limit(client, proxies, send):
    proxies(0)
    assert [send(client, remote="198.51.100.9") for _ in range(3)] == [200] * 3
    assert send(client, remote="198.51.100.9") == 429
    forged = [send(client, xff=f"203.0.113.{n}", remote="198.51.100.9") for n in range(1, 6)]
    assert forged == [429] * 5
    # Another real client is counted on its own.
    assert send(client, remote="198.51.100.10") == 200


@pytest.mark.parametrize("send", [api, login])
def test_behind_one_proxy_the_last_hop_is_the_client(client, proxies, send):
    proxies(1)
    assert [send(client, xff="192.0.2.1") for _ in range(3)] == [200] * 3
    assert send(client, xff="192.0.2.1") == 429
    # What the client wrote before the proxy's hop changes nothing.
    forged = [send(client, xff=f"203.0.113.{n}, 192.0.2.1") for n in range(1, 6)]
    assert forged == [429] * 5
    # The proxy's address is not the client: another client behind it has its own count.
    assert send(client, xff="192.0.2.2") == 200
    assert send(client, xff="192.0.2.1, 192.0.2.3") == 200


def test_one_setting_configures_every_rate_limit():
    assert django_settings.TRUSTED_PROXY_COUNT == 0
    assert django_settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert django_settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    code = (
        "from ai4media_portal.settings import production as s;"
        "print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'],"
        " s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    env = {
        **os.environ,
        "TRUSTED_PROXY_COUNT": "1",
        "SECRET_KEY": "x" * 40,
        "ALLOWED_HOSTS": "portal.example.org",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "1", "1"]
