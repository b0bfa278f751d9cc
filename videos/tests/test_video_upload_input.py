"""Uploads refuse hostile input with a 400 and a sentence, and change nothing when they do."""

import json
import os

import pytest
from django.urls import reverse

from members.tests.factories import CreatorFactory
from videos import storage, upload
from videos.models import Video, VideoStatus
from videos.tests.helpers import PART, Browser, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _small_parts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_ROOT = tmp_path / "videos"
    settings.VIDEO_UPLOAD_PART_BYTES = PART


@pytest.fixture
def creator_client(client):
    client.force_login(CreatorFactory())
    return client


def create(client, **fields):
    body = {"title": "My film", "filename": "film.mp4", "size": 1000, "content_type": "video/mp4"} | fields
    return client.post(reverse("videos:video_upload_create"), json.dumps(body), content_type="application/json")


def test_a_file_name_with_a_nul_is_refused(creator_client):
    """A file name with a NUL character gets a 400 with a sentence, and no video is registered."""
    response = create(creator_client, filename="film\x00.mp4")

    assert response.status_code == 400
    assert response.json()["error"] == "The file name must be text without control characters. Rename the file."
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "My\x00film"},
        {"content_type": "video/mp4\x00"},
        {"filename": ["film.mp4"]},
        {"title": {"a": 1}},
        {"size": 1e300},
        {"size": "9" * 5000},
        {"size": [1000]},
        {"size": True},
    ],
    ids=["nul-title", "nul-type", "list-name", "dict-title", "float-size", "huge-size", "list-size", "bool-size"],
)
def test_wrong_types_and_control_characters_are_refused(creator_client, fields):
    """Text that is not text, control characters and sizes that are not whole numbers are 400s, nothing registered."""
    response = create(creator_client, **fields)

    assert response.status_code == 400
    assert response.json()["error"]
    assert not Video.objects.exists()


def test_an_infinite_size_is_refused(creator_client):
    """JSON's Infinity (Python's json reads it) is not a size."""
    body = '{"title": "t", "filename": "film.mp4", "size": Infinity, "content_type": "video/mp4"}'
    response = creator_client.post(reverse("videos:video_upload_create"), body, content_type="application/json")

    assert response.status_code == 400
    assert not Video.objects.exists()


def test_an_infinite_part_number_is_refused(creator_client):
    """Signing a part numbered Infinity is a 400, not an overflow."""
    info = register(creator_client, 2 * PART + 1).json()
    body = json.dumps({"method": "PUT", "key": info["key"], "uploadId": "x", "partNumber": 0})
    body = body.replace('"partNumber": 0', '"partNumber": Infinity')
    response = creator_client.post(info["sign_url"], body, content_type="application/json")

    assert response.status_code == 400


def test_completing_with_a_part_that_never_arrived_is_refused_and_changes_nothing(creator_client):
    """A completion listing a part the server never received is a 400 naming the part; the upload stays resumable."""
    data = os.urandom(2 * PART + 100)
    browser = Browser(creator_client, register(creator_client, len(data)).json())
    browser.create()
    status, first = browser.put_part(1, data[:PART])
    assert status == 200
    status, third = browser.put_part(3, data[2 * PART :])
    assert status == 200
    video = Video.objects.get()
    files_before = sorted(p.name for p in upload.local_parts_dir(video).iterdir())

    response = browser.complete([(1, first), (2, '"0123456789abcdef0123456789abcdef"'), (3, third)])

    assert response.status_code == 400
    assert "<Code>InvalidPart</Code>" in response.content.decode()
    assert "Part 2 of the file has not arrived." in response.content.decode()
    video.refresh_from_db()
    assert (video.status, video.upload_id) == (VideoStatus.UPLOADING, browser.upload_id)
    assert sorted(p.name for p in upload.local_parts_dir(video).iterdir()) == files_before
    assert not storage.exists(video.original_key)


def test_completing_with_another_parts_etag_is_refused(creator_client):
    """A completion whose ETag is not the one the part got is a 400 (S3 would refuse it halfway)."""
    data = os.urandom(PART + 100)
    browser = Browser(creator_client, register(creator_client, len(data)).json())
    browser.create()
    _status, first = browser.put_part(1, data[:PART])
    _status, second = browser.put_part(2, data[PART:])

    response = browser.complete([(1, second), (2, second)])

    assert response.status_code == 400
    assert Video.objects.get().status == VideoStatus.UPLOADING


HOSTILE_JSON = ["{", "[]", '"x"', "null", "1e400", "\x00", '{"key": "\\ud800"}']
HOSTILE_VALUES = ["\x00", "x" * 10_000, 10**30, -1, 1.5, [], {}, None, True, "abc"]
HOSTILE_XML = [
    "",
    "<",
    "<CompleteMultipartUpload><Part><PartNumber>99999999999999999999</PartNumber></Part></CompleteMultipartUpload>",
    "<CompleteMultipartUpload><Part><PartNumber>²</PartNumber></Part></CompleteMultipartUpload>",
    '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
    "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\x00</ETag></Part></CompleteMultipartUpload>",
]


def test_every_upload_step_survives_hostile_input(creator_client):
    """Register, sign, complete and the S3-shaped endpoint: malformed JSON and XML, hostile values, never a 500."""
    info = register(creator_client, 2 * PART + 1).json()
    browser = Browser(creator_client, info)
    browser.create()
    steps = [reverse("videos:video_upload_create"), info["sign_url"], info["complete_url"]]
    for url in steps:
        for raw in HOSTILE_JSON:
            response = creator_client.post(url, raw, content_type="application/json")
            assert response.status_code < 500, (url, raw)
        for name in ("title", "filename", "size", "content_type", "method", "key", "uploadId", "partNumber"):
            for value in HOSTILE_VALUES:
                response = creator_client.post(url, json.dumps({name: value}), content_type="application/json")
                assert response.status_code < 500, (url, name, value)
    complete_url = browser.url("POST")
    for xml in HOSTILE_XML:
        response = creator_client.generic("POST", complete_url, xml, content_type="application/xml")
        assert response.status_code < 500, xml
    facade = reverse("videos:video_upload_s3", args=[info["video_id"]])
    for query in ["op=part&partNumber=99999999999999999999", "op=part&partNumber=abc", "op=list&token=%00", "op=\x00"]:
        response = creator_client.generic("PUT", f"{facade}?{query}", b"x", content_type="")
        assert response.status_code < 500, query
    assert Video.objects.get(pk=info["video_id"]).status == VideoStatus.UPLOADING
