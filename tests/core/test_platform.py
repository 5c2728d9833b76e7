"""Deployment and platform guarantees: settings, compose file, schema, health."""

import json
import os
import shlex
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.test import override_settings
from openapi_spec_validator import validate

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ai4media_portal.settings.production",
    "SECRET_KEY": "x" * 20 + "production-grade-secret-key-for-the-check-9a8b7c6d5e",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587",
    "REDIS_URL": "redis://redis:6379/0",
}


def _run_manage(*args, env_changes):
    env = {**os.environ, **env_changes}
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=BASE_DIR,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _run_manage("check", "--deploy", "--fail-level", "DEBUG", env_changes=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    env["SECRET_KEY"] = ""
    result = _run_manage("check", env_changes=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _compose_services():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    return compose["services"]


def test_compose_has_the_production_services():
    services = _compose_services()
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "ai4media_portal.settings.production"
        for variable in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
            assert variable in environment, (name, variable)


@pytest.mark.parametrize("name", ["web", "worker", "beat", "migrate"])
def test_compose_commands_point_at_real_code(name):
    command = _compose_services()[name]["command"]
    argv = shlex.split(command) if isinstance(command, str) else command
    if argv[0] == "gunicorn":
        module_name, attribute = argv[1].split(":")
        assert hasattr(import_module(module_name), attribute)
    elif argv[0] == "celery":
        assert argv[1:3] == ["-A", "ai4media_portal"]
        assert argv[3] in {"worker", "beat"}
        assert import_module("ai4media_portal").celery_app.main == "ai4media_portal"
    else:
        assert argv[:2] == ["python", "manage.py"]
        assert argv[2] in get_commands()


def test_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/me/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] == "apiKey"


@pytest.mark.django_db
def test_api_docs_are_served_offline_as_a_page(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # drawn on the server: nothing inline to run
    assert '<html lang="en">' in html
    heading = '<h3 id="op-me_retrieve"><span class="api-method api-method-get">GET</span>'
    assert f"{heading} <code>/api/v1/me/</code></h3>" in html
    assert '<h3 id="schema-Call">Call</h3>' in html
    assert '<a href="#schema-Call">Call</a>' in html


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_503_when_broker_unreachable(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis (REDIS_URL)")
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_reports_real_broker(client, settings):
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    assert client.get("/healthz").json()["broker"] == "ok"


def test_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        if "<script>" in text or "<style" in text or " style=" in text or "onclick=" in text:
            offenders.append(str(path.relative_to(BASE_DIR)))
        if "http://" in text.replace("http://127.0.0.1", "") or "cdn." in text:
            offenders.append(f"{path.relative_to(BASE_DIR)} (external URL)")
    assert offenders == []


@pytest.mark.django_db
def test_unknown_api_address_answers_in_the_api_error_format(client):
    response = client.get("/api/v1/calls/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


@pytest.mark.django_db
def test_unknown_page_is_a_portal_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert '<main id="main"' in response.content.decode()


def test_server_error_in_the_api_error_format_and_as_a_page(rf):
    from ai4media_portal.core.views import server_error

    api = server_error(rf.get("/api/v1/calls/"))
    assert (api.status_code, json.loads(api.content)["type"]) == (500, "server_error")
    page = server_error(rf.get("/calls/"))
    assert page.status_code == 500
    assert "Something went wrong" in page.content.decode()
