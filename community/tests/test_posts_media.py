"""A post's pictures and videos through signed, short-lived addresses: forged, expired or someone
else's addresses are refused with no bytes; S3 pictures leave the bucket by a presigned GET."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from community import media
from community.models import Post, PostAudience
from members.tests.factories import UserFactory
from videos import signing
from videos.access import can_stream
from watching.models import WatchProgress

from .post_helpers import (
    add_image,
    body_bytes,
    build_world,
    client_for,
    master_path,
    player_config,
    png_upload,
    post_video,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_world()


def _with_query(address: str, **changes) -> str:
    parts = urlsplit(address)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    query.update(changes)
    return parts.path + "?" + "&".join(f"{name}={value}" for name, value in query.items())


def _refused(response, status=403, stored: bytes = b"") -> None:
    assert response.status_code == status
    content = body_bytes(response)
    assert b"PNG" not in content and b"#EXTM3U" not in content and b"/stream/" not in content
    if stored:
        assert stored not in content


# --- pictures -------------------------------------------------------------------------------------


def test_a_picture_address_with_a_forged_signature_is_refused(world):
    backer = world.users["backer at the tier"]
    picture = world.backers_post.images.get()
    address = media.image_url(picture, backer)
    client = client_for(backer)
    assert client.get(address).status_code == 200
    _refused(client.get(_with_query(address, s="0" * 64)))
    _refused(client.get(_with_query(address, e=int(time.time()) + 10**6)))  # a later expiry, same signature
    _refused(client.get(address.split("?")[0]))  # no signature at all


def test_an_expired_picture_address_is_refused(world):
    backer = world.users["backer at the tier"]
    picture = world.backers_post.images.get()
    expired = media.image_url(picture, backer, ttl=60, now=time.time() - 120)
    _refused(client_for(backer).get(expired))


def test_a_readers_picture_address_is_refused_to_another_reader(world):
    """Bound to its viewer: staff (who may read the post too) cannot use the backer's address."""
    picture = world.backers_post.images.get()
    address = media.image_url(picture, world.users["backer at the tier"])
    _refused(client_for(world.users["staff"]).get(address))
    _refused(client_for(None).get(address))


def test_a_signature_for_one_picture_does_not_open_another(world):
    """The picture's id is signed: the query of a public post's picture does not fit a locked one's."""
    public = Post.objects.create(
        page=world.project,
        author=world.creator,
        title="모두에게",
        body="공개 글",
        audience=PostAudience.PUBLIC,
        published_at=timezone.now(),
    )
    member = world.users["member"]
    open_address = media.image_url(add_image(public), member)
    locked = world.backers_post.images.get()
    forged = reverse("community:post_image", args=[locked.pk]) + "?" + open_address.split("?", 1)[1]
    client = client_for(member)
    assert client.get(open_address).status_code == 200
    _refused(client.get(forged), stored=locked.file.open("rb").read())


def test_a_signed_address_of_a_draft_or_missing_picture_is_not_found(world):
    backer = world.users["backer at the tier"]
    picture = world.backers_post.images.get()
    address = media.image_url(picture, backer)
    Post.objects.filter(pk=world.backers_post.pk).update(published_at=None)
    _refused(client_for(backer).get(address), status=404)
    picture.delete()
    _refused(client_for(backer).get(address), status=404)


def test_a_picture_on_s3_is_handed_out_by_a_presigned_get_for_a_minute(world, s3_storage, settings):
    """The redirect goes to the bucket (never a custom domain), signed, expiring in 60 s, and it works."""
    s3 = settings.STORAGES["default"]
    custom_domain = {**s3, "OPTIONS": {**s3["OPTIONS"], "custom_domain": "cdn.example.com"}}
    settings.STORAGES = {**settings.STORAGES, "default": custom_domain}
    backer = world.users["backer at the tier"]
    picture = add_image(world.backers_post)
    assert s3_storage.head_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=picture.file.name)
    response = client_for(backer).get(media.image_url(picture, backer))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert "cdn.example.com" not in location and settings.AWS_STORAGE_BUCKET_NAME in location
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == [str(media.PRESIGNED_IMAGE_TTL)]
    assert requests.get(location, timeout=10).content[:8] == b"\x89PNG\r\n\x1a\n"
    _refused(client_for(world.users["member"]).get(media.image_url(picture, world.users["member"])))


# --- videos -----------------------------------------------------------------------------------------


