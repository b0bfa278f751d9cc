"""Resumable uploads as Uppy's aws-s3 plugin makes them: parts to local media or straight to S3.

Each test plays the browser's side of the protocol: register the file, ask `sign` for the URL of
each S3 request, then make that request (to our S3-shaped endpoint, or over HTTP to the bucket).
"""

import hashlib
import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from members.tests.factories import CreatorFactory, UserFactory
from tests.signatures import with_one_character_changed
from videos import storage, upload
from videos.models import Video, VideoStatus
from videos.tests.helpers import PART, Browser, post, register
from videos.views import upload as upload_views

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _small_parts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_UPLOAD_PART_BYTES = PART


@pytest.fixture
def creator_client(client):
    creator = CreatorFactory()
    client.force_login(creator)
    client.user = creator
    return client


def test_local_upload_in_parts_resumes_and_starts_processing_exactly_once(
    creator_client, django_capture_on_commit_callbacks
):
    data = os.urandom(2 * PART + 12345)
    response = register(creator_client, len(data))
    assert response.status_code == 201
    browser = Browser(creator_client, response.json())
    assert browser.info["part_size"] == PART
    browser.create()
    first_id, browser.upload_id = browser.upload_id, None
    browser.create()  # Uppy retries a create whose answer was lost: it is the same upload
    assert browser.upload_id == first_id == Video.objects.get().upload_id

    status, first = browser.put_part(1, data[:PART])
    assert status == 200 and first == f'"{hashlib.md5(data[:PART], usedforsecurity=False).hexdigest()}"'
    # The connection drops in the middle of part 2: the server keeps nothing of it.
    status, _ = browser.put_part(2, data[PART : PART + 1000])
    assert status == 400
    assert browser.list_parts()[0] == [1]
    # Resume: only the missing parts are sent.
    _, second = browser.put_part(2, data[PART : 2 * PART])
    _, third = browser.put_part(3, data[2 * PART :])
    assert browser.list_parts()[0] == [1, 2, 3]

    with django_capture_on_commit_callbacks() as callbacks:
        done = browser.complete([(1, first), (2, second), (3, third)])
        again = browser.complete([(1, first), (2, second), (3, third)], url=browser.complete_url)  # retried
        finished = post(creator_client, browser.info["complete_url"])  # Uppy's success, then ours
    assert done.status_code == 200 and again.status_code == 200, done.content
    assert "<CompleteMultipartUploadResult" in done.content.decode()
    assert finished.json()["edit_url"] == reverse("videos_admin:edit", args=[browser.info["video_id"]])
    video = Video.objects.get(pk=browser.info["video_id"])
    assert video.status == VideoStatus.PROCESSING and video.owner == creator_client.user
    assert hashlib.sha256(storage.local_path(video.original_key).read_bytes()).digest() == hashlib.sha256(data).digest()
    assert len(callbacks) == 1  # one processing job queued, not three
    assert not upload.local_parts_dir(video).exists()


def test_a_small_file_goes_in_one_put_and_is_confirmed_by_the_complete_call(
    creator_client, django_capture_on_commit_callbacks
):
    data = os.urandom(300_000)
    browser = Browser(creator_client, register(creator_client, len(data)).json())
    assert browser.sign("POST").status_code == 400  # no multipart upload for a file this small
    status, etag = browser.put_part(None, data)
    assert status == 200 and etag
    with django_capture_on_commit_callbacks() as callbacks:
        first = post(creator_client, browser.info["complete_url"])
        second = post(creator_client, browser.info["complete_url"])
    assert first.json()["status"] == second.json()["status"] == VideoStatus.PROCESSING
    assert len(callbacks) == 1
    video = Video.objects.get()
    assert storage.local_path(video.original_key).read_bytes() == data


def test_completion_before_every_part_arrived_is_refused(creator_client):
    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    _, etag = browser.put_part(1, os.urandom(PART))
    response = browser.complete([(1, etag)])
    assert response.status_code == 400 and "missing" in response.content.decode()
    assert post(creator_client, browser.info["complete_url"]).status_code == 400
    assert Video.objects.get().status == VideoStatus.UPLOADING


def test_a_complete_request_with_hostile_xml_is_refused(creator_client):
    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<CompleteMultipartUpload><Part><PartNumber>&lol2;</PartNumber></Part></CompleteMultipartUpload>"
    )
    response = creator_client.generic("POST", browser.url("POST"), bomb, content_type="application/xml")
    assert response.status_code == 400 and "<Code>MalformedXML</Code>" in response.content.decode()


