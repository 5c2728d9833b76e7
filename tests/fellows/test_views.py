"""The fellows pages end to end: forms keep what was typed and show each error beside its
field, the journey through the pages, conversations without email addresses, testimonials
published after approval, and constant query counts for every list."""

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ai4media_portal.core.models import OutboundEmail
from fellows.enums import ExchangeStatus, LedgerKind
from fellows.enums import TestimonialStatus as Published
from fellows.models import Exchange, LedgerEntry, Message
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

from .factories import ExchangeFactory, OfferFactory, PeriodFactory, associate, partner

pytestmark = pytest.mark.django_db
S = ExchangeStatus


def application(sender, host, sender_supervisor, host_supervisor, **changes) -> dict:
    return {
        "title": "Forensics at the host",
        "sender": sender.pk,
        "sender_supervisor_email": sender_supervisor.email,
        "host": host.pk,
        "host_supervisor_email": host_supervisor.email,
        "mode": "physical",
        "start_date": "2027-03-01",
        "end_date": "2027-04-30",
        "research_plan": "Deepfake detection.",
        "expected_outcomes": "A paper.",
        "travel_amount": "800",
        "subsistence_monthly": "1500",
        "subsistence_months": "2",
        "other_amount": "0",
        **changes,
    }


@pytest.fixture
def parties(db):
    return {
        "fellow": UserFactory(),
        "sender_supervisor": UserFactory(),
        "host_supervisor": UserFactory(),
        "sender": partner(),
        "host": associate(country="IT"),
    }


def post_application(client, parties, **changes):
    client.force_login(parties["fellow"])
    data = application(
        parties["sender"],
        parties["host"],
        parties["sender_supervisor"],
        parties["host_supervisor"],
        **changes,
    )
    return client.post("/fellows/exchanges/new/", {**data, "submit": "1"})