def _master_link(world, user, **kwargs) -> str:
    video = world.backers_post.videos.get()
    viewer = signing.viewer_of(user) if user else "anon"
    return signing.signed_url(video.pk, master_path(video), viewer, kwargs.pop("ttl", 300), **kwargs)


def test_a_video_link_with_a_forged_signature_or_expiry_is_refused(world):
    backer = world.users["backer at the tier"]
    client = client_for(backer)
    link = _master_link(world, backer)
    assert client.get(link).status_code == 200
    _refused(client.get(_with_query(link, s="f" * 64)))
    _refused(client.get(_with_query(link, e=int(time.time()) + 10**6)))
    _refused(client.get(_master_link(world, backer, ttl=60, now=time.time() - 120)))


def test_a_readers_video_link_is_refused_to_another_reader(world):
    link = _master_link(world, world.users["backer at the tier"])
    _refused(client_for(world.users["staff"]).get(link))
    _refused(client_for(world.users["backer below the tier"]).get(link))


def test_a_public_posts_video_streams_for_everyone(world):
    video = post_video(world.creator, title="티저")
    public = Post.objects.create(
        page=world.project,
        author=world.creator,
        title="예고편 공개",
        audience=PostAudience.PUBLIC,
        published_at=timezone.now(),
    )
    public.videos.add(video)
    html = client_for(None).get(reverse("community:post", args=[public.pk])).content.decode()
    assert client_for(None).get(player_config(html)["master_url"]).status_code == 200


def test_a_video_in_a_draft_streams_only_for_its_owner_and_staff(world):
    """A post that is not shown gives its video to no reader; the default rule (owner, staff) remains."""
    video = world.backers_post.videos.get()
    Post.objects.filter(pk=world.backers_post.pk).update(published_at=None)
    assert not can_stream(world.users["backer at the tier"], video)
    assert can_stream(world.creator, video) and can_stream(world.users["staff"], video)
    assert media.may_stream_post_video(world.users["backer at the tier"], video) is None


def test_a_video_in_no_post_is_not_the_posts_to_judge(world):
    assert media.may_stream_post_video(UserFactory(), post_video(world.creator)) is None


def test_the_player_gets_fresh_links_for_a_reader_and_none_for_others(world):
    post, video = world.backers_post, world.backers_post.videos.get()
    renew = reverse("community:post_video_playback", args=[post.pk, video.pk])
    fresh = client_for(world.users["backer at the tier"]).get(renew)
    assert fresh.status_code == 200 and fresh["Cache-Control"] == "private, no-store"
    assert fresh.json()["film"]["video_id"] == video.pk and "/stream/" in fresh.json()["film"]["master_url"]
    refused = client_for(world.users["backer below the tier"]).get(renew)
    assert refused.status_code == 403 and "/stream/" not in refused.content.decode()
    other_video = world.buyers_post.videos.get()
    wrong = reverse("community:post_video_playback", args=[post.pk, other_video.pk])
    assert client_for(world.users["backer at the tier"]).get(wrong).status_code == 404


def test_the_players_progress_reports_are_acknowledged_and_not_stored(world):
    client = client_for(world.users["backer at the tier"])
    url = reverse("community:post_video_progress")
    assert client.post(url, {"video_id": 1}, content_type="application/json").status_code == 204
    assert client.get(url).status_code == 405
    assert not WatchProgress.objects.exists()


def test_a_reader_of_several_videos_chooses_which_one_plays(world):
    post = world.backers_post
    second = post_video(world.creator, title="두 번째 영상")
    post.videos.add(second)
    client = client_for(world.users["backer at the tier"])
    url = reverse("community:post", args=[post.pk])
    first_id = post.videos.order_by("pk").first().pk
    assert player_config(client.get(url).content.decode())["video_id"] == first_id
    chosen = client.get(url, {"video": second.pk}).content.decode()
    assert player_config(chosen)["video_id"] == second.pk and "두 번째 영상" in chosen
    # An id of a video outside the post plays the post's first video, not that one.
    stranger = post_video(UserFactory())
    assert player_config(client.get(url, {"video": stranger.pk}).content.decode())["video_id"] == first_id


def test_uploads_are_normalised_in_memory_not_trusted(world):
    """The stored copy is Pillow's re-encoding: not the uploaded bytes."""
    upload = png_upload()
    original = upload.read()
    content = media.normalised_image(upload)
    assert content.name == "image.png" and content.read() != original
