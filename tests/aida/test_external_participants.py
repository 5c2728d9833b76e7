"""External participants of offerings open to them say where they come from (affiliation and
country), recorded on their enrolment; AIDA students' come from their registration, so that
rosters and their exports show every row the same way."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from ai4media_portal.core.exceptions import PortalError
from aida import selectors, services
from aida.enums import Eligibility
from aida.models import Enrolment
from tests.factories import UserFactory

from .factories import MemberFactory, OfferingFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_offering():
    return OfferingFactory(audience="open", capacity=10)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The service ---------------------------------------------------------------------------------


def test_external_participant_enrols_with_affiliation_and_country(open_offering):
    user = UserFactory()
    assert selectors.external_participant(user, open_offering)
    enrolment = services.enrolment_request(
        offering=open_offering, actor=user, affiliation="  Deutsche Welle  ", country="de"
    )
    enrolment.refresh_from_db()
    assert (
        enrolment.status,
        enrolment.participant_affiliation,
        enrolment.participant_country.code,
        enrolment.is_aida_student,
    ) == ("confirmed", "Deutsche Welle", "DE", False)


@pytest.mark.parametrize(
    ("affiliation", "country", "field", "message"),
    [
        ("", "DE", "participant_affiliation", "Give the organisation you belong to."),
        ("   ", "DE", "participant_affiliation", "Give the organisation you belong to."),
        ("x" * 201, "DE", "participant_affiliation", "At most 200 characters, please."),
        ("Deutsche Welle", "", "participant_country", "Choose your country."),
        ("Deutsche Welle", "XX", "participant_country", "Choose a country from the list."),
    ],
)
def test_external_participant_without_details_is_refused_beside_the_field(
    open_offering, affiliation, country, field, message
):
    user = UserFactory()
    with pytest.raises(PortalError) as error:
        services.enrolment_request(
            offering=open_offering, actor=user, affiliation=affiliation, country=country
        )
    assert (error.value.field, error.value.message) == (field, message)
    assert not Enrolment.objects.filter(user=user).exists()
    open_offering.refresh_from_db()
    assert open_offering.seats_taken == 0


def test_students_details_are_copied_from_their_registration(open_offering):
    member = MemberFactory(organisation__name="KU Leuven")
    student = StudentFactory(member=member, country="BE")
    assert not selectors.external_participant(student.user, open_offering)
    enrolment = services.enrolment_request(
        offering=open_offering, actor=student.user, affiliation="Made up", country="FR"
    )
    enrolment.refresh_from_db()
    assert (
        enrolment.participant_affiliation,
        enrolment.participant_country.code,
        enrolment.is_aida_student,
    ) == ("KU Leuven", "BE", True)
    aida_only = OfferingFactory(audience="aida")
    enrolment = services.enrolment_request(offering=aida_only, actor=student.user)
    assert (enrolment.participant_affiliation, enrolment.is_aida_student) == ("KU Leuven", True)


def test_student_awaiting_validation_is_an_external_participant_of_an_open_offering(
    open_offering,
):
    student = StudentFactory(status="pending")
    assert selectors.external_participant(student.user, open_offering)
    with pytest.raises(PortalError) as error:
        services.enrolment_request(offering=open_offering, actor=student.user)
    assert error.value.field == "participant_affiliation"


def test_aida_only_offering_still_refuses_externals_whatever_they_give():
    offering = OfferingFactory(audience="aida")
    user = UserFactory()
    assert not selectors.external_participant(user, offering)
    assert selectors.enrolment_eligibility(user, offering) == (False, Eligibility.NOT_A_STUDENT)
    with pytest.raises(PortalError) as error:
        services.enrolment_request(
            offering=offering, actor=user, affiliation="Newsroom Lab", country="FR"
        )
    assert error.value.code == Eligibility.NOT_A_STUDENT
    assert not Enrolment.objects.exists()


def test_request_made_again_records_the_new_details(open_offering):
    user = UserFactory()
    enrolment = services.enrolment_request(
        offering=open_offering, actor=user, affiliation="Old Lab", country="FR"
    )
    services.enrolment_cancel(enrolment=enrolment, actor=user)
    services.enrolment_request(
        offering=open_offering, actor=user, affiliation="New Lab", country="IT"
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.participant_affiliation) == ("confirmed", "New Lab")
    assert enrolment.participant_country.code == "IT"


# --- The page --------------------------------------------------------------------------------


def test_page_asks_externals_only(client, open_offering):
    url = f"/aida/offerings/{open_offering.pk}/"
    client.force_login(UserFactory())
    assert 'name="participant_affiliation"' in client.get(url).content.decode()
    client.force_login(StudentFactory().user)
    assert 'name="participant_affiliation"' not in client.get(url).content.decode()


def test_external_enrols_through_the_page(client, open_offering):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        f"/aida/offerings/{open_offering.pk}/enrol/",
        {"participant_affiliation": "Deutsche Welle", "participant_country": "DE"},
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=user)
    assert (enrolment.participant_affiliation, enrolment.participant_country.code) == (
        "Deutsche Welle",
        "DE",
    )


def test_missing_country_comes_back_beside_the_field_with_what_was_typed(client, open_offering):
    client.force_login(UserFactory())
    response = client.post(
        f"/aida/offerings/{open_offering.pk}/enrol/",
        {"participant_affiliation": "Deutsche Welle", "participant_country": ""},
    )
    assert response.status_code == 422
    form = response.context["participant_form"]
    assert form.errors == {"participant_country": ["This field is required."]}
    html = response.content.decode()
    assert 'id="id_participant_country_error"' in html
    assert 'value="Deutsche Welle"' in html
    assert not Enrolment.objects.exists()


# --- The API ---------------------------------------------------------------------------------


def test_external_enrols_through_the_api(open_offering):
    body = (
        _api(UserFactory())
        .post(
            "/api/v1/aida/enrolments/",
            {
                "offering": open_offering.pk,
                "participant_affiliation": "Newsroom Lab",
                "participant_country": "FR",
            },
            format="json",
        )
        .json()
    )
    assert (
        body["status"],
        body["participant_affiliation"],
        body["participant_country"],
        body["is_aida_student"],
    ) == ("confirmed", "Newsroom Lab", "FR", False)


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({}, "participant_affiliation"),
        ({"participant_affiliation": "Newsroom Lab"}, "participant_country"),
        ({"participant_affiliation": "Newsroom Lab", "participant_country": "XX"}, None),
    ],
)
def test_api_refuses_an_external_without_details(open_offering, body, attr):
    response = _api(UserFactory()).post(
        "/api/v1/aida/enrolments/", {"offering": open_offering.pk, **body}, format="json"
    )
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr or "participant_country"]
    assert not Enrolment.objects.exists()


# --- Rosters and exports -----------------------------------------------------------------------


@pytest.fixture
def roster(open_offering, coordinator):
    member = MemberFactory(organisation__name="KU Leuven")
    student = StudentFactory(member=member, country="BE", user=UserFactory(full_name="Stella S"))
    services.enrolment_request(offering=open_offering, actor=student.user)
    services.enrolment_request(
        offering=open_offering,
        actor=UserFactory(full_name="Elena External"),
        affiliation="Deutsche Welle",
        country="DE",
    )
    return open_offering


def test_roster_shows_affiliation_country_and_kind(client, coordinator, roster):
    client.force_login(coordinator)
    html = client.get(f"/aida/offerings/{roster.pk}/roster/").content.decode()
    assert "<td>KU Leuven</td>\n  <td>Belgium</td>\n  <td>AIDA student</td>" in html
    assert "<td>Deutsche Welle</td>\n  <td>Germany</td>\n  <td>External participant</td>" in html


def test_roster_exports_show_affiliation_country_and_kind(client, coordinator, roster):
    client.force_login(coordinator)
    response = client.get(f"/aida/offerings/{roster.pk}/roster/?format=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:5] == ["Name", "Email", "Affiliation", "Country", "Participant"]
    assert [line.split(",")[2:5] for line in lines[1:]] == [
        ["KU Leuven", "Belgium", "AIDA student"],
        ["Deutsche Welle", "Germany", "External participant"],
    ]
    response = client.get(f"/aida/offerings/{roster.pk}/roster/?format=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row][2:5] for row in sheet.iter_rows()]
    assert rows[1:] == [
        ["KU Leuven", "Belgium", "AIDA student"],
        ["Deutsche Welle", "Germany", "External participant"],
    ]