def test_rules_broken_on_submit_show_beside_their_fields_and_keep_what_was_typed(client, parties):
    response = post_application(
        client,
        parties,
        end_date="2027-07-15",
        travel_amount="2000",
        title="Kept title",
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "at most three months" in form.errors["end_date"][0]
    assert "cap" in form.errors["travel_amount"][0]
    assert form["title"].value() == "Kept title"
    assert b'role="alert"' in response.content  # the error summary
    # The draft is kept, not submitted; the form now saves that draft.
    draft = Exchange.objects.get()
    assert draft.status == S.DRAFT
    assert f'action="/fellows/exchanges/{draft.pk}/edit/"' in response.content.decode()


def test_negative_amount_and_same_organisation_refused_beside_the_field(client, parties):
    same = {**parties, "host": parties["sender"]}
    response = post_application(client, same, other_amount="-3")
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["other_amount"] == ["An amount cannot be negative."]
    assert not Exchange.objects.exists()
    response = post_application(client, same)
    assert "another organisation" in response.context["form"].errors["host"][0]


def test_neither_full_partner_refused_beside_the_sender(client, parties):
    parties["sender"] = associate()
    response = post_application(client, parties)
    assert "full partner" in response.context["form"].errors["sender"][0]


@time_machine.travel(date(2027, 3, 2), tick=False)
def test_a_physical_part_starting_in_the_past_is_refused_beside_the_start(client, parties):
    response = post_application(client, parties, title="Kept title", start_date="2027-03-01")
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["start_date"] == [
        "The physical part cannot start in the past: start on 2027-03-02 or later."
    ]
    assert (form["title"].value(), form["start_date"].value()) == ("Kept title", "2027-03-01")
    assert b'role="alert"' in response.content
    assert not Exchange.objects.exists()
    # Saving as a draft is refused the same way.
    data = application(
        parties["sender"],
        parties["host"],
        parties["sender_supervisor"],
        parties["host_supervisor"],
        start_date="2027-03-01",
    )
    assert client.post("/fellows/exchanges/new/", data).status_code == 422
    assert not Exchange.objects.exists()


@time_machine.travel(date(2027, 3, 2), tick=False)
def test_editing_the_start_into_the_past_is_refused_and_keeps_what_was_typed(client):
    exchange = ExchangeFactory(start_date=date(2027, 4, 1), end_date=date(2027, 5, 31))
    title = exchange.title
    client.force_login(exchange.fellow)
    form = client.get(f"/fellows/exchanges/{exchange.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(start_date="2027-02-01", title="A new title")
    response = client.post(f"/fellows/exchanges/{exchange.pk}/edit/", data)
    assert response.status_code == 422
    form = response.context["form"]
    assert "cannot start in the past" in form.errors["start_date"][0]
    assert (form["title"].value(), form["start_date"].value()) == ("A new title", "2027-02-01")
    exchange.refresh_from_db()
    assert (exchange.start_date, exchange.title) == (date(2027, 4, 1), title)


def test_the_form_answers_the_same_whether_or_not_a_supervisor_has_an_account(client, parties):
    newcomer = SimpleNamespace(email="newcomer@lab.example.org")  # no account
    answers = []
    for host_supervisor in (parties["host_supervisor"], newcomer):
        who = {**parties, "host_supervisor": host_supervisor}
        refused = post_application(client, who, travel_amount="2000", form_token=uuid.uuid4())
        saved = client.post(
            "/fellows/exchanges/new/",
            application(
                who["sender"],
                who["host"],
                who["sender_supervisor"],
                host_supervisor,
                form_token=uuid.uuid4(),
            ),
            follow=True,
        )
        answers.append(
            (
                refused.status_code,
                refused.context["form"].errors,
                saved.redirect_chain[0][1],
                [str(message) for message in saved.context["messages"]],
                host_supervisor.email in saved.content.decode(),
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][1].keys() == {"travel_amount"}
    assert answers[0][2:] == (302, ["Your draft is saved."], True)


def test_a_supervisor_without_an_account_is_asked_and_confirms_after_signing_up(client, parties):
    parties["host_supervisor"] = SimpleNamespace(email="Newcomer@Lab.example.org")
    assert post_application(client, parties).status_code == 302
    exchange = Exchange.objects.get()
    assert (exchange.status, exchange.host_supervisor) == (S.SUBMITTED, None)
    (request,) = OutboundEmail.objects.filter(
        to=["Newcomer@Lab.example.org"], template="fellows/confirm_request"
    )
    assert "Sign up with this email address" in request.body_text
    newcomer = UserFactory(email="newcomer@lab.example.org")
    client.force_login(newcomer)  # signing in links the account named by its address
    base = f"/fellows/exchanges/{exchange.pk}/"
    assert b"Confirm" in client.get(base).content
    assert client.post(base + "confirm/", {"version": 1}).status_code == 302
    exchange.refresh_from_db()
    assert (exchange.host_supervisor, exchange.host_confirmed) == (newcomer, True)


def test_the_journey_through_the_pages(client, parties):
    coordinator = UserFactory(roles=["fellows-coordinator"])
    PeriodFactory(amount=Decimal("5000"))
    response = post_application(client, parties)
    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert exchange.status == S.SUBMITTED
    assert exchange.beneficiary == "sender"
    base = f"/fellows/exchanges/{exchange.pk}/"
    for who in ["sender_supervisor", "host_supervisor"]:
        client.force_login(parties[who])
        page = client.get(base)
        assert b"Confirm" in page.content
        assert client.post(base + "confirm/", {"version": 1}).status_code == 302
        if who == "sender_supervisor":  # confirmed, waiting for the host: no second button
            page = client.get(base).content.decode()
            assert "data-confirmed" in page
            assert f"{base}confirm/" not in page
    client.force_login(coordinator)
    assert client.post(base + "approve/", {"approve-amount": ""}).status_code == 302
    exchange.refresh_from_db()
    assert exchange.status == S.APPROVED
    assert LedgerEntry.objects.get().amount == Decimal("3800")
    exchange.refresh_from_db()
    # The day after its physical part, the fellow says it began and ended.
    with time_machine.travel(exchange.end_date + timedelta(days=1), tick=False):
        client.force_login(parties["fellow"])
        client.post(base + "start/")
        client.post(base + "complete/")
    exchange.refresh_from_db()
    assert exchange.status == S.COMPLETED
    response = client.post(
        base + "report/",
        {
            "report-summary": "It went well.",
            "report-achievements": "A paper.",
            "report-outcome_1_kind": "paper",
            "report-outcome_1_title": "Our paper",
            "report-outcome_1_url": "https://example.org/paper",
        },
    )
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.status == S.REPORT_SUBMITTED
    assert exchange.outcomes.get().title == "Our paper"
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        base + "testimonial/", {"testimonial-text": "Great months.", "testimonial-photo": photo}
    )
    assert response.status_code == 302
    # Not public before approval.
    client.logout()
    assert b"Great months." not in client.get("/fellows/testimonials/").content
    testimonial = exchange.testimonial
    assert client.get(f"/fellows/testimonials/{testimonial.pk}/photo/").status_code == 404
    client.force_login(coordinator)
    client.post(base + "publish-testimonial/")
    testimonial.refresh_from_db()
    assert testimonial.status == Published.PUBLISHED
    client.logout()
    assert b"Great months." in client.get("/fellows/testimonials/").content
    assert client.get(f"/fellows/testimonials/{testimonial.pk}/photo/").status_code == 200
    assert b"Our paper" in client.get(f"/fellows/completed/{exchange.pk}/").content


def test_a_decline_shows_to_the_fellow(client, parties):
    post_application(client, parties)
    exchange = Exchange.objects.get()
    client.force_login(parties["host_supervisor"])
    response = client.post(f"/fellows/exchanges/{exchange.pk}/decline/", {"decline-reason": ""})
    assert response.status_code == 422
    assert response.context["decline_form"].errors["reason"]
    client.post(f"/fellows/exchanges/{exchange.pk}/decline/", {"decline-reason": "No room."})
    client.force_login(parties["fellow"])
    assert b"No room." in client.get(f"/fellows/exchanges/{exchange.pk}/").content


def test_approval_beyond_the_budget_is_refused_beside_the_amount(client):
    coordinator = UserFactory(roles=["fellows-coordinator"])
    PeriodFactory(amount=Decimal("100"))
    exchange = ExchangeFactory(status=S.CONFIRMED, beneficiary="sender")
    client.force_login(coordinator)
    response = client.post(f"/fellows/exchanges/{exchange.pk}/approve/", {"approve-amount": ""})
    assert response.status_code == 422
    assert "100.00 euros left" in response.context["approve_form"].errors["amount"][0]


def test_charging_a_period_that_does_not_cover_the_exchange_is_refused_beside_it(client):
    coordinator = UserFactory(roles=["fellows-coordinator"])
    PeriodFactory()  # 2027, covering the exchange's start on 1 March 2027
    other = PeriodFactory(name="2026", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    exchange = ExchangeFactory(status=S.CONFIRMED, beneficiary="sender")
    client.force_login(coordinator)
    response = client.post(
        f"/fellows/exchanges/{exchange.pk}/approve/",
        {"approve-amount": "3000", "approve-period": other.pk, "approve-message": "Typed."},
    )
    assert response.status_code == 422
    form = response.context["approve_form"]
    assert "does not cover the start" in form.errors["period"][0]
    assert (form["amount"].value(), form["message"].value()) == ("3000", "Typed.")
    exchange.refresh_from_db()
    assert (exchange.status, exchange.budget_period) == (S.CONFIRMED, None)
    assert not LedgerEntry.objects.exists()


def test_interest_opens_a_conversation_without_revealing_addresses(client):
    offer = OfferFactory()
    fellow = UserFactory()
    client.force_login(fellow)
    response = client.post(f"/fellows/offers/{offer.pk}/interest/", {"body": "I'd love to."})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.conversation.supervisor == offer.supervisor
    (email,) = OutboundEmail.objects.all()
    assert email.to == [offer.supervisor.email]
    assert fellow.email not in email.body_text
    page = client.get(response.url)
    assert offer.supervisor.email.encode() not in page.content
    client.force_login(offer.supervisor)
    page = client.get(response.url)
    assert fellow.email.encode() not in page.content
    client.post(response.url, {"body": "Welcome!"})
    assert Message.objects.count() == 2


def test_offer_search_and_filters(client):
    OfferFactory(title="Audio forensics", modes=["virtual"])
    OfferFactory(title="Video summarisation", modes=["physical"])
    content = client.get("/fellows/offers/?q=audio").content
    assert b"Audio forensics" in content
    assert b"Video summarisation" not in content
    content = client.get("/fellows/offers/?mode=physical").content
    assert b"Video summarisation" in content
    assert b"Audio forensics" not in content


def test_export_has_the_four_amounts_and_the_beneficiary(client):
    coordinator = UserFactory(roles=["fellows-coordinator"])
    ExchangeFactory(status=S.SUBMITTED, beneficiary="sender")
    client.force_login(coordinator)
    response = client.get("/fellows/manage/exchanges/export/")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    header = text.decode().splitlines()[0]
    for column in ["requested (EUR)", "approved (EUR)", "committed (EUR)", "paid (EUR)"]:
        assert column in header
    assert "beneficiary organisation" in header


# --- Constant query counts -----------------------------------------------------------------------


def test_public_lists_constant_queries(client):
    assert_constant_queries(client, "/fellows/offers/", lambda: OfferFactory())

    def completed_with_outcome():
        exchange = ExchangeFactory(status=S.CLOSED, start_date=date(2026, 3, 1))
        exchange.outcomes.create(kind="paper", title="P")

    assert_constant_queries(client, "/fellows/completed/", completed_with_outcome)
    assert_constant_queries(client, "/fellows/numbers/", completed_with_outcome)
    assert_constant_queries(client, "/fellows/", completed_with_outcome)


def test_coordinator_lists_constant_queries(client):
    coordinator = UserFactory(roles=["fellows-coordinator"])
    period = PeriodFactory()
    client.force_login(coordinator)

    def funded():
        exchange = ExchangeFactory(status=S.APPROVED, budget_period=period, approved_amount=1)
        LedgerEntry.objects.create(
            period=period, exchange=exchange, kind=LedgerKind.COMMITMENT, amount=1
        )

    assert_constant_queries(client, "/fellows/manage/exchanges/", funded)
    assert_constant_queries(client, "/fellows/manage/budget/", lambda: PeriodFactory())
    assert_constant_queries(client, f"/fellows/manage/budget/{period.pk}/", funded)


def test_my_exchanges_constant_queries(client):
    fellow = UserFactory()
    client.force_login(fellow)
    assert_constant_queries(client, "/fellows/exchanges/", lambda: ExchangeFactory(fellow=fellow))


def test_profile_testimonial_and_conversation_lists_constant_queries(client):
    from fellows import services
    from fellows.models import FellowProfile
    from fellows.models import Testimonial as Quote

    def profile():
        FellowProfile.objects.create(
            user=UserFactory(), career_stage="phd", home_organisation=partner(), interests="AI"
        )

    assert_constant_queries(client, "/fellows/fellows/", profile)

    def testimonial():
        Quote.objects.create(
            exchange=ExchangeFactory(status=S.CLOSED), text="Great", status="published"
        )

    assert_constant_queries(client, "/fellows/testimonials/", testimonial)
    fellow = UserFactory()
    client.force_login(fellow)
    assert_constant_queries(
        client,
        "/fellows/conversations/",
        lambda: services.interest_send(offer=OfferFactory(), actor=fellow, body="Hello"),
    )
