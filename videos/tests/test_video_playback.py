"""Protected playback: signed URLs bound to viewer and video, rewritten playlists, HTTP Range, progress."""

import json
import subprocess
import time
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
import requests
from django.urls import reverse

from donations import payments
from donations.models import Order
from films.tests.factories import FilmPageFactory
from members.tests.factories import StaffUserFactory, UserFactory
from videos import signing, storage
from videos.ffmpeg import find_ffprobe
from videos.models import Video, VideoStatus
from videos.tasks import process_video
from videos.tests.helpers import ready_video
from videos.tests.media import make_clip
from watching.models import DailyView, Entitlement, WatchProgress
from watching.playback import playback_config

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    base = tmp_path_factory.mktemp("playback-clips")
    return {
        "small": make_clip(base / "small.mp4", seconds=2, width=640, height=360),
        "hd": make_clip(base / "hd.mp4", seconds=2, width=1280, height=720),
    }


@pytest.fixture
def free_film(clips, django_capture_on_commit_callbacks):
    video = ready_video(clips["small"], capture=django_capture_on_commit_callbacks)
    return FilmPageFactory(title="Free film", price=0, main_video=video)


@pytest.fixture
def paid_film(clips, django_capture_on_commit_callbacks):
    owner = UserFactory()
    video = ready_video(clips["small"], owner=owner, capture=django_capture_on_commit_callbacks)
    trailer = ready_video(clips["small"], owner=owner, capture=django_capture_on_commit_callbacks)
    return FilmPageFactory(title="Paid film", price=5000, main_video=video, trailer=trailer, owner=owner)


def config_for(rf_request, film, **kwargs):
    return playback_config(rf_request, film, **kwargs)


