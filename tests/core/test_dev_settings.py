"""The settings ``make run`` serves with (``ai4media_portal.settings.dev``)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dev_setting(*names: str) -> dict:
    """The settings ``names`` as the dev settings module makes them, read in a fresh process
    (the tests run under their own settings)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ai4media_portal.settings.dev"}
    env.pop("CONN_MAX_AGE", None)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_development_server_closes_connections_with_their_request():
    # runserver runs each request in its own thread; kept connections would pile up.
    assert _dev_setting("DATABASES")["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
