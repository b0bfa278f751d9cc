"""The video chooser modal on film and funding pages: own videos for creators, all for staff."""

import json

import pytest
from django.urls import reverse

from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos.models import Video, VideoStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def videos():
    alice, bob = CreatorFactory(), CreatorFactory()
    return (
        alice,
        bob,
        Video.objects.create(title="Alice night shoot", owner=alice, status=VideoStatus.READY, duration=754),
        Video.objects.create(title="Alice rough cut", owner=alice, status=VideoStatus.PROCESSING, progress=40),
        Video.objects.create(title="Bob night shoot", owner=bob, status=VideoStatus.READY, duration=60),
    )


def modal_html(response):
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def test_creator_is_offered_only_their_own_videos_with_status_and_length(client, videos):
    alice, bob, ready, processing, bobs = videos
    client.force_login(alice)
    html = modal_html(client.get(reverse("video_chooser:choose")))
    assert "Alice night shoot" in html and "Alice rough cut" in html
    assert "Bob night shoot" not in html
    assert "12:34" in html and "40%" in html


@pytest.mark.wagtail_indexes
def test_search_in_the_chooser_stays_within_the_creators_videos(client, videos):
    alice, *_ = videos
    client.force_login(alice)
    response = client.get(reverse("video_chooser:choose_results"), {"q": "night"})
    html = response.content.decode()
    assert "Alice night shoot" in html and "Bob night shoot" not in html and "rough cut" not in html


def test_choosing_another_creators_video_by_id_is_not_found(client, videos):
    alice, bob, ready, processing, bobs = videos
    client.force_login(alice)
    assert client.get(reverse("video_chooser:chosen", args=[bobs.pk])).status_code == 404
    chosen = json.loads(client.get(reverse("video_chooser:chosen", args=[ready.pk])).content)
    assert chosen["step"] == "chosen" and chosen["result"]["id"] == str(ready.pk)
    assert chosen["result"]["title"] == "Alice night shoot"


def test_staff_see_every_video_with_its_owner(client, videos):
    client.force_login(StaffUserFactory())
    html = modal_html(client.get(reverse("video_chooser:choose")))
    assert "Alice night shoot" in html and "Bob night shoot" in html and "Owner" in html


def test_members_without_admin_access_cannot_open_the_chooser(client, videos):
    client.force_login(UserFactory())
    assert client.get(reverse("video_chooser:choose")).status_code in (302, 403)
    client.logout()
    assert client.get(reverse("video_chooser:choose")).status_code == 302


def test_page_editor_uses_the_chooser_widget(client, videos):
    from films.tests.factories import FilmPageFactory

    alice, bob, ready, processing, bobs = videos
    film = FilmPageFactory(owner=alice, main_video=ready)
    client.force_login(StaffUserFactory())
    html = client.get(reverse("wagtailadmin_pages:edit", args=[film.pk])).content.decode()
    assert reverse("video_chooser:choose") in html
    assert "Choose another video" in html or "Alice night shoot" in html