def request_as(rf, user=None):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/watch/")
    request.user = user or AnonymousUser()
    return request


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def uris(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


# --- signing ---------------------------------------------------------------------------------


def test_signature_binds_video_path_viewer_and_expiry():
    url = signing.signed_url(7, "hls/master.m3u8", "u3", ttl=60)
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert signing.check(7, "hls/master.m3u8", params, "u3")
    assert not signing.check(8, "hls/master.m3u8", params, "u3")  # another video
    assert not signing.check(7, "hls/360p/index.m3u8", params, "u3")  # another file
    assert not signing.check(7, "hls/master.m3u8", params, "u4")  # another viewer
    assert not signing.check(7, "hls/master.m3u8", params, "anon")
    assert not signing.check(7, "hls/master.m3u8", {**params, "s": "0" * 64}, "u3")  # forged
    assert not signing.check(7, "hls/master.m3u8", {**params, "e": str(int(params["e"]) + 600)}, "u3")  # stretched
    assert not signing.check(7, "hls/master.m3u8", params, "u3", now=time.time() + 61)  # expired
    assert not signing.check(7, "hls/master.m3u8", {}, "u3")


# --- the stream view -------------------------------------------------------------------------


def test_a_url_for_anyone_names_only_a_preview_clip():
    """Cards shared by every viewer carry preview clip URLs signed for anyone; no other file can be."""
    clip = dict(parse_qsl(urlsplit(signing.signed_url(7, "preview/clip.mp4", signing.ANYONE, ttl=60)).query))
    for viewer in ("u3", "u4", "anon"):
        assert signing.check(7, "preview/clip.mp4", clip, viewer)
    assert not signing.check(8, "preview/clip.mp4", clip, "u3")
    master = dict(parse_qsl(urlsplit(signing.signed_url(7, "hls/master.m3u8", signing.ANYONE, ttl=60)).query))
    assert not signing.check(7, "hls/master.m3u8", master, "u3")
    assert not signing.check(7, "hls/master.m3u8", master, "anon")


def test_free_film_plays_for_anonymous_with_every_uri_signed(client, rf, free_film):
    config = config_for(request_as(rf), free_film)
    master = client.get(local(config["master_url"]))
    assert master.status_code == 200
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert master["Cache-Control"] == "private, no-store"
    variants = uris(master.content.decode())
    assert variants and all("/stream/" in v and "s=" in v for v in variants)
    variant = client.get(local(variants[0]))
    segments = uris(variant.content.decode())
    assert segments and all("s=" in s for s in segments)
    segment = client.get(local(segments[0]))
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    assert b"".join(segment.streaming_content)[:1] == b"G"  # MPEG-TS sync byte


def test_forged_expired_and_other_viewers_links_are_refused(client, rf, paid_film):
    buyer, other = UserFactory(), UserFactory()
    Entitlement.objects.create(user=buyer, film=paid_film)
    config = config_for(request_as(rf, buyer), paid_film)
    url = local(config["master_url"])
    client.force_login(buyer)
    assert client.get(url).status_code == 200
    assert client.get(url.replace("s=", "s=0")).status_code == 403  # forged signature
    assert (
        client.get(url.replace(f"/stream/{paid_film.main_video_id}/", f"/stream/{paid_film.trailer_id}/")).status_code
        == 403
    )
    client.force_login(other)
    assert client.get(url).status_code == 403  # another member's link
    client.logout()
    assert client.get(url).status_code == 403  # anonymous with a member's link
    expired = signing.signed_url(paid_film.main_video_id, "hls/master.m3u8", f"u{buyer.pk}", ttl=-1)
    client.force_login(buyer)
    assert client.get(expired).status_code == 403


def test_paid_film_config_needs_entitlement(rf, paid_film):
    from django.core.exceptions import PermissionDenied

    member = UserFactory()
    with pytest.raises(PermissionDenied):
        config_for(request_as(rf, member), paid_film)
    with pytest.raises(PermissionDenied):
        config_for(request_as(rf), paid_film)
    trailer = config_for(request_as(rf), paid_film, trailer=True)
    assert trailer["video_id"] == paid_film.trailer_id and trailer["is_trailer"]
    assert config_for(request_as(rf, paid_film.owner), paid_film)["video_id"] == paid_film.main_video_id
    assert config_for(request_as(rf, StaffUserFactory()), paid_film)
    Entitlement.objects.create(user=member, film=paid_film)
    assert config_for(request_as(rf, member), paid_film)


# --- access ends with a refund ---------------------------------------------------------------


def buy_through_the_sandbox(client, film, capture) -> Order:
    """The logged-in member buys `film` through the real buy page and the sandbox's pay button."""
    page = client.get(reverse("donations:buy", args=[film.pk]))
    token = page.context["form"]["client_token"].value()
    client.post(reverse("donations:buy", args=[film.pk]), {"provider": "sandbox", "client_token": token})
    order = Order.objects.get(client_token=token)
    with capture(execute=True):
        client.post(reverse("donations:sandbox_checkout", args=[order.public_id]), {"outcome": "pay"}, follow=True)
    order.refresh_from_db()
    assert order.status == "paid"
    return order


def playlists_for(client, film) -> tuple[str, str, str]:
    """The master, first variant and first segment URLs the player of the logged-in member fetches."""
    master = local(client.get(reverse("api_playback", args=[film.pk])).json()["film"]["master_url"])
    variant = local(uris(client.get(master).content.decode())[0])
    segment = local(uris(client.get(variant).content.decode())[0])
    return master, variant, segment


def test_a_full_refund_ends_playback_at_the_next_playlist_or_segment_request(
    client, paid_film, django_capture_on_commit_callbacks
):
    """After a full refund the buyer's playlist and segment links answer 403 and issue no new URL."""
    buyer = UserFactory()
    client.force_login(buyer)
    order = buy_through_the_sandbox(client, paid_film, django_capture_on_commit_callbacks)
    master, variant, segment = playlists_for(client, paid_film)
    assert client.get(segment).status_code == 200

    payments.refund(order, order.amount, by=StaffUserFactory(), reason="Asked for it")

    for url in (variant, master, segment):
        refused = client.get(url)
        assert refused.status_code == 403, url
        assert "/stream/" not in refused.content.decode() and "s=" not in refused.content.decode()


def test_an_entitled_viewer_gets_segment_urls_signed_afresh_at_every_variant_fetch(
    client, paid_film, settings, django_capture_on_commit_callbacks
):
    """Another buyer's refund changes nothing for a buyer, whose variant playlist is signed anew each fetch."""
    refunded, buyer = UserFactory(), UserFactory()
    client.force_login(refunded)
    payments.refund(
        buy_through_the_sandbox(client, paid_film, django_capture_on_commit_callbacks),
        paid_film.price,
        by=None,
        reason="Asked for it",
    )
    client.force_login(buyer)
    buy_through_the_sandbox(client, paid_film, django_capture_on_commit_callbacks)
    _master, variant, _segment = playlists_for(client, paid_film)

    fetched_at = int(time.time())
    segments = uris(client.get(variant).content.decode())
    expiries = {int(parse_qs(urlsplit(s).query)["e"][0]) for s in segments}
    assert segments and min(expiries) >= fetched_at + settings.VIDEO_SEGMENT_URL_TTL
    assert client.get(local(segments[-1])).status_code == 200


def test_a_video_no_film_shows_streams_only_for_its_owner_and_staff(client, clips, django_capture_on_commit_callbacks):
    """A video taken off its film (or never on one) is not free: only its owner and staff may fetch it."""
    owner, member = UserFactory(), UserFactory()
    video = ready_video(clips["small"], owner=owner, capture=django_capture_on_commit_callbacks)
    for user, allowed in ((owner, True), (StaffUserFactory(), True), (member, False)):
        client.force_login(user)
        url = signing.signed_url(video.pk, "hls/master.m3u8", signing.viewer_of(user), ttl=60)
        assert (client.get(url).status_code == 200) is allowed, user


def test_path_traversal_and_foreign_keys_are_not_served(client, free_film):
    video_id = free_film.main_video_id
    for path in ["../1/original.mp4", "hls/../../x", "hls//master.m3u8", "original.mp4/../hls/master.m3u8"]:
        url = signing.signed_url(video_id, path, "anon", ttl=60)
        assert client.get(url).status_code in (403, 404), path


# --- HTTP Range ------------------------------------------------------------------------------


@pytest.fixture
def segment_url(rf, free_film, client):
    config = config_for(request_as(rf), free_film)
    variant = uris(client.get(local(config["master_url"])).content.decode())[0]
    segment = local(uris(client.get(local(variant)).content.decode())[0])
    video = free_film.main_video
    key = video.storage_prefix + "hls/" + video.renditions[0]["name"] + "/" + urlsplit(segment).path.rsplit("/", 1)[1]
    return segment, storage.local_path(key).read_bytes()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_range_requests(client, segment_url):
    url, data = segment_url
    size = len(data)
    whole = client.get(url)
    assert whole.status_code == 200 and body(whole) == data and whole["Accept-Ranges"] == "bytes"

    first = client.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206 and body(first) == data[:100]
    assert first["Content-Range"] == f"bytes 0-99/{size}" and first["Content-Length"] == "100"

    middle = client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert middle.status_code == 206 and body(middle) == data[1000:2000]

    suffix = client.get(url, HTTP_RANGE="bytes=-500")
    assert suffix.status_code == 206 and body(suffix) == data[-500:]
    assert suffix["Content-Range"] == f"bytes {size - 500}-{size - 1}/{size}"

    open_ended = client.get(url, HTTP_RANGE=f"bytes={size - 10}-")
    assert open_ended.status_code == 206 and body(open_ended) == data[-10:]

    past_end = client.get(url, HTTP_RANGE="bytes=0-999999999")
    assert past_end.status_code == 206 and body(past_end) == data

    unsatisfiable = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert unsatisfiable.status_code == 416 and unsatisfiable["Content-Range"] == f"bytes */{size}"

    multi = client.get(url, HTTP_RANGE="bytes=0-1,5-6")
    assert multi.status_code == 200 and body(multi) == data

    head = client.head(url, HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10" and head.content == b""


# --- real clients ----------------------------------------------------------------------------


@pytest.mark.skipif(find_ffprobe() is None, reason="needs ffprobe")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ffprobe_reads_every_rendition_through_the_signed_master(live_server, clips, rf, settings):
    video = Video.objects.create(title="HD", status=VideoStatus.PROCESSING)
    video.original_key = storage.put_file(clips["hd"], f"{video.outputs_prefix}original.mp4", "video/mp4")
    video.save(update_fields=["original_key"])
    process_video.call(video.pk)
    video.refresh_from_db()
    film = FilmPageFactory(title="HD film", price=0, main_video=video)
    assert [r["name"] for r in video.renditions] == ["360p", "540p", "720p"]

    master = live_server.url + local(config_for(request_as(rf), film)["master_url"])
    result = subprocess.run(  # noqa: S603
        [find_ffprobe(), "-v", "error", "-show_programs", "-show_streams", "-of", "json", master],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    heights = sorted({s["height"] for s in data["streams"] if s["codec_type"] == "video"})
    assert heights == [360, 540, 720]
    assert {s["codec_name"] for s in data["streams"]} >= {"h264", "aac"}


def test_s3_segments_are_presigned_gets_that_s3_would_accept(
    client, rf, s3_storage, clips, settings, django_capture_on_commit_callbacks
):
    import datetime

    import botocore.auth
    from botocore.auth import S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    video = ready_video(clips["small"], capture=django_capture_on_commit_callbacks)
    film = FilmPageFactory(title="S3 film", price=0, main_video=video)
    config = config_for(request_as(rf), film)
    variant = uris(client.get(local(config["master_url"])).content.decode())[0]
    links = uris(client.get(local(variant)).content.decode())
    # The playlist lists our own links (access is checked at each fetch); each redirects to a
    # presigned GET that lives only VIDEO_PRESIGNED_URL_TTL seconds.
    assert links and all("/stream/" in link for link in links)
    redirect = client.get(local(links[0]))
    assert redirect.status_code == 302
    segments = [redirect["Location"]]
    assert segments[0].startswith(storage.s3_client().meta.endpoint_url)
    assert parse_qs(urlsplit(segments[0]).query)["X-Amz-Expires"] == [str(settings.VIDEO_PRESIGNED_URL_TTL)]

    key = video.storage_prefix + "hls/360p/" + urlsplit(segments[0]).path.rsplit("/", 1)[1]
    expected = s3_storage.get_object(Bucket=storage.bucket_name(), Key=key)["Body"].read()
    fetched = requests.get(segments[0], timeout=10)
    assert fetched.status_code == 200 and fetched.content == expected

    # moto does not check signatures: recompute SigV4 for the same request and time, as S3 would.
    parts = urlsplit(segments[0])
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    unsigned = {k: v for k, v in query.items() if not k.startswith("X-Amz-")}
    request = AWSRequest(method="GET", url=f"{parts.scheme}://{parts.netloc}{parts.path}", params=unsigned)
    request.context["timestamp"] = query["X-Amz-Date"]
    auth = S3SigV4QueryAuth(Credentials("testing", "testing"), "s3", "us-east-1", expires=int(query["X-Amz-Expires"]))
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    original_clock = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: signed_at  # the moment our URL was signed
    try:
        auth.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original_clock
    recomputed = parse_qs(urlsplit(request.url).query)["X-Amz-Signature"][0]
    assert recomputed == query["X-Amz-Signature"]
    # and the same check fails for a URL with another key: the comparison can fail.
    other = AWSRequest(method="GET", url=f"{parts.scheme}://{parts.netloc}{parts.path}x", params=unsigned)
    botocore.auth.get_current_datetime = lambda: signed_at
    try:
        auth.add_auth(other)
    finally:
        botocore.auth.get_current_datetime = original_clock
    assert parse_qs(urlsplit(other.url).query)["X-Amz-Signature"][0] != query["X-Amz-Signature"]


# --- progress --------------------------------------------------------------------------------


def post_progress(client, **data):
    return client.post(reverse("watching:video_progress"), data=json.dumps(data), content_type="application/json")


def test_progress_saves_resume_and_counts_one_view_per_day(client, rf, paid_film):
    buyer = UserFactory()
    Entitlement.objects.create(user=buyer, film=paid_film)
    client.force_login(buyer)
    common = {"video_id": paid_film.main_video_id, "film_id": paid_film.pk, "duration": 2}
    assert post_progress(client, position=1.0, played=1.0, **common).json()["new_view"] is True
    assert post_progress(client, position=1.5, played=0.5, **common).json()["new_view"] is False
    progress = WatchProgress.objects.get(user=buyer)
    assert progress.position == 1.5 and progress.watched_seconds == 1.5
    view = DailyView.objects.get(video=paid_film.main_video)
    assert view.watched_seconds == 1.5 and view.viewer_key == f"u{buyer.pk}"
    assert post_progress(client, position=-1, played=0, **common).status_code == 400
    assert post_progress(client, position="nan", played=0, **common).status_code == 400
    assert post_progress(client, position=500, played=0, **common).status_code == 400


def test_resume_position_comes_back_in_the_config(rf, paid_film):
    buyer = UserFactory()
    Entitlement.objects.create(user=buyer, film=paid_film)
    WatchProgress.objects.create(user=buyer, video=paid_film.main_video, film=paid_film, position=42, duration=60)
    assert config_for(request_as(rf, buyer), paid_film)["resume_at"] == 42


def test_progress_refused_for_paid_film_without_entitlement_but_trailer_counts(client, paid_film):
    client.force_login(UserFactory())
    refused = post_progress(
        client, video_id=paid_film.main_video_id, film_id=paid_film.pk, position=1, duration=2, played=1
    )
    assert refused.status_code == 403
    trailer = post_progress(
        client, video_id=paid_film.trailer_id, film_id=paid_film.pk, position=1, duration=2, played=1
    )
    assert trailer.status_code == 200
    assert DailyView.objects.get().is_trailer


def test_anonymous_views_count_by_the_players_random_id(client, free_film):
    common = {"video_id": free_film.main_video_id, "film_id": free_film.pk, "position": 1, "duration": 2, "played": 1}
    assert post_progress(client, viewer="3f2c1b7e-aaaa-bbbb-cccc-123456789abc", **common).json()["new_view"]
    assert not post_progress(client, viewer="3f2c1b7e-aaaa-bbbb-cccc-123456789abc", **common).json()["new_view"]
    assert post_progress(client, viewer="another-viewer-0001", **common).json()["new_view"]
    assert post_progress(client, viewer="x", **common).status_code == 400
    assert DailyView.objects.count() == 2 and not WatchProgress.objects.exists()


# --- the API ---------------------------------------------------------------------------------


def test_playback_api_matches_the_schema_and_the_rules(client, paid_film, openapi):
    from films.tests.openapi import assert_matches_schema

    path = "/api/v2/playback/{film_id}/"
    anonymous = client.get(f"/api/v2/playback/{paid_film.pk}/")
    assert anonymous["Cache-Control"] == "private, no-store"
    assert_matches_schema(openapi, path, anonymous)
    assert anonymous.json()["can_watch"] is False and anonymous.json()["film"] is None
    assert anonymous.json()["trailer"]["video_id"] == paid_film.trailer_id

    buyer = UserFactory()
    Entitlement.objects.create(user=buyer, film=paid_film)
    client.force_login(buyer)
    response = client.get(f"/api/v2/playback/{paid_film.pk}/")
    assert_matches_schema(openapi, path, response)
    bought = response.json()
    assert bought["can_watch"] and bought["film"]["video_id"] == paid_film.main_video_id
    assert client.get("/api/v2/playback/999999/").status_code == 404
