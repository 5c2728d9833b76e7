"""How production serves the portal: gunicorn's settings (gunicorn.conf.py)."""

import runpy

from django.conf import settings


def test_gunicorn_settings_preload_the_portal_and_freeze_it_for_the_collector(monkeypatch):
    for variable in ("WEB_CONCURRENCY", "WEB_THREADS", "GUNICORN_WORKER_CLASS", "GUNICORN_PRELOAD"):
        monkeypatch.delenv(variable, raising=False)
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))

    assert config["bind"] == "0.0.0.0:8000"
    assert config["workers"] >= 2
    assert config["preload_app"] is True
    assert config["timeout"] == 30
    assert callable(config["when_ready"])


def test_gunicorn_workers_and_threads_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("WEB_THREADS", "3")
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))

    assert (config["workers"], config["threads"], config["worker_class"]) == (5, 3, "gthread")
