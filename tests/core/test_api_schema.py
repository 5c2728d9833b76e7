"""The OpenAPI schema tells the truth: schemathesis generates requests from it (valid and
invalid ones) for every operation, sends them to the portal in-process as a visitor, an
applicant and a call manager (API tokens), and checks every response against the schema:
no server error, only documented status codes, bodies of the documented shape, invalid
input refused. Bounded: a few examples per operation.

The examples come from a fixed seed, so that a run can be repeated and the suite's verdict
does not depend on luck; ``API_FUZZ_SEED=<n>`` explores other examples."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction

from ai4media_portal.accounts.services import api_token_create
from tests.core.world import build_world

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "applicant", "call_manager"]
MAX_EXAMPLES = 25

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": int(os.environ.get("API_FUZZ_SEED", "951911")),
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
        # The coverage phase sends every boundary value of every parameter: thousands of
        # requests for the proposal form alone, minutes instead of seconds. The examples and
        # fuzzing phases (valid and invalid data) keep the run within the suite's budget.
        "phases": {"coverage": {"enabled": False}},
        "checks": {
            # A well-formed write can still be refused by a business rule the schema cannot
            # express (the deadline passed, the proposal is no longer a draft): a documented
            # 400 then. Reads and filters have no such excuse.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "429"]
            },
        },
        "operations": [
            {
                "include-method": "GET",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "429"]
                    }
                },
            }
        ],
    }
)


@pytest.fixture(scope="module")
def _connection_kept():
    """Requests go through the WSGI handler, which closes the database connection after each
    one; the test data lives in a transaction on that connection, so keep it open (as Django's
    test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker, _connection_kept):
    """One populated portal for the whole run (rolled back at the end), with a token each."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        headers = {"anonymous": {}}
        for who in ("applicant", "call_manager"):
            _token, key = api_token_create(user=world.people[who], name="schema check")
            headers[who] = {"Authorization": f"Token {key}"}
        yield headers
        transaction.set_rollback(True)


# Loaded when the module is collected: generating the schema reads no data.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
)


@schema.parametrize()
def test_api_conforms_to_its_schema(case, portal):
    """Each generated request is sent as each of the three."""
    for who in WHO:
        case.call_and_validate(headers=portal[who])
