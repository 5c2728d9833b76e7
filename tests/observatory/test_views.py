import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.urls import reverse
from reversion.models import Version

from observatory import services
from observatory.enums import ContentKind, ContentStatus
from observatory.models import ContentItem
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

from .conftest import png_upload
from .factories import ContentItemFactory, topic

pytestmark = pytest.mark.django_db
S = ContentStatus
HIDDEN_STATES = [s for s in S if s != S.PUBLISHED]


def _hidden_and_published():
    hidden = {
        state: ContentItemFactory(status=state, title=f"Hidden {state.value} piece")
        for state in HIDDEN_STATES
    }
    published = ContentItemFactory(status=S.PUBLISHED, title="Visible published piece")
    return hidden, published


# --- Nothing unpublished leaks, surface by surface ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/observatory/",
        "/observatory/content/",
        "/observatory/content/?q=piece",
        "/observatory/feed/",
        "/observatory/feed/atom/",
        "/observatory/feed/topics/policy-legislation/",
        "/observatory/sitemap.xml",
        "/search/?q=piece",
        "/api/v1/observatory/content/",
        "/api/v1/observatory/content/?search=piece",
    ],
)
def test_no_unpublished_piece_appears_on_a_public_surface(client, url):
    hidden, published = _hidden_and_published()
    for item in [*hidden.values(), published]:
        item.topics.set([topic("policy-legislation")])
    text = client.get(url).content.decode()
    assert published.title in text or published.slug in text
    for state, item in hidden.items():
        assert item.title not in text, state
        assert item.slug not in text, state


@pytest.mark.parametrize("state", HIDDEN_STATES)
@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "superuser"])
def test_an_unpublished_piece_is_not_found_by_its_address(client, api_client, people, state, who):
    item = ContentItemFactory(status=state)
    if people[who] is not None:
        client.force_login(people[who])
        api_client.force_authenticate(people[who])
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(reverse("observatory:manage_item", args=[item.pk])).status_code in (
        302,
        404,
    )
    assert client.get(reverse("observatory:history", args=[item.pk])).status_code in (302, 404)
    assert api_client.get(f"/api/v1/observatory/content/{item.slug}/").status_code == 404


def test_a_published_then_unpublished_piece_disappears_everywhere(client, chief):
    item = ContentItemFactory(status=S.PUBLISHED)
    assert client.get(item.get_absolute_url()).status_code == 200
    services.content_transition(item=item, actor=chief, target=S.UNPUBLISHED)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert item.title not in client.get("/observatory/feed/").content.decode()
    assert client.get(f"/api/v1/observatory/content/{item.slug}/").status_code == 404


# --- Public pages ------------------------------------------------------------------------------


def test_detail_has_open_graph_and_article_json_ld(client):
    item = ContentItemFactory(status=S.PUBLISHED, seo_title="Deepfakes: a newsroom guide")
    item.topics.set([topic("social-ethical-ai")])
    response = client.get(item.get_absolute_url())
    html = response.content.decode()
    assert '<meta property="og:title" content="Deepfakes: a newsroom guide">' in html
    assert '<meta property="og:type" content="article">' in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Article"
    assert data["headline"] == item.title
    assert data["author"] == [{"@type": "Person", "name": item.created_by.display_name}]
    assert data["about"] == ["Social & Ethical AI"]


