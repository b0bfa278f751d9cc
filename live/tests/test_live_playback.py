"""The live HLS through the site: who may fetch it, signed links bound to their viewer, the viewer count."""

import json
import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from live import nginx_rtmp, playback
from live.models import Premiere, PremiereStatus
from members.tests.factories import UserFactory
from watching.views import player_strings

from .helpers import live_premiere, playlist_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_dir(settings, tmp_path):
    settings.LIVE_DIR = tmp_path
    return tmp_path


def test_a_free_premiere_plays_for_a_visitor_with_every_fragment_signed(client, live_dir):
    premiere = live_premiere(live_dir)
    response = client.get(playlist_url(premiere, None))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response["Cache-Control"] == "private, no-store"
    fragments = [line for line in response.content.decode().splitlines() if line and not line.startswith("#")]
    assert len(fragments) == 2 and all(f.startswith(f"/live/{premiere.pk}/hls/") and "&s=" in f for f in fragments)
    segment = client.get(fragments[0])
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    assert b"".join(segment.streaming_content) == b"\x47" * 188


def test_a_ticketed_premiere_is_refused_to_a_member_without_a_ticket(client, live_dir):
    premiere = live_premiere(live_dir, ticket_price=5000)
    member = UserFactory()
    client.force_login(member)
    assert client.get(playlist_url(premiere, member)).status_code == 403


def test_a_ticketed_premiere_plays_for_its_owner_and_staff(client, live_dir):
    premiere = live_premiere(live_dir, ticket_price=5000)
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name="Staff")[0])
    for user in (premiere.page.owner, staff):
        client.force_login(user)
        assert client.get(playlist_url(premiere, user)).status_code == 200


def test_a_link_is_refused_to_another_viewer_forged_or_expired(client, live_dir):
    premiere = live_premiere(live_dir)
    member, other = UserFactory(), UserFactory()
    url = playlist_url(premiere, member)
    client.force_login(other)
    assert client.get(url).status_code == 403, "another member's link"
    client.force_login(member)
    assert client.get(url.replace("&s=", "&s=0")).status_code == 403, "a forged signature"
    assert client.get(url.replace(f"/live/{premiere.pk}/", f"/live/{premiere.pk + 1}/")).status_code == 403
    expired = playback.signed_url(premiere.pk, "index.m3u8", f"u{member.pk}", ttl=-1)
    assert client.get(expired).status_code == 403, "an expired link"
    assert client.get(url).status_code == 200


def test_a_visitor_cannot_make_up_a_viewer_id(client, live_dir):
    premiere = live_premiere(live_dir)
    url = playlist_url(premiere, None)
    assert client.get(url.replace("v=anon-", "v=anon-x")).status_code == 403


def test_a_link_to_a_video_is_not_a_link_to_a_premiere(client, live_dir):
    """The live links have a salt of their own: a video's signature for the same numbers does not open them."""
    from videos import signing

    premiere = live_premiere(live_dir)
    expires = int(time.time()) + 60
    sig = signing.signature(premiere.pk, "index.m3u8", "anon-abc", expires)
    response = client.get(f"/live/{premiere.pk}/hls/index.m3u8?e={expires}&v=anon-abc&s={sig}")
    assert response.status_code == 403


def test_only_playlists_and_fragments_of_the_folder_are_served(client, live_dir):
    """A signed link to another kind of file in the stream's folder still finds nothing."""
    premiere = live_premiere(live_dir)
    (nginx_rtmp.folders().hls / f"premiere-{premiere.pk}" / "notes.txt").write_text("no")
    assert client.get(playback.signed_url(premiere.pk, "notes.txt", "anon-abc", 60)).status_code == 404


def test_a_premiere_not_live_has_no_stream(client, live_dir):
    premiere = live_premiere(live_dir)
    url = playlist_url(premiere, None)
    Premiere.objects.filter(pk=premiere.pk).update(status=PremiereStatus.ENDED)
    assert client.get(url).status_code == 404


def test_the_count_is_of_distinct_viewers_in_the_last_ten_seconds(client, live_dir):
    premiere = live_premiere(live_dir)
    first, second = playlist_url(premiere, None), playlist_url(premiere, None)
    for url in (first, first, second, first):
        client.get(url)
    assert client.get(f"/live/{premiere.pk}/status/").json() == {"status": "live", "viewers": 2}
    now = time.time()
    assert playback.viewer_count(premiere.pk, now + 25) == 0, "nobody fetched for 20 s"


def test_the_watch_page_shows_the_live_player_with_its_badge(client, live_dir):
    premiere = live_premiere(live_dir)
    response = client.get(f"/live/{premiere.pk}/")
    page = response.content.decode()
    assert "data-live-badge" in page and "player-config" in page and "js/live-status.js" in page
    config = json.loads(BeautifulSoup(page, "html.parser").find(id="player-config").string)
    assert config["live"] is True and config["master_url"].startswith(f"http://testserver/live/{premiere.pk}/hls/")
    # The player labels its buttons from these as it plays: every one of the site player's strings is there.
    assert set(player_strings()) <= set(config["strings"])


def test_the_watch_page_of_a_ticketed_premiere_offers_no_stream_without_a_ticket(client, live_dir):
    premiere = live_premiere(live_dir, ticket_price=5000)
    page = client.get(f"/live/{premiere.pk}/").content.decode()
    assert "player-config" not in page and "5,000" in page


def test_the_playback_api_gives_an_app_the_films_live_stream(client, live_dir):
    """/api/v2/playback/<film_id>/ carries the premiere streaming now, with the requester's signed playlist."""
    premiere = live_premiere(live_dir)
    body = client.get(f"/api/v2/playback/{premiere.page.pk}/").json()
    assert body["live"]["premiere_id"] == premiere.pk and body["live"]["can_watch"] is True
    assert client.get(body["live"]["master_url"].removeprefix("http://testserver")).status_code == 200


def test_the_playback_api_gives_no_playlist_of_a_ticketed_stream_without_a_ticket(client, live_dir):
    premiere = live_premiere(live_dir, ticket_price=5000)
    live = client.get(f"/api/v2/playback/{premiere.page.pk}/").json()["live"]
    assert live["can_watch"] is False and live["master_url"] is None and live["ticket_price"] == 5000
