"""The editorial journey in a real browser: a contributor drafts → an editor requests
changes → the contributor revises → the editor approves → the editor-in-chief schedules →
the beat task publishes it when due → it is in the list, the feed and the API."""

from datetime import UTC, datetime

import pytest

from ai4media_portal.core.roles import Role
from observatory import services
from observatory.models import ContentItem
from tests.factories import PASSWORD, UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_editorial_journey_in_the_browser(page):
    contributor = UserFactory(email="carla@example.org", full_name="Carla Contributor")
    editor = UserFactory(email="eddie@example.org", roles=[Role.OBSERVATORY_EDITOR])
    chief = UserFactory(email="chris@example.org", roles=[Role.EDITOR_IN_CHIEF])

    # The contributor drafts; an image without alt text is refused, nothing typed is lost.
    sign_in(page, contributor, PASSWORD)
    page.goto("/observatory/write/")
    page.locator("#id_kind").select_option("analysis")
    page.locator("#id_title").fill("Newsroom AI guidelines compared")
    page.locator("#id_standfirst").fill("Forty guidelines, read side by side.")
    page.locator("#id_body").fill("Most mention **transparency**.")
    page.get_by_label("Media Industry & Business").check()
    page.locator("#id_source_url").fill("not a link")
    page.get_by_role("button", name="Save").click()
    assert page.locator("#id_title").input_value() == "Newsroom AI guidelines compared"
    assert page.get_by_label("Media Industry & Business").is_checked()
    page.locator("#id_source_url").fill("https://guidelines.example.org")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/observatory/manage/*/")
    item = ContentItem.objects.get()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()

    # The editor claims it and asks for changes.
    sign_in(page, editor, PASSWORD)
    page.goto("/observatory/manage/")
    page.get_by_role("link", name="Newsroom AI guidelines compared").click()
    page.get_by_role("button", name="Claim").click()
    page.wait_for_load_state()
    assert "Claimed by" in page.content()
    page.locator("#id_message").fill("Add the 2024 numbers.")
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.status == "changes-requested"

    # The contributor reads the comment, revises and sends it back.
    sign_in(page, contributor, PASSWORD)
    page.goto(f"/observatory/manage/{item.pk}/")
    assert "Add the 2024 numbers." in page.content()
    page.get_by_role("link", name="Edit").click()
    page.locator("#id_body").fill("Most mention **transparency** (2024: 31 of 40).")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/observatory/manage/{item.pk}/")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()

    # The editor approves; the editor-in-chief schedules it, the timezone beside the input.
    sign_in(page, editor, PASSWORD)
    page.goto(f"/observatory/manage/{item.pk}/")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    sign_in(page, chief, PASSWORD)
    page.goto(f"/observatory/manage/{item.pk}/")
    assert "In Europe/Brussels time" in page.content()
    page.locator("#id_go_live_at").fill("2099-03-01T08:00")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.status == "scheduled"
    assert item.go_live_at == datetime(2099, 3, 1, 7, 0, tzinfo=UTC)

    # Not public until due; then the beat task publishes it.
    page.context.clear_cookies()
    assert "Newsroom AI guidelines compared" not in page.goto("/observatory/content/").text()
    assert services.content_publish_due(now=datetime(2099, 3, 1, 7, 0, tzinfo=UTC)) == [item.pk]
    page.goto("/observatory/content/")
    page.get_by_role("link", name="Newsroom AI guidelines compared").click()
    assert "(2024: 31 of 40)" in page.content()
    assert "Newsroom AI guidelines compared" in page.goto("/observatory/feed/").text()
    assert "Newsroom AI guidelines compared" in page.goto("/api/v1/observatory/content/").text()