def test_limits_and_types_are_refused_before_any_bytes_move(creator_client, settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 10 * 1024**2
    too_big = register(creator_client, 11 * 1024**2)
    assert too_big.status_code == 413 and "largest video we take is 10 MB" in too_big.json()["error"]
    not_video = post(
        creator_client,
        reverse("videos:video_upload_create"),
        {"filename": "script.pdf", "size": 100, "content_type": "application/pdf"},
    )
    assert not_video.status_code == 400 and "does not look like a video" in not_video.json()["error"]
    assert register(creator_client, 0).status_code == 400
    assert not Video.objects.exists()


def test_a_part_longer_or_shorter_than_declared_is_refused(creator_client):
    browser = Browser(creator_client, register(creator_client, PART + 10).json())
    browser.create()
    assert browser.put_part(2, os.urandom(11))[0] == 400
    assert browser.put_part(3, os.urandom(10))[0] == 400  # there is no part 3
    assert not upload.local_parts_dir(Video.objects.get()).joinpath("00002.part").exists()


def test_only_creators_upload_and_only_to_their_own_uploads(client, creator_client):
    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    owners_part_url = browser.url("PUT", 1)
    member = UserFactory()
    client.force_login(member)
    assert register(client, PART).status_code == 403  # a member who is not a creator

    other = CreatorFactory()
    client.force_login(other)
    assert client.get(reverse("videos:video_upload_status", args=[browser.info["video_id"]])).status_code == 404
    thief = Browser(client, browser.info)
    thief.upload_id = browser.upload_id
    assert thief.sign("PUT", 1).status_code == 404
    # The owner's signed URL is bound to the owner: another session cannot use it.
    stolen = client.generic("PUT", owners_part_url, os.urandom(PART), content_type="")
    assert stolen.status_code == 403 and "<Code>AccessDenied</Code>" in stolen.content.decode()
    assert post(client, browser.info["complete_url"]).status_code == 404
    assert Video.objects.filter(pk=browser.info["video_id"]).exists()
    client.logout()
    assert register(client, PART).status_code == 401


def test_forged_expired_and_reused_upload_links_are_refused(creator_client, monkeypatch):
    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    part_url = browser.url("PUT", 1)
    query = parse_qs(urlsplit(part_url).query)
    facade = reverse("videos:video_upload_s3", args=[browser.info["video_id"]])

    token = with_one_character_changed(query["token"][0])
    forged = f"{facade}?op=part&partNumber=1&uploadId={browser.upload_id}&token={token}"
    assert creator_client.generic("PUT", forged, os.urandom(PART), content_type="").status_code == 403
    # A part URL cannot be used for another part or another operation.
    other_part = part_url.replace("partNumber=1", "partNumber=2")
    assert creator_client.generic("PUT", other_part, os.urandom(PART), content_type="").status_code == 403
    as_abort = part_url.replace("op=part", "op=abort")
    assert creator_client.delete(as_abort).status_code == 403
    # Expired: an hour later the token no longer opens anything.
    monkeypatch.setattr(upload, "PRESIGN_SECONDS", -1)
    response = creator_client.generic("PUT", part_url, os.urandom(PART), content_type="")
    assert response.status_code == 403 and "expired" in response.content.decode()
    assert browser.sign("PUT", 1, key="videos/999/original.mp4").status_code == 403  # someone else's key


def test_the_facade_only_takes_signed_requests_from_a_logged_in_creator(creator_client):
    client = creator_client
    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    url = browser.url("GET")
    client.logout()
    response = client.get(url)
    assert response.status_code == 401 and response["Content-Type"] == "application/xml"
    token = signing.TimestampSigner(salt="wrong salt").sign_object(
        {"v": browser.info["video_id"], "u": creator_client.user.pk, "op": "list", "p": 0}
    )
    facade = reverse("videos:video_upload_s3", args=[browser.info["video_id"]])
    client.force_login(creator_client.user)
    assert client.get(f"{facade}?op=list&token={token}").status_code == 403
    assert client.get(url).status_code == 200


def test_abort_removes_the_parts_and_the_video(creator_client):
    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    browser.put_part(1, os.urandom(PART))
    video = Video.objects.get(pk=browser.info["video_id"])
    assert creator_client.delete(browser.url("DELETE")).status_code == 204
    assert not Video.objects.filter(pk=video.pk).exists() and not upload.local_parts_dir(video).exists()


def test_abandoned_uploads_are_cleaned_whether_started_or_not(creator_client, settings):
    started = Browser(creator_client, register(creator_client, 2 * PART).json())
    started.create()
    started.put_part(1, os.urandom(PART))
    never_started = register(creator_client, PART).json()
    fresh = register(creator_client, PART).json()
    settings.VIDEO_UPLOAD_ABANDON_AFTER = 3600
    stale = [started.info["video_id"], never_started["video_id"]]
    Video.objects.filter(pk__in=stale).update(updated_at="2020-01-01T00:00:00Z")
    assert upload.cleanup_abandoned_uploads() == 2
    assert list(Video.objects.values_list("pk", flat=True)) == [fresh["video_id"]]
    assert not (settings.VIDEO_ROOT / "uploads" / str(started.info["video_id"])).exists()


def test_the_upload_page_carries_the_widget_and_the_part_size(creator_client):
    page = creator_client.get(reverse("videos_admin:add"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "vendor/uppy/uppy.min.js" in html and "js/video-upload.js" in html
    assert f'data-part-bytes="{PART}"' in html and reverse("videos:video_upload_create") in html


# --- S3 ---------------------------------------------------------------------------------------


def test_s3_parts_go_straight_to_the_bucket_and_the_server_completes(
    creator_client, s3_storage, django_capture_on_commit_callbacks
):
    data = os.urandom(PART + 777)
    browser = Browser(creator_client, register(creator_client, len(data)).json())
    browser.create()
    video = Video.objects.get()
    assert s3_storage.list_multipart_uploads(Bucket=storage.bucket_name())["Uploads"][0]["UploadId"] == video.upload_id
    assert browser.url("PUT", 1).startswith(settings_endpoint(s3_storage))  # to the bucket, not to Django
    facade_part = upload_views.facade_url(video, creator_client.user, "part", 1)
    refused = creator_client.generic("PUT", facade_part, data[:PART], content_type="")
    assert refused.status_code == 400  # Django never takes the bytes when media is on S3

    parts = []
    for number, chunk in ((1, data[:PART]), (2, data[PART:])):
        status, etag = browser.put_part(number, chunk)
        assert status == 200
        parts.append((number, etag))
    assert browser.list_parts()[0] == [1, 2]
    with django_capture_on_commit_callbacks() as callbacks:
        assert browser.complete(parts).status_code == 200
    video.refresh_from_db()
    body = s3_storage.get_object(Bucket=storage.bucket_name(), Key=video.original_key)["Body"].read()
    assert body == data and video.status == VideoStatus.PROCESSING and len(callbacks) == 1
    assert browser.sign("PUT", 2).status_code == 404  # the upload is finished


def settings_endpoint(client) -> str:
    return client.meta.endpoint_url


def test_s3_small_file_in_one_presigned_put(creator_client, s3_storage, django_capture_on_commit_callbacks):
    data = os.urandom(100_000)
    browser = Browser(creator_client, register(creator_client, len(data)).json())
    status, _ = browser.put_part(None, data)
    assert status == 200
    with django_capture_on_commit_callbacks():
        assert post(creator_client, browser.info["complete_url"]).json()["status"] == VideoStatus.PROCESSING
    video = Video.objects.get()
    assert s3_storage.get_object(Bucket=storage.bucket_name(), Key=video.original_key)["Body"].read() == data


def test_s3_part_urls_are_signed_as_s3_expects(creator_client, s3_storage):
    import datetime

    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    url = browser.url("PUT", 1)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    video = Video.objects.get(pk=browser.info["video_id"])
    assert parts.path.endswith("/" + video.original_key) and query["uploadId"] == video.upload_id
    unsigned = {k: v for k, v in query.items() if not k.startswith("X-Amz-")}
    request = AWSRequest(method="PUT", url=f"{parts.scheme}://{parts.netloc}{parts.path}", params=unsigned)
    auth = botocore.auth.S3SigV4QueryAuth(
        Credentials("testing", "testing"), "s3", "us-east-1", expires=int(query["X-Amz-Expires"])
    )
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: signed_at
    try:
        auth.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original
    assert parse_qs(urlsplit(request.url).query)["X-Amz-Signature"][0] == query["X-Amz-Signature"]


def test_s3_abandoned_multipart_uploads_are_aborted(creator_client, s3_storage, settings):
    browser = Browser(creator_client, register(creator_client, 2 * PART).json())
    browser.create()
    Video.objects.filter(pk=browser.info["video_id"]).update(updated_at="2020-01-01T00:00:00Z")
    settings.VIDEO_UPLOAD_ABANDON_AFTER = 3600
    assert upload.cleanup_abandoned_uploads() == 1
    assert s3_storage.list_multipart_uploads(Bucket=storage.bucket_name()).get("Uploads", []) == []
