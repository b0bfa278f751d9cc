"""The watch page: who sees the film, who sees the trailer and the price, and that it is never cached."""

import json

import pytest
from django.urls import reverse

from films.tests.factories import FilmPageFactory
from members.tests.factories import StaffUserFactory, UserFactory
from videos.models import Video, VideoStatus
from videos.tests.helpers import ready_video
from videos.tests.media import make_clip
from watching.models import Entitlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("watch") / "clip.mp4", seconds=2)


@pytest.fixture
def paid_film(clip, django_capture_on_commit_callbacks):
    owner = UserFactory()
    main = ready_video(clip, owner=owner, capture=django_capture_on_commit_callbacks)
    trailer = ready_video(clip, owner=owner, capture=django_capture_on_commit_callbacks)
    return FilmPageFactory(title="Paid", slug="paid", price=5000, main_video=main, trailer=trailer, owner=owner)


def player_config(response):
    html = response.content.decode()
    start = html.index('<script id="player-config" type="application/json">') + len(
        '<script id="player-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_free_film_plays_for_everyone_and_is_never_cached(client, clip, django_capture_on_commit_callbacks):
    video = ready_video(clip, capture=django_capture_on_commit_callbacks)
    film = FilmPageFactory(title="Free", slug="free", price=0, main_video=video)
    response = client.get(reverse("watching:watch_film", args=["free"]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    config = player_config(response)
    assert config["video_id"] == video.pk and not config["is_trailer"]
    assert "/stream/" in config["master_url"]
    film_page = client.get(film.url)
    assert reverse("watching:watch_film", args=["free"]) in film_page.content.decode()
    # The anonymous page cache must not keep it: a second visit is rendered afresh (a new CSRF token).
    again = player_config(client.get(reverse("watching:watch_film", args=["free"])))
    assert again["video_id"] == video.pk
    assert client.get(reverse("watching:watch_film", args=["free"])).get("X-Page-Cache") != "hit"


def test_paid_film_shows_trailer_and_price_without_the_films_url(client, paid_film):
    for user in (None, UserFactory()):
        if user:
            client.force_login(user)
        response = client.get(reverse("watching:watch_film", args=["paid"]))
        html = response.content.decode()
        config = player_config(response)
        assert config["is_trailer"] and config["video_id"] == paid_film.trailer_id
        assert f"/stream/{paid_film.main_video_id}/" not in html
        assert "₩5,000" in html or "5,000" in html


@pytest.mark.parametrize("who", ["owner", "staff", "buyer"])
def test_paid_film_plays_for_owner_staff_and_buyers(client, paid_film, who):
    if who == "owner":
        user = paid_film.owner
    elif who == "staff":
        user = StaffUserFactory()
    else:
        user = UserFactory()
        Entitlement.objects.create(user=user, film=paid_film)
    client.force_login(user)
    config = player_config(client.get(reverse("watching:watch_film", args=["paid"])))
    assert config["video_id"] == paid_film.main_video_id and not config["is_trailer"]


def test_revoked_entitlement_no_longer_plays(client, paid_film):
    from django.utils import timezone

    user = UserFactory()
    Entitlement.objects.create(user=user, film=paid_film, revoked_at=timezone.now())
    client.force_login(user)
    assert player_config(client.get(reverse("watching:watch_film", args=["paid"])))["is_trailer"]


def test_processing_and_missing_videos_say_so(client):
    processing = Video.objects.create(title="Busy", status=VideoStatus.PROCESSING)
    FilmPageFactory(title="Busy", slug="busy", price=0, main_video=processing)
    FilmPageFactory(title="Empty", slug="empty", price=0)
    assert "being prepared" in client.get(reverse("watching:watch_film", args=["busy"])).content.decode()
    assert "not on ReelVision yet" in client.get(reverse("watching:watch_film", args=["empty"])).content.decode()
    assert client.get(reverse("watching:watch_film", args=["no-such-film"])).status_code == 404


def test_drafts_cannot_be_watched(client, clip, django_capture_on_commit_callbacks):
    video = ready_video(clip, capture=django_capture_on_commit_callbacks)
    FilmPageFactory(title="Draft", slug="draft", price=0, main_video=video, live=False)
    assert client.get(reverse("watching:watch_film", args=["draft"])).status_code == 404
