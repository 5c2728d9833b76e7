"""The Junior Fellows journey in a real browser: a fellow finds a host offer → applies jointly
→ the sender's and the host's supervisors confirm → the coordinator approves (the budget is
committed) → the fellow reports with an outcome → the testimonial is published."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from ai4media_portal.core.roles import Role
from fellows.models import Exchange, LedgerEntry
from tests.factories import PASSWORD, UserFactory
from tests.fellows.factories import OfferFactory, PeriodFactory, partner

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_fellows_journey_in_the_browser(page, request):
    fellow = UserFactory(email="phoebe@lab.example.org", full_name="Phoebe Fellow")
    sender_supervisor = UserFactory(email="stefan@lab.example.org", full_name="Stefan Sender")
    coordinator = UserFactory(email="fiona@example.org", roles=[Role.FELLOWS_COORDINATOR])
    sender = partner(name="Hellenic Media Lab", country="GR")
    offer = OfferFactory(title="Deepfake detection at the host lab", modes=["physical"])
    host_supervisor = offer.supervisor
    host_supervisor.set_password(PASSWORD)
    host_supervisor.save()
    PeriodFactory(amount=Decimal("10000"))
    page.on("dialog", lambda dialog: dialog.accept())

    # The fellow finds the offer and applies jointly; a too-long stay is refused beside the
    # end date, with nothing typed lost.
    sign_in(page, fellow, PASSWORD)
    page.goto("/fellows/offers/?q=deepfake")
    page.get_by_role("link", name="Deepfake detection at the host lab").click()
    page.get_by_role("link", name="Apply jointly for this offer").click()
    page.locator("#id_sender").select_option(str(sender.pk))
    page.locator("#id_sender_supervisor_email").fill(sender_supervisor.email)
    page.locator("#id_host_supervisor_email").fill(host_supervisor.email)
    page.locator("#id_mode").select_option("physical")
    page.locator("#id_start_date").fill("2027-03-01")
    page.locator("#id_end_date").fill("2027-07-15")
    page.locator("#id_research_plan").fill("Detecting deepfakes in broadcast archives.")
    page.locator("#id_expected_outcomes").fill("A joint paper.")
    page.locator("#id_travel_amount").fill("800")
    page.locator("#id_subsistence_monthly").fill("1500")
    page.locator("#id_subsistence_months").fill("2")
    page.get_by_role("button", name="Save and submit").click()
    assert "at most three months" in page.locator("#id_end_date_error").inner_text()
    assert page.locator("#id_research_plan").input_value() == (
        "Detecting deepfakes in broadcast archives."
    )
    page.locator("#id_end_date").fill("2027-04-30")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url("**/fellows/exchanges/*/")
    exchange = Exchange.objects.get()
    assert exchange.status == "submitted"

    # Both supervisors confirm through their own accounts.
    for supervisor in [host_supervisor, sender_supervisor]:
        sign_in(page, supervisor, PASSWORD)
        page.goto(f"/fellows/exchanges/{exchange.pk}/")
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_load_state()
    exchange.refresh_from_db()
    assert exchange.status == "confirmed"

    # The coordinator approves: the requested 3800 euros are committed.
    sign_in(page, coordinator, PASSWORD)
    page.goto("/fellows/manage/exchanges/?status=confirmed")
    page.get_by_role("link", name=exchange.title).click()
    page.get_by_role("button", name="Approve and commit the budget").click()
    page.wait_for_load_state()
    exchange.refresh_from_db()
    assert exchange.status == "approved"
    assert LedgerEntry.objects.get().amount == Decimal("3800")

    # Months later, the fellow says the exchange began and ended (not before its dates),
    # reports with an outcome and writes a testimonial.
    after_the_end = datetime.datetime.combine(
        exchange.end_date + datetime.timedelta(days=1), datetime.time(10), tzinfo=datetime.UTC
    )
    traveller = time_machine.travel(after_the_end, tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)
    sign_in(page, fellow, PASSWORD)
    page.goto(f"/fellows/exchanges/{exchange.pk}/")
    page.get_by_role("button", name="The exchange has started").click()
    page.get_by_role("button", name="The exchange is over").click()
    page.locator("#id_report-summary").fill("Two months of joint work.")
    page.locator("#id_report-achievements").fill("A paper and a dataset.")
    page.locator("#id_report-outcome_1_kind").select_option("paper")
    page.locator("#id_report-outcome_1_title").fill("Deepfakes in archives")
    page.locator("#id_report-outcome_1_url").fill("https://example.org/paper")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    page.locator("#id_testimonial-text").fill("Two months that changed my research.")
    page.get_by_role("button", name="Send the testimonial").click()
    page.wait_for_load_state()
    exchange.refresh_from_db()
    assert exchange.status == "report-submitted"

    # The coordinator publishes the testimonial; everyone reads it.
    sign_in(page, coordinator, PASSWORD)
    page.goto(f"/fellows/exchanges/{exchange.pk}/")
    page.get_by_role("button", name="Publish the testimonial").click()
    page.wait_for_load_state()
    page.context.clear_cookies()
    page.goto("/fellows/testimonials/")
    assert "Two months that changed my research." in page.content()
    page.goto(f"/fellows/completed/{exchange.pk}/")
    assert "Deepfakes in archives" in page.content()
    assert page.external_requests == []
    assert page.console_errors == []
