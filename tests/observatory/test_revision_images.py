"""Revisions keep their hero image: the preview shows the image as it was, and the diff shows
the image, its description and its caption changing."""

import pytest
from reversion.models import Version

from observatory import services

from .conftest import png_upload

pytestmark = pytest.mark.django_db


def _data(**changes):
    data = {
        "kind": "analysis",
        "title": "Synthetic voices in radio",
        "standfirst": "What broadcasters disclose.",
        "body": "Listeners deserve to know.",
        "language": "en",
        "hero_alt": "A radio studio",
        "hero_caption": "Studio 4, 2024",
    }
    data.update(changes)
    return data


def _revision_page(client, item, version):
    response = client.get(f"/observatory/manage/{item.pk}/history/{version.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_revision_previews_its_own_hero_image_and_the_diff_shows_the_change(
    client, author, editor
):
    item = services.content_create(actor=author, data=_data(), hero_image=png_upload("studio.png"))
    first_image = item.hero_image.url
    services.content_update(
        item=item,
        actor=editor,
        data={"hero_alt": "A newsroom at night", "hero_caption": "Newsroom, 2025"},
        hero_image=png_upload("newsroom.png", size=(80, 40)),
    )
    item.refresh_from_db()
    second_image = item.hero_image.url
    assert second_image != first_image
    latest, first = Version.objects.get_for_object(item)[:2]
    client.force_login(editor)

    page = _revision_page(client, item, first)
    # The first revision's preview shows the first image with its description and caption.
    assert f'<img src="{first_image}" alt="A radio studio"' in page
    assert "Studio 4, 2024" in page
    assert second_image not in page

    page = _revision_page(client, item, latest)
    assert f'<img src="{second_image}" alt="A newsroom at night"' in page
    # The diff against the revision before: the image (both shown), its alt text and caption.
    assert f'<img src="{first_image}" alt="The hero image before"' in page
    assert f'<img src="{second_image}" alt="The hero image after"' in page
    assert "- A radio studio" in page
    assert "+ A newsroom at night" in page
    assert "- Studio 4, 2024" in page
    assert "+ Newsroom, 2025" in page


def test_removing_the_image_shows_in_the_diff_and_restore_brings_it_back(client, author, editor):
    item = services.content_create(actor=author, data=_data(), hero_image=png_upload())
    image = item.hero_image.url
    first = Version.objects.get_for_object(item).get()
    services.content_update(item=item, actor=editor, data={"hero_alt": ""}, clear_hero_image=True)
    latest = Version.objects.get_for_object(item)[0]
    client.force_login(editor)
    page = _revision_page(client, item, latest)
    assert f'<img src="{image}" alt="The hero image before"' in page
    assert "No image" in page
    services.content_restore(item=item, actor=editor, version_id=first.pk)
    item.refresh_from_db()
    assert item.hero_image.url == image
    assert item.hero_alt == "A radio studio"


def test_a_contributor_does_not_see_revision_previews(client, author):
    item = services.content_create(actor=author, data=_data(), hero_image=png_upload())
    version = Version.objects.get_for_object(item).get()
    client.force_login(author)
    assert client.get(f"/observatory/manage/{item.pk}/history/{version.pk}/").status_code == 403
