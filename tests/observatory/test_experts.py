"""The expert directory and the contact relay."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import OutboundEmail
from observatory import services
from observatory.enums import ExpertStatus
from observatory.models import ContactMessage, Expert
from observatory.validators import orcid_check_digit, validate_orcid
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory
from tests.utils import Access, assert_constant_queries, check_matrix

from .conftest import png_upload
from .factories import topic

pytestmark = pytest.mark.django_db

ADDRESS = "secret.expert@uni.example.org"


def _data(**changes):
    data = {
        "name": "Ioanna Papadaki",
        "headline": "Media forensics researcher",
        "bio": "Works on deepfake detection.",
        "organisation": None,
        "organisation_name": "Independent",
        "country": "GR",
        "expertise": ["deepfake detection"],
        "languages": ["en", "el"],
        "available_for": ["interviews"],
        "orcid": "0000-0002-1825-0097",
        "website": "",
        "accepts_contact": True,
    }
    data.update(changes)
    return data


def _listed(editor, chief, **changes):
    expert = services.expert_create(
        actor=editor,
        data={**_data(**changes), "contact_email": ADDRESS},
        topics=[topic("ai-technologies-for-media")],
        for_self=False,
    )
    return services.expert_approve(expert=expert, actor=chief)


# --- ORCID -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]
)
def test_valid_orcid_ids_pass(orcid):
    validate_orcid(orcid)


@pytest.mark.parametrize(
    "orcid",
    ["0000-0002-1825-0098", "0000-0002-1825-009", "0000000218250097", "abcd-0002-1825-0097"],
)
def test_invalid_orcid_ids_are_refused(orcid):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_orcid(orcid)


def test_orcid_check_digit_of_the_documented_example():
    assert orcid_check_digit("000000021825009") == "7"


# --- Profiles ----------------------------------------------------------------------------------


def test_a_self_service_profile_waits_for_approval_then_is_listed(client, member, editor, chief):
    expert = services.expert_create(actor=member, data=_data(), for_self=True)
    assert expert.status == ExpertStatus.PENDING
    assert OutboundEmail.objects.get(template="observatory/expert_pending").to == sorted(
        [editor.email, chief.email]
    )
    assert client.get(expert.get_absolute_url()).status_code == 404
    assert "Ioanna" not in client.get("/observatory/experts/").content.decode()
    services.expert_approve(expert=expert, actor=editor)
    assert client.get(expert.get_absolute_url()).status_code == 200
    assert "Ioanna" in client.get("/observatory/experts/").content.decode()


def test_one_profile_per_account(member):
    services.expert_create(actor=member, data=_data(), for_self=True)
    with pytest.raises(PortalError):
        services.expert_create(actor=member, data=_data(), for_self=True)


def test_the_expert_hides_shows_and_deletes_their_profile(client, member, chief):
    expert = services.expert_create(actor=member, data=_data(), for_self=True)
    services.expert_approve(expert=expert, actor=chief)
    services.expert_set_hidden(expert=expert, actor=member, hidden=True)
    assert client.get(expert.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/experts/{expert.slug}/").status_code == 404
    services.expert_set_hidden(expert=expert, actor=member, hidden=False)
    assert client.get(expert.get_absolute_url()).status_code == 200
    services.expert_delete(expert=expert, actor=member)
    assert Expert.objects.count() == 0


@pytest.mark.parametrize("who", ["member", "staff", "superuser"])
def test_others_cannot_change_hide_or_approve_a_profile(people, member, who):
    expert = services.expert_create(actor=member, data=_data(), for_self=True)
    with pytest.raises(PermissionDenied):
        services.expert_update(expert=expert, actor=people[who], data={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.expert_set_hidden(expert=expert, actor=people[who], hidden=True)
    with pytest.raises(PermissionDenied):
        services.expert_approve(expert=expert, actor=people[who])


def test_an_editor_does_not_approve_their_own_profile(editor):
    expert = services.expert_create(actor=editor, data=_data(), for_self=True)
    with pytest.raises(PermissionDenied):
        services.expert_approve(expert=expert, actor=editor)


def test_an_editor_made_profile_needs_an_address(editor):
    with pytest.raises(PortalError) as error:
        services.expert_create(actor=editor, data=_data(), for_self=False)
    assert error.value.field == "contact_email"


def test_the_profile_form_refuses_a_bad_orcid_and_url_beside_the_fields(client, member):
    client.force_login(member)
    response = client.post(
        "/observatory/experts/me/",
        {
            "name": "Keep my name",
            "headline": "H",
            "bio": "B",
            "country": "GR",
            "languages": ["en"],
            "orcid": "https://orcid.org/0000-0002-1825-0098",
            "website": "javascript:alert(1)",
            "accepts_contact": "on",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["orcid"] == ["This ORCID iD is not valid: check it for a typing mistake."]
    assert "website" in errors
    assert "Keep my name" in response.content.decode()
    assert Expert.objects.count() == 0


def test_the_profile_form_saves_a_normalised_orcid_and_a_photo(client, member):
    client.force_login(member)
    response = client.post(
        "/observatory/experts/me/",
        {
            "name": "Ioanna Papadaki",
            "headline": "H",
            "bio": "B",
            "country": "GR",
            "languages": ["en"],
            "expertise": "deepfakes, forensics",
            "orcid": "https://orcid.org/0000-0002-1694-233x",
            "accepts_contact": "on",
            "photo": png_upload(),
        },
    )
    assert response.status_code == 302
    expert = Expert.objects.get()
    assert expert.orcid == "0000-0002-1694-233X"
    assert expert.expertise == ["deepfakes", "forensics"]
    assert expert.photo.name.endswith(".png")


def test_a_bio_with_markup_is_shown_as_text(client, editor, chief):
    expert = _listed(editor, chief, bio='<script>alert(1)</script><img src=x onerror="alert(2)">')
    html = client.get(expert.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


# --- Directory filters and API -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Ioanna Papadaki", "Lukas Brenner"]),
        ("?q=forensics", ["Ioanna Papadaki"]),
        ("?topic=policy-legislation", ["Lukas Brenner"]),
        ("?country=de", ["Lukas Brenner"]),
        ("?language=el", ["Ioanna Papadaki"]),
        ("?availability=consulting", ["Lukas Brenner"]),
        ("?organisation=tur", ["Lukas Brenner"]),
    ],
)
def test_directory_filters_pages_and_api(client, editor, chief, query, expected):
    _listed(editor, chief, headline="Media forensics researcher")
    lukas = _listed(
        editor,
        chief,
        name="Lukas Brenner",
        headline="Professor of media law",
        bio="Law.",
        expertise=["AI Act"],
        country="DE",
        languages=["en", "de"],
        available_for=["consulting"],
        organisation=OrganisationFactory(slug="tur"),
    )
    lukas.topics.set([topic("policy-legislation")])
    services.expert_create(actor=UserFactory(), data=_data(name="Pending Person"), for_self=True)
    page = client.get("/observatory/experts/" + query)
    assert [expert.name for expert in page.context["page"].object_list] == expected
    api_query = query.replace("?q=", "?search=")
    rows = client.get("/api/v1/experts/" + api_query).json()["results"]
    assert sorted(row["name"] for row in rows) == expected


def test_no_address_in_the_page_the_api_or_the_relay_answer(client, editor, chief, member):
    expert = _listed(editor, chief)
    client.force_login(member)
    texts = [
        client.get(expert.get_absolute_url()).content.decode(),
        client.get("/observatory/experts/").content.decode(),
        client.get("/api/v1/experts/").content.decode(),
        client.get(f"/api/v1/experts/{expert.slug}/").content.decode(),
        client.post(
            f"/observatory/experts/{expert.slug}/contact/", {"subject": "Hi", "body": "Hello"}
        ).content.decode(),
    ]
    for text in texts:
        assert ADDRESS not in text
        assert "secret.expert" not in text


def test_organisation_page_lists_its_experts(client, editor, chief):
    organisation = OrganisationFactory()
    _listed(editor, chief, organisation=organisation)
    _listed(editor, chief, name="Hidden Elsewhere")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Experts in the Observatory" in html
    assert "Ioanna Papadaki" in html
    assert "Hidden Elsewhere" not in html


@pytest.mark.parametrize("url", ["/observatory/experts/", "/api/v1/experts/"])
def test_expert_lists_run_a_constant_number_of_queries(client, editor, chief, url):
    counter = iter(range(100))

    def add():
        expert = _listed(editor, chief, name=f"Expert {next(counter)}")
        expert.topics.set([topic("policy-legislation"), topic("research-innovation")])

    assert_constant_queries(client, url, add)


# --- The contact relay -------------------------------------------------------------------------


def test_the_relay_emails_the_expert_with_reply_to_the_sender_and_strips_html(
    editor, chief, member
):
    expert = _listed(editor, chief)
    services.contact_send(
        expert=expert,
        actor=member,
        subject="<b>Interview</b> request",
        body='Hello <script>alert(1)</script><a href="javascript:x">click</a> &amp; bye',
    )
    email = OutboundEmail.objects.get(template="observatory/contact")
    assert email.to == [ADDRESS]
    assert email.reply_to == [member.email]
    assert "Subject: Interview request" in email.body_text
    assert "<" not in email.body_text.split("Subject:")[1]
    assert "Hello click & bye" in email.body_text
    message = ContactMessage.objects.get()
    assert (message.sender, message.expert, message.body) == (member, expert, "Hello click & bye")


def test_the_relay_is_for_signed_in_readers(client, editor, chief):
    expert = _listed(editor, chief)
    response = client.post(
        f"/observatory/experts/{expert.slug}/contact/", {"subject": "Hi", "body": "Hello"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert ContactMessage.objects.count() == 0


def test_the_relay_rate_limits_per_hour_and_per_day(settings, editor, chief, member):
    settings.OBSERVATORY_CONTACT_PER_HOUR = 2
    settings.OBSERVATORY_CONTACT_PER_DAY = 3
    expert = _listed(editor, chief)
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

    def send():
        services.contact_send(expert=expert, actor=member, subject="Hi", body="Hello")

    with time_machine.travel(start, tick=False):
        send()
        send()
        with pytest.raises(PortalError) as error:
            send()
        assert error.value.code == "rate_limited"
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        send()
        with pytest.raises(PortalError):
            send()  # the daily limit of 3
    with time_machine.travel(start + timedelta(hours=25), tick=False):
        send()
    assert ContactMessage.objects.count() == 4
    # Another reader has their own allowance.
    with time_machine.travel(start, tick=False):
        services.contact_send(expert=expert, actor=UserFactory(), subject="Hi", body="Hello")


def test_the_relay_page_shows_the_rate_limit_beside_the_form(
    client, settings, editor, chief, member
):
    settings.OBSERVATORY_CONTACT_PER_HOUR = 1
    expert = _listed(editor, chief)
    client.force_login(member)
    url = f"/observatory/experts/{expert.slug}/contact/"
    assert client.post(url, {"subject": "Hi", "body": "Hello"}).status_code == 302
    response = client.post(url, {"subject": "Again", "body": "Keep this text"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "as many messages as we allow" in html
    assert "Keep this text" in html


@pytest.mark.parametrize("closed", ["contact_off", "hidden", "pending"])
def test_the_relay_refuses_experts_who_take_no_messages(editor, chief, member, closed):
    owner = UserFactory()
    expert = services.expert_create(
        actor=owner, data=_data(accepts_contact=closed != "contact_off"), for_self=True
    )
    if closed != "pending":
        services.expert_approve(expert=expert, actor=chief)
    if closed == "hidden":
        services.expert_set_hidden(expert=expert, actor=owner, hidden=True)
    with pytest.raises(PortalError) as error:
        services.contact_send(expert=expert, actor=member, subject="Hi", body="Hello")
    assert error.value.code == "closed"
    assert OutboundEmail.objects.filter(template="observatory/contact").count() == 0


def test_nobody_writes_to_themselves_and_empty_messages_are_refused(editor, chief, member):
    owner = UserFactory()
    expert = services.expert_create(actor=owner, data=_data(), for_self=True)
    services.expert_approve(expert=expert, actor=chief)
    with pytest.raises(PermissionDenied):
        services.contact_send(expert=expert, actor=owner, subject="Hi", body="Hello")
    with pytest.raises(PortalError) as error:
        services.contact_send(expert=expert, actor=member, subject="Hi", body="<b></b>  ")
    assert error.value.field == "body"


def test_pages_matrix(client, people, editor, chief):
    expert = _listed(editor, chief)
    rows = [
        Access("get", "/observatory/experts/", "anonymous", 200),
        Access("get", expert.get_absolute_url(), "anonymous", 200),
        Access("get", "/observatory/experts/me/", "anonymous", 302),
        Access("get", "/observatory/experts/me/", "member", 200),
        Access("get", "/observatory/manage/experts/", "observatory-editor", 200),
        Access("get", "/observatory/manage/experts/new/", "editor-in-chief", 200),
        *[
            Access("get", url, who, 403)
            for url in (
                "/observatory/manage/experts/",
                f"/observatory/manage/experts/{expert.pk}/edit/",
            )
            for who in ("member", "staff", "superuser")
        ],
    ]
    check_matrix(client, people, rows)
