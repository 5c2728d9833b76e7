"""A call is created, or copied, once per form however often the form is sent, and calls
created at the same moment never share a number."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencalls import services
from opencalls.models import Call
from tests.concurrency import parallel_clients, run_in_parallel
from tests.opencalls.factories import CallFactory, manager

CALL_FORM = {
    "title": "Once only",
    "summary": "",
    "description": "About",
    "timezone": "Europe/Brussels",
    "opens_at": "2031-09-01T00:00",
    "closes_at": "2031-12-01T17:00",
    "total_budget": "500000",
    "max_funding": "50000",
    "evaluators_per_proposal": "3",
    "overall_threshold": "10",
    "interviews_per_track": "5",
    "max_document_mb": "10",
}
DATA = {
    "title": "Service call",
    "description": "About",
    "opens_at": dt.datetime(2031, 9, 1, tzinfo=dt.UTC),
    "closes_at": dt.datetime(2031, 12, 1, tzinfo=dt.UTC),
    "total_budget": Decimal("500000"),
}


@pytest.mark.django_db
def test_the_create_form_carries_a_token_and_a_second_send_changes_nothing(client):
    client.force_login(manager())
    page = client.get("/calls/manage/new/").content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]

    first = client.post("/calls/manage/new/", {**CALL_FORM, "form_token": token})
    second = client.post("/calls/manage/new/", {**CALL_FORM, "form_token": token}, follow=True)

    assert Call.objects.filter(title="Once only").count() == 1
    call = Call.objects.get(title="Once only")
    assert first.url == second.redirect_chain[0][0] == f"/calls/manage/{call.number}/"
    assert "This call was already created: here it is." in second.content.decode()


@pytest.mark.django_db
def test_a_refused_create_keeps_its_token_for_the_corrected_send(client):
    client.force_login(manager())
    token = str(uuid.uuid4())

    refused = client.post("/calls/manage/new/", {**CALL_FORM, "title": "", "form_token": token})

    assert refused.status_code == 422
    assert f'name="form_token" value="{token}"' in refused.content.decode()
    assert not Call.objects.filter(form_token=token).exists()


@pytest.mark.django_db
def test_someone_elses_token_is_refused_without_revealing_their_call():
    token = uuid.uuid4()
    services.call_create(actor=manager(), data=DATA, form_token=token)

    with pytest.raises(PermissionDenied):
        services.call_create(actor=manager(), data=DATA, form_token=token)


@pytest.mark.django_db
def test_a_copy_sent_twice_from_one_page_makes_one_copy():
    boss, call = manager(), CallFactory()
    token = uuid.uuid4()

    first = services.call_copy(call=call, actor=boss, form_token=token)
    again = services.call_copy(call=call, actor=boss, form_token=token)

    assert again.pk == first.pk
    assert (first.already_created, again.already_created) == (False, True)
    assert Call.objects.count() == 2


@pytest.mark.django_db
def test_a_number_already_taken_is_refused_beside_the_field():
    services.call_create(actor=manager(), data={**DATA, "number": 7})

    with pytest.raises(ValidationError) as refused:
        services.call_create(actor=manager(), data={**DATA, "number": 7})

    assert "number" in refused.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_one_form_sent_from_five_tabs_at_once_creates_one_call():
    boss = manager()
    clients = parallel_clients(5, boss)
    form = {**CALL_FORM, "form_token": str(uuid.uuid4())}

    responses = run_in_parallel(5, lambda i: clients[i].post("/calls/manage/new/", form))

    assert [response.status_code for response in responses] == [302] * 5
    assert len({response.url for response in responses}) == 1
    assert Call.objects.filter(title="Once only").count() == 1


@pytest.mark.django_db(transaction=True)
def test_calls_created_and_copied_at_the_same_moment_get_consecutive_numbers():
    """Without the numbering lock, these creates all read the same highest number: all but
    one fail on the unique number."""
    boss, source = manager(), CallFactory()
    start = source.number

    def create_or_copy(i: int) -> Call:
        if i % 2:
            return services.call_copy(call=source, actor=boss)
        return services.call_create(actor=boss, data={**DATA, "title": f"Parallel {i}"})

    results = run_in_parallel(6, create_or_copy)

    assert all(isinstance(result, Call) for result in results), results
    assert sorted(call.number for call in results) == list(range(start + 1, start + 7))
