"""The video series in a real browser: nothing is fetched from the video platform until the
reader clicks Play; then the privacy-enhanced player is framed, as the page's policy allows."""

import pytest

from observatory.enums import ContentKind, ContentStatus
from tests.observatory.factories import ContentItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_player_loads_only_after_the_click(page):
    item = ContentItemFactory(
        status=ContentStatus.PUBLISHED,
        kind=ContentKind.INTERVIEW_VIDEO,
        title="Let's Talk AI and Media: newsroom assistants",
        video_url="https://vimeo.com/76979871",
    )
    # The platform is not reached from the test machine: answer for it, and count the calls.
    page.route(
        "https://player.vimeo.com/**",
        lambda route: route.fulfill(body="<p>player</p>", content_type="text/html"),
    )
    page.goto(item.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0
    assert page.external_requests == []
    assert page.get_by_role("link", name="Watch it on Vimeo").get_attribute("href") == (
        "https://vimeo.com/76979871"
    )

    page.get_by_role("button", name="Play the video from Vimeo").click()
    frame = page.locator("iframe.observatory-video-frame")
    frame.wait_for()
    assert frame.get_attribute("src") == "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"
    assert frame.get_attribute("title") == "Let's Talk AI and Media: newsroom assistants"
    page.wait_for_load_state("networkidle")
    assert page.external_requests == ["https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"]
    # The policy let the frame load (a refused frame logs a console error).
    assert page.console_errors == []
