"""How production serves the portal: gunicorn's settings (gunicorn.conf.py)."""

import gc
import os
import runpy

from django.conf import settings


def test_gunicorn_runs_threaded_workers_with_keep_alive_by_default(monkeypatch):
    for variable in ("WEB_CONCURRENCY", "WEB_THREADS", "GUNICORN_PRELOAD", "GUNICORN_BIND"):
        monkeypatch.delenv(variable, raising=False)
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))

    assert config["bind"] == "0.0.0.0:8000"
    assert config["workers"] == (os.cpu_count() or 2)
    assert (config["worker_class"], config["threads"], config["keepalive"]) == ("gthread", 4, 5)
    assert config["timeout"] == 30
    assert config["preload_app"] is True


def test_gunicorn_workers_and_threads_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("WEB_THREADS", "1")
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))

    assert (config["workers"], config["threads"], config["worker_class"]) == (5, 1, "sync")


def test_gunicorn_freezes_what_the_master_loaded_for_the_garbage_collector(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    gc.unfreeze()
    before = gc.get_freeze_count()

    config["when_ready"](server=None)

    assert gc.get_freeze_count() > before
    gc.unfreeze()


def test_a_worker_freezes_what_its_first_requests_loaded_once(monkeypatch):
    monkeypatch.setenv("GUNICORN_FREEZE_AFTER", "3")
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *args: calls.append("collect"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    worker = type("Worker", (), {})()

    for _ in range(2):
        config["post_request"](worker, None, {}, None)
    assert calls == []
    config["post_request"](worker, None, {}, None)
    assert calls == ["collect", "freeze"]
    for _ in range(10):
        config["post_request"](worker, None, {}, None)
    assert calls == ["collect", "freeze"]
