"""Resumable uploads: parts to local media or straight to S3, resume, limits, other people's uploads."""

import hashlib
import json
import os

import pytest
import requests
from django.urls import reverse

from films.models import Video, VideoStatus
from films.tests.factories import CreatorFactory, UserFactory
from films.video import storage, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PART = 5 * 1024 * 1024  # S3's smallest part


@pytest.fixture(autouse=True)
def _small_parts(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(upload, "PART_SIZE", PART)


@pytest.fixture
def creator_client(client):
    creator = CreatorFactory()
    client.force_login(creator)
    client.user = creator
    return client


def post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def create(client, size, filename="film.mp4", title="My film"):
    return post(
        client,
        reverse("video_upload_create"),
        {"title": title, "filename": filename, "size": size, "content_type": "video/mp4"},
    )


def put_part(client, info, number, data):
    return client.put(f"{info['parts_url']}{number}/", data=data, content_type="application/octet-stream")


def test_local_upload_in_parts_with_resume_and_exactly_one_processing(
    creator_client, django_capture_on_commit_callbacks
):
    data = os.urandom(2 * PART + 12345)
    response = create(creator_client, len(data))
    assert response.status_code == 201
    info = response.json()
    assert info["mode"] == "local" and info["part_count"] == 3

    assert put_part(creator_client, info, 1, data[:PART]).status_code == 200
    # The connection drops in the middle of part 2: the server keeps nothing of it.
    assert put_part(creator_client, info, 2, data[PART : PART + 1000]).status_code == 400
    listed = creator_client.get(info["parts_url"]).json()["parts"]
    assert [p["number"] for p in listed] == [1]
    # Resume: only the missing parts are sent.
    assert put_part(creator_client, info, 2, data[PART : 2 * PART]).status_code == 200
    third = put_part(creator_client, info, 3, data[2 * PART :])
    assert third["ETag"] == f'"{hashlib.md5(data[2 * PART :], usedforsecurity=False).hexdigest()}"'
    parts = creator_client.get(info["parts_url"]).json()["parts"]

    with django_capture_on_commit_callbacks() as callbacks:
        done = post(creator_client, info["complete_url"], {"parts": parts})
        again = post(creator_client, info["complete_url"], {"parts": parts})  # a double click
    assert done.status_code == 200 and again.status_code == 200
    assert done.json()["edit_url"] == reverse("videos:edit", args=[info["video_id"]])
    video = Video.objects.get(pk=info["video_id"])
    assert video.status == VideoStatus.PROCESSING and video.owner == creator_client.user
    assert hashlib.sha256(storage.local_path(video.original_key).read_bytes()).digest() == hashlib.sha256(data).digest()
    assert len(callbacks) == 1  # one processing job queued, not two
    assert not upload.local_parts_dir(video).exists()


def test_missing_parts_cannot_complete(creator_client):
    info = create(creator_client, 2 * PART).json()
    put_part(creator_client, info, 1, os.urandom(PART))
    response = post(creator_client, info["complete_url"], {"parts": [{"number": 1, "etag": "x"}]})
    assert response.status_code == 400 and "missing" in response.json()["error"]
    assert Video.objects.get().status == VideoStatus.UPLOADING


def test_limits_and_types(creator_client, settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 10 * 1024**2
    too_big = create(creator_client, 11 * 1024**2)
    assert too_big.status_code == 413 and "largest video" in too_big.json()["error"]
    not_video = post(
        creator_client,
        reverse("video_upload_create"),
        {"filename": "script.pdf", "size": 100, "content_type": "application/pdf"},
    )
    assert not_video.status_code == 400
    assert create(creator_client, 0).status_code == 400
    assert not Video.objects.exists()


def test_only_creators_upload_and_only_to_their_own_uploads(client, creator_client):
    info = create(creator_client, PART).json()
    member = UserFactory()
    client.force_login(member)
    assert create(client, PART).status_code == 403  # a member who is not a creator

    other = CreatorFactory()
    client.force_login(other)
    assert client.get(info["parts_url"]).status_code == 404
    assert put_part(client, info, 1, os.urandom(PART)).status_code == 404
    assert post(client, info["complete_url"], {"parts": []}).status_code == 404
    assert post(client, info["abort_url"]).status_code == 404
    assert Video.objects.filter(pk=info["video_id"]).exists()
    client.logout()
    assert create(client, PART).status_code == 401


def test_abort_removes_the_parts_and_the_video(creator_client):
    info = create(creator_client, 2 * PART).json()
    put_part(creator_client, info, 1, os.urandom(PART))
    video = Video.objects.get(pk=info["video_id"])
    assert post(creator_client, info["abort_url"]).status_code == 200
    assert not Video.objects.filter(pk=video.pk).exists() and not upload.local_parts_dir(video).exists()


def test_abandoned_uploads_are_cleaned(creator_client, settings):
    info = create(creator_client, 2 * PART).json()
    put_part(creator_client, info, 1, os.urandom(PART))
    fresh = create(creator_client, PART).json()
    settings.VIDEO_UPLOAD_ABANDON_AFTER = 3600
    Video.objects.filter(pk=info["video_id"]).update(updated_at="2020-01-01T00:00:00Z")
    assert upload.cleanup_abandoned_uploads() == 1
    assert list(Video.objects.values_list("pk", flat=True)) == [fresh["video_id"]]


# --- S3 ---------------------------------------------------------------------------------------


def test_s3_upload_goes_straight_to_the_bucket(creator_client, s3_storage, django_capture_on_commit_callbacks):
    data = os.urandom(PART + 777)
    info = create(creator_client, len(data)).json()
    assert info["mode"] == "s3"
    assert put_part(creator_client, info, 1, data[:PART]).status_code == 400  # bytes go to the bucket, not here
    urls = post(creator_client, info["sign_url"], {"parts": [1, 2]}).json()["urls"]
    parts = []
    for number, chunk in ((1, data[:PART]), (2, data[PART:])):
        response = requests.put(urls[str(number)], data=chunk, timeout=30)  # the browser's PUT, over HTTP
        assert response.status_code == 200
        parts.append({"number": number, "etag": response.headers["ETag"]})
    listed = creator_client.get(info["parts_url"]).json()["parts"]
    assert [p["number"] for p in listed] == [1, 2]
    with django_capture_on_commit_callbacks():
        assert post(creator_client, info["complete_url"], {"parts": parts}).status_code == 200
    video = Video.objects.get(pk=info["video_id"])
    body = s3_storage.get_object(Bucket=storage.bucket_name(), Key=video.original_key)["Body"].read()
    assert body == data and video.status == VideoStatus.PROCESSING
    assert post(creator_client, info["sign_url"], {"parts": [99]}).status_code == 404  # upload finished


def test_s3_part_urls_are_signed_as_s3_expects(creator_client, s3_storage):
    import datetime
    from urllib.parse import parse_qs, urlsplit

    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    info = create(creator_client, PART).json()
    url = post(creator_client, info["sign_url"], {"parts": [1]}).json()["urls"]["1"]
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    video = Video.objects.get(pk=info["video_id"])
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
    info = create(creator_client, PART).json()
    Video.objects.filter(pk=info["video_id"]).update(updated_at="2020-01-01T00:00:00Z")
    settings.VIDEO_UPLOAD_ABANDON_AFTER = 3600
    assert upload.cleanup_abandoned_uploads() == 1
    assert s3_storage.list_multipart_uploads(Bucket=storage.bucket_name()).get("Uploads", []) == []