def test_json_ld_cannot_be_closed_by_a_title(client):
    item = ContentItemFactory(status=S.PUBLISHED, title="</script><script>alert(1)</script>")
    html = client.get(item.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(match.group(1))["headline"] == "</script><script>alert(1)</script>"


def test_list_filters_by_topic_kind_and_full_text(client):
    a = ContentItemFactory(
        status=S.PUBLISHED, title="Watermarks that survive re-encoding", kind=ContentKind.NEWS
    )
    a.topics.set([topic("research-innovation")])
    b = ContentItemFactory(status=S.PUBLISHED, title="Licensing deals with publishers")
    b.topics.set([topic("media-industry-business")])
    by_topic = client.get("/observatory/content/?topic=research-innovation")
    assert list(by_topic.context["page"].object_list) == [a]
    assert list(client.get("/observatory/content/?kind=news").context["page"].object_list) == [a]
    # Stemmed, prefix search: "watermark" finds "Watermarks", "licens" finds "Licensing".
    assert list(client.get("/observatory/content/?q=watermark").context["page"].object_list) == [a]
    assert list(client.get("/observatory/content/?q=licens").context["page"].object_list) == [b]


def test_feeds_parse_and_list_the_published_newest_first(client):
    old = ContentItemFactory(status=S.PUBLISHED, title="Older")
    new = ContentItemFactory(status=S.PUBLISHED, title="Newer")
    ContentItem.objects.filter(pk=old.pk).update(published_at=datetime(2026, 1, 1, tzinfo=UTC))
    ContentItem.objects.filter(pk=new.pk).update(published_at=datetime(2026, 2, 1, tzinfo=UTC))
    for url in ("/observatory/feed/", "/observatory/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, url
        assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
        assert feed.entries[0].link.endswith(new.get_absolute_url())


def test_topic_feed_lists_that_topic_only_and_unknown_topic_is_404(client):
    policy = ContentItemFactory(status=S.PUBLISHED, title="Policy piece")
    policy.topics.set([topic("policy-legislation")])
    ContentItemFactory(status=S.PUBLISHED, title="Other piece")
    feed = feedparser.parse(client.get("/observatory/feed/topics/policy-legislation/").content)
    assert [entry.title for entry in feed.entries] == ["Policy piece"]
    assert client.get("/observatory/feed/topics/nope/").status_code == 404


def test_sitemap_lists_published_pieces(client):
    item = ContentItemFactory(status=S.PUBLISHED)
    text = client.get("/observatory/sitemap.xml").content.decode()
    assert item.get_absolute_url() in text


@pytest.mark.parametrize(
    "url", ["/observatory/", "/observatory/content/", "/observatory/content/?q=deepfakes"]
)
def test_public_lists_run_a_constant_number_of_queries(client, url):
    def add():
        item = ContentItemFactory(status=S.PUBLISHED, featured=True)
        item.topics.set([topic("policy-legislation")])
        item.credits.create(user=UserFactory(), position=1)

    assert_constant_queries(client, url, add)


def test_feed_runs_a_constant_number_of_queries(client):
    client.get("/observatory/feed/")  # the Sites framework caches the current site
    assert_constant_queries(
        client, "/observatory/feed/", lambda: ContentItemFactory(status=S.PUBLISHED)
    )


# --- Writing -----------------------------------------------------------------------------------


def _form(**changes):
    data = {
        "kind": "analysis",
        "title": "Newsroom AI guidelines compared",
        "slug": "",
        "standfirst": "Forty guidelines, read side by side.",
        "body": "Most mention **transparency**.",
        "language": "en",
        "topics": [topic("media-industry-business").pk],
        "tags": "guidelines, transparency",
        "hero_alt": "",
        "hero_caption": "",
        "video_url": "",
        "source_url": "",
        "seo_title": "",
        "seo_description": "",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_sign_in_to_write(client):
    response = client.get("/observatory/write/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_writes_a_draft(client, member):
    client.force_login(member)
    response = client.post("/observatory/write/", _form())
    item = ContentItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("observatory:manage_item", args=[item.pk])
    assert item.status == S.DRAFT
    assert item.created_by == member
    assert Version.objects.get_for_object(item).count() == 1


def test_an_image_without_alt_text_is_refused_beside_the_field_and_nothing_is_lost(client, member):
    client.force_login(member)
    response = client.post("/observatory/write/", {**_form(), "hero_image": png_upload()})
    assert response.status_code == 422
    assert response.context["form"].errors["hero_alt"] == [
        "Describe the image for people who cannot see it."
    ]
    html = response.content.decode()
    assert "Newsroom AI guidelines compared" in html
    assert "Forty guidelines, read side by side." in html
    assert ContentItem.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message_start"),
    [
        (("hero.png", b"%PDF-1.4 not an image"), "This file is not an image"),
        (
            (
                "hero.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            ),
            "SVG images are not accepted",
        ),
    ],
)
def test_a_wrong_file_is_refused_beside_the_field(client, member, upload, message_start):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(member)
    file = SimpleUploadedFile(upload[0], upload[1], content_type="image/png")
    response = client.post("/observatory/write/", {**_form(hero_alt="A chart"), "hero_image": file})
    assert response.status_code == 422
    assert response.context["form"].errors["hero_image"][0].startswith(message_start)


def test_an_oversized_image_is_refused(client, member, settings):
    client.force_login(member)
    response = client.post(
        "/observatory/write/",
        {**_form(hero_alt="Big"), "hero_image": png_upload(size=(4100, 10))},
    )
    assert response.status_code == 422
    assert "4096" in response.context["form"].errors["hero_image"][0]


@pytest.mark.parametrize("field", ["video_url", "source_url"])
def test_a_bad_url_is_refused_beside_the_field(client, member, field):
    client.force_login(member)
    response = client.post("/observatory/write/", _form(**{field: "javascript:alert(1)"}))
    assert response.status_code == 422
    assert field in response.context["form"].errors


def test_a_taken_slug_is_refused_beside_the_field(client, member):
    ContentItemFactory(slug="taken")
    client.force_login(member)
    response = client.post("/observatory/write/", _form(slug="taken"))
    assert response.status_code == 422
    assert response.context["form"].errors["slug"] == ["Another piece already has this address."]


def test_a_contributor_cannot_open_anothers_draft(client, member):
    item = ContentItemFactory(status=S.DRAFT)
    client.force_login(member)
    assert client.get(reverse("observatory:manage_item", args=[item.pk])).status_code == 404
    assert client.get(reverse("observatory:edit", args=[item.pk])).status_code == 404
    response = client.post(reverse("observatory:move", args=[item.pk, "in-review"]))
    assert response.status_code == 404
    assert ContentItem.objects.get(pk=item.pk).status == S.DRAFT


def test_mine_lists_my_pieces_only(client, author):
    mine = ContentItemFactory(created_by=author)
    ContentItemFactory()
    client.force_login(author)
    response = client.get("/observatory/mine/")
    assert list(response.context["page"].object_list) == [mine]


def test_mine_runs_a_constant_number_of_queries(client, author):
    client.force_login(author)
    assert_constant_queries(
        client, "/observatory/mine/", lambda: ContentItemFactory(created_by=author)
    )


# --- The editorial pages -----------------------------------------------------------------------


def test_request_changes_without_a_comment_shows_the_error_beside_it(client, editor):
    item = ContentItemFactory(status=S.IN_REVIEW)
    client.force_login(editor)
    response = client.post(
        reverse("observatory:move", args=[item.pk, "changes-requested"]), {"message": ""}
    )
    assert response.status_code == 422
    assert "Say what should change" in response.content.decode()
    assert ContentItem.objects.get(pk=item.pk).status == S.IN_REVIEW


def test_schedule_form_shows_the_timezone_and_reads_brussels_time(client, chief):
    item = ContentItemFactory(status=S.APPROVED)
    client.force_login(chief)
    page = client.get(reverse("observatory:manage_item", args=[item.pk])).content.decode()
    assert "In Europe/Brussels time" in page
    response = client.post(
        reverse("observatory:move", args=[item.pk, "scheduled"]),
        {"go_live_at": "2099-07-01T09:30"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.SCHEDULED
    # 09:30 in Brussels in summer is 07:30 UTC.
    assert item.go_live_at == datetime(2099, 7, 1, 7, 30, tzinfo=UTC)


def test_a_past_go_live_time_is_refused_beside_the_field(client, chief):
    item = ContentItemFactory(status=S.APPROVED)
    client.force_login(chief)
    response = client.post(
        reverse("observatory:move", args=[item.pk, "scheduled"]),
        {"go_live_at": "2001-01-01T09:30"},
    )
    assert response.status_code == 422
    assert "must be in the future" in response.content.decode()


def test_dashboard_flags_overdue_scheduled_pieces_first(client, editor):
    ContentItemFactory(status=S.IN_REVIEW, title="Waiting for review")
    overdue = ContentItemFactory(status=S.SCHEDULED, title="Should be live")
    ContentItem.objects.filter(pk=overdue.pk).update(
        go_live_at=datetime.now(UTC) - timedelta(minutes=5)
    )
    client.force_login(editor)
    response = client.get("/observatory/manage/")
    items = list(response.context["page"].object_list)
    assert items[0] == overdue
    assert items[0].overdue is True
    assert "Overdue: its time has passed and it is not published" in response.content.decode()


def test_dashboard_is_for_the_editorial_team(client, member):
    client.force_login(member)
    assert client.get("/observatory/manage/").status_code == 403


def test_dashboard_runs_a_constant_number_of_queries(client, editor):
    client.force_login(editor)

    def add():
        item = ContentItemFactory(status=S.IN_REVIEW)
        services.content_claim(item=item, actor=editor)

    assert_constant_queries(client, "/observatory/manage/", add)


def test_history_diff_and_restore_through_the_pages(client, author, editor, chief):
    item = services.content_create(
        actor=author,
        data={
            "kind": "news",
            "title": "First title",
            "standfirst": "S",
            "body": "Line one",
            "language": "en",
        },
    )
    item.status = S.APPROVED
    item.save(update_fields=["status"])
    services.content_transition(item=item, actor=chief, target=S.PUBLISHED)
    services.content_update(item=item, actor=editor, data={"title": "Second title"})
    versions = list(Version.objects.get_for_object(item))
    client.force_login(editor)
    history = client.get(reverse("observatory:history", args=[item.pk]))
    assert [v.pk for v in history.context["versions"]] == [v.pk for v in versions]
    page = client.get(reverse("observatory:revision", args=[item.pk, versions[0].pk]))
    previous = page.context["diff_previous"]
    assert [(d.name, d.lines) for d in previous] == [
        ("title", [("-", "First title"), ("+", "Second title")])
    ]
    assert [(d.name, d.lines) for d in page.context["diff_published"]] == [
        ("title", [("-", "First title"), ("+", "Second title")])
    ]
    response = client.post(reverse("observatory:restore", args=[item.pk, versions[-1].pk]))
    assert response.status_code == 302
    assert ContentItem.objects.get(pk=item.pk).title == "First title"
    assert Version.objects.get_for_object(item).count() == 3


def test_revisions_are_for_the_editorial_team_only(client, author):
    item = ContentItemFactory(created_by=author)
    version = Version.objects.get_for_object(item).first()
    client.force_login(author)
    assert client.get(reverse("observatory:history", args=[item.pk])).status_code == 403
    url = reverse("observatory:revision", args=[item.pk, version.pk])
    assert client.get(url).status_code == 403


def test_a_revision_of_another_piece_is_not_found(client, editor):
    item = ContentItemFactory()
    other = ContentItemFactory()
    version = Version.objects.get_for_object(other).first()
    client.force_login(editor)
    assert (
        client.get(reverse("observatory:revision", args=[item.pk, version.pk])).status_code == 404
    )


def test_the_whole_journey(client, author, editor, chief):
    """A contributor drafts, an editor asks for changes, the contributor revises, the
    editor approves, the editor-in-chief schedules, the beat task publishes when due."""
    import time_machine

    client.force_login(author)
    client.post("/observatory/write/", _form())
    item = ContentItem.objects.get()
    client.post(reverse("observatory:move", args=[item.pk, "in-review"]))
    client.force_login(editor)
    client.post(reverse("observatory:claim", args=[item.pk]))
    client.post(
        reverse("observatory:move", args=[item.pk, "changes-requested"]),
        {"message": "Add the 2024 numbers."},
    )
    client.force_login(author)
    client.post(
        reverse("observatory:edit", args=[item.pk]), _form(body="Most mention transparency (2024).")
    )
    client.post(reverse("observatory:move", args=[item.pk, "in-review"]))
    client.force_login(editor)
    client.post(reverse("observatory:move", args=[item.pk, "approved"]))
    client.force_login(chief)
    client.post(
        reverse("observatory:move", args=[item.pk, "scheduled"]),
        {"go_live_at": "2099-03-01T08:00"},
    )
    item.refresh_from_db()
    assert item.status == S.SCHEDULED
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404
    with time_machine.travel(datetime(2099, 3, 1, 7, 0, tzinfo=UTC), tick=False):
        assert services.content_publish_due() == [item.pk]
    assert client.get(item.get_absolute_url()).status_code == 200
    assert item.title in client.get("/observatory/content/").content.decode()
    assert item.title in client.get("/observatory/feed/").content.decode()
    assert client.get(f"/api/v1/observatory/content/{item.slug}/").json()["title"] == item.title
    steps = list(item.status_changes.values_list("to_status", flat=True))
    assert steps == [
        "in-review",
        "changes-requested",
        "in-review",
        "approved",
        "scheduled",
        "published",
    ]
    assert Version.objects.get_for_object(item).count() == 2


def test_home_figure_counts_published_pieces_only():
    from observatory.home import figures

    ContentItemFactory(status=S.PUBLISHED)
    ContentItemFactory(status=S.SCHEDULED)
    ContentItemFactory(status=S.DRAFT)
    assert [figure.value for figure in figures()] == [1]


def test_site_search_finds_published_pieces(member):
    from observatory.search import search

    item = ContentItemFactory(status=S.PUBLISHED, title="Watermarks for broadcasters")
    ContentItemFactory(status=S.DRAFT, title="Watermarks draft")
    group = search("watermark", user=member, limit=5)
    assert [hit.url for hit in group.hits] == [item.get_absolute_url()]


def test_detail_shows_related_published_pieces_and_organisations_only(client, editor):
    from tests.network.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Deepwatch Analytics")
    item = ContentItemFactory(status=S.PUBLISHED)
    shown = ContentItemFactory(status=S.PUBLISHED, title="Related and published")
    hidden = [
        ContentItemFactory(status=state, title=f"Related {state.value}") for state in HIDDEN_STATES
    ]
    services.content_update(
        item=item,
        actor=editor,
        data={},
        related_items=[shown, *hidden],
        related_organisations=[organisation],
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "Related and published" in html
    assert "Deepwatch Analytics" in html
    for other in hidden:
        assert other.title not in html
    version = Version.objects.get_for_object(item).first()
    assert sorted(version.field_dict["related_items"]) == sorted(o.pk for o in [shown, *hidden])


def test_an_organisation_page_lists_published_pieces_about_it(client, editor):
    from tests.network.factories import OrganisationFactory

    organisation = OrganisationFactory()
    published = ContentItemFactory(status=S.PUBLISHED, title="About them, published")
    draft = ContentItemFactory(status=S.DRAFT, title="About them, draft")
    for item in (published, draft):
        item.related_organisations.set([organisation])
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "About them, published" in html
    assert "About them, draft" not in html


def test_the_form_offers_published_pieces_only_as_related(client, member):
    ContentItemFactory(status=S.PUBLISHED, title="Offered piece")
    ContentItemFactory(status=S.DRAFT, title="Not offered draft")
    client.force_login(member)
    html = client.get("/observatory/write/").content.decode()
    assert "Offered piece" in html
    assert "Not offered draft" not in html
