"""Following one request from the web to the worker: a request id, one log line per request,
and JSON lines in production.

* ``RequestLogMiddleware`` (first in ``MIDDLEWARE``) gives every request an id (the
  ``X-Request-ID`` its proxy sent, if it looks like one, else a new UUID), answers it in the
  ``X-Request-ID`` response header, and logs one record on ``portal.request`` when the response
  is ready: ``request_id``, ``user_id`` (None for visitors), ``method``, ``path``, ``status``,
  ``duration_ms``.
* Tasks queued while the request runs carry the id in their Celery message headers
  (``request_id``); the worker sets it again while it runs them.
* ``RequestIdFilter`` writes the current id onto every log record, so error reports
  (``django.request``, a task's failure) name the request they belong to.
* ``JsonFormatter`` writes each record as one JSON object per line (production's LOGGING).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
logger = logging.getLogger("portal.request")

HEADER = "request_id"
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# What a record carries besides LogRecord's own attributes (logger.info(..., extra={...})).
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def current_request_id() -> str | None:
    """The id of the request (or of the request that queued the task) being handled."""
    return request_id_var.get()


def _user_id(request) -> int | None:
    # Only a user already looked up: the log line must not cost a query of its own.
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed (``request_finished``): Django reports a 404 or a
        # 500 after the middleware has returned, and that report must name the request too.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "user_id": _user_id(request),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def _request_finished(**kwargs) -> None:
    request_id_var.set(None)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (or None) to every record that passes through the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
    ``request_id``, every ``extra`` field, and ``exception`` (the traceback) if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


# --- Celery: the id travels in the message headers -------------------------------------------


def _publish_with_request_id(headers=None, **kwargs) -> None:
    request_id = current_request_id()
    if request_id and headers is not None and HEADER not in headers:
        headers[HEADER] = request_id


_task_tokens: dict[str, object] = {}


def _task_starts(task_id=None, task=None, **kwargs) -> None:
    request_id = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER)
    if request_id and task_id:
        _task_tokens[task_id] = request_id_var.set(request_id)


def _task_ends(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)


def connect_signals() -> None:
    """The request id's end with its response, and its journey in Celery's messages."""
    from celery.signals import before_task_publish, task_postrun, task_prerun
    from django.core.signals import request_finished

    request_finished.connect(_request_finished, weak=False)

    before_task_publish.connect(_publish_with_request_id, weak=False)
    task_prerun.connect(_task_starts, weak=False)
    task_postrun.connect(_task_ends, weak=False)
