"""One log line per request (request id, user id, path, status, duration), the id answered in
``X-Request-ID`` and written on every record of the request, as JSON lines in production."""

import json
import logging

import pytest

from ai4media_portal.core.logs import JsonFormatter, RequestIdFilter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    return lambda: [r for r in caplog.records if r.name == "portal.request"]


def test_each_request_logs_one_line_with_its_id_user_path_status_and_duration(client, request_log):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/me/profile/", HTTP_X_REQUEST_ID="proxy-given-id-123")
    assert response["X-Request-ID"] == "proxy-given-id-123"
    (record,) = request_log()
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "proxy-given-id-123"
    assert (line["user_id"], line["method"], line["path"], line["status"]) == (
        user.pk,
        "GET",
        "/me/profile/",
        200,
    )
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert line["time"].endswith("Z")


def test_a_visitor_gets_a_fresh_id_and_no_user_and_a_forged_id_is_replaced(client, request_log):
    first = client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    second = client.get("/")
    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert ids[0] != ids[1]
    assert all(len(i) == 32 for i in ids)
    records = request_log()
    assert [r.user_id for r in records] == [None, None]
    assert [r.request_id for r in records if hasattr(r, "request_id")] in ([], ids)


def test_error_reports_name_the_request(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    caplog.handler.addFilter(RequestIdFilter())
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-me-404-page")
    assert response.status_code == 404
    report = next(r for r in caplog.records if r.name == "django.request")
    assert report.request_id == "trace-me-404-page"
    assert json.loads(JsonFormatter().format(report))["request_id"] == "trace-me-404-page"


def test_tasks_queued_by_a_request_carry_its_id_in_their_headers(settings):
    from ai4media_portal.core import logs

    headers = {}
    token = logs.request_id_var.set("queued-by-this-request")
    try:
        logs._publish_with_request_id(headers=headers)
    finally:
        logs.request_id_var.reset(token)
    assert headers == {"request_id": "queued-by-this-request"}


def test_the_error_page_gives_the_reference_that_the_logs_carry(rf):
    from ai4media_portal.core.views import server_error

    request = rf.get("/calls/")
    request.request_id = "ref-for-support-42"
    page = server_error(request).content.decode()
    assert "quote this reference: <code>ref-for-support-42</code>" in page
