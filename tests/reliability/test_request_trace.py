"""A failure can be followed from the web to the worker: the task a request queues runs, in
a real worker process, under the request's id, and the worker's JSON log lines say so."""

import json

import pytest

from ai4media_portal.core.enums import EmailStatus
from ai4media_portal.core.models import OutboundEmail
from tests.factories import UserFactory
from tests.faults import wait_for
from tests.utils import celery_broker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_worker_logs_the_task_under_the_id_of_the_request_that_queued_it(worker, client):
    user = UserFactory(email="forgetful@example.org")
    with celery_broker(worker.broker_url):
        response = client.post(
            "/accounts/password/reset/",
            {"email": user.email},
            HTTP_X_REQUEST_ID="reset-request-0001",
        )
        assert response.status_code == 302
        email = OutboundEmail.objects.get(to=[user.email])
        wait_for(
            lambda: OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENT).exists()
        )

    def task_lines():
        lines = [json.loads(x) for x in worker.process.log().splitlines() if x.startswith(b"{")]
        return [x for x in lines if x.get("request_id") == "reset-request-0001"]

    lines = wait_for(task_lines, what="the worker's log line")
    assert any("core.outbox_deliver" in line["message"] for line in lines)
