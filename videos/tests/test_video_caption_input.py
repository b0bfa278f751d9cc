"""Caption uploads refuse hostile input with a message, and leave the stored track as it was."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.tests.factories import CreatorFactory
from videos import storage
from videos.models import Caption, Video, VideoStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OLD = b"1\n00:00:01,000 --> 00:00:02,000\nold line\n"
NEW = b"1\n00:00:01,000 --> 00:00:02,000\nnew line\n"


@pytest.fixture
def track(client, settings, tmp_path):
    """A creator's video with an English track, the creator logged in; yields the captions URL."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_ROOT = tmp_path / "videos"
    creator = CreatorFactory()
    video = Video.objects.create(title="Clip", owner=creator, status=VideoStatus.READY)
    client.force_login(creator)
    url = reverse("videos_admin:captions", args=[video.pk])
    client.post(url, {"language": "en", "label": "English", "file": SimpleUploadedFile("en.srt", OLD)})
    caption = Caption.objects.get()
    return url, caption, storage.read_text(caption.vtt_key)


def assert_unchanged(caption, stored):
    after = Caption.objects.get()
    assert (after.label, after.text, after.updated_at) == (caption.label, caption.text, caption.updated_at)
    assert storage.read_text(caption.vtt_key) == stored


def test_a_label_over_64_characters_is_refused_and_the_stored_track_stays(client, track):
    """A 65-character label is explained to the creator; the track and its stored file are not replaced."""
    url, caption, stored = track

    response = client.post(
        url, {"language": "en", "label": "L" * 65, "file": SimpleUploadedFile("en.srt", NEW)}, follow=True
    )

    assert response.status_code == 200
    assert "The label can be at most 64 characters, without control characters." in response.content.decode()
    assert_unchanged(caption, stored)


def test_a_label_with_a_control_character_is_refused_and_the_stored_track_stays(client, track):
    """A control character in the label is refused before anything is written."""
    url, caption, stored = track

    response = client.post(
        url, {"language": "en", "label": "Eng\x1blish", "file": SimpleUploadedFile("en.srt", NEW)}, follow=True
    )

    assert "The label can be at most 64 characters, without control characters." in response.content.decode()
    assert_unchanged(caption, stored)


def test_a_label_with_a_nul_is_a_400_and_the_stored_track_stays(client, track):
    """A NUL in the label (PostgreSQL cannot store one) is a 400 with a sentence, before any view runs."""
    url, caption, stored = track

    response = client.post(url, {"language": "en", "label": "Eng\x00lish", "file": SimpleUploadedFile("en.srt", NEW)})

    assert response.status_code == 400
    assert "The form contains a NUL character." in response.content.decode()
    assert_unchanged(caption, stored)


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe" + b"\x00\xd8" + b"a\x00", b"\xfe\xff\x00a\x00", b"\xef\xbb\xbf\xff\xfe bad"],
    ids=["utf16le-lone-surrogate", "utf16be-odd-length", "utf8-bom-bad-bytes"],
)
def test_a_byte_order_mark_followed_by_bad_bytes_is_refused(client, track, data):
    """A file that starts with a UTF-16 or UTF-8 byte-order mark but is not that encoding gets a message."""
    url, caption, stored = track

    response = client.post(url, {"language": "en", "file": SimpleUploadedFile("en.srt", data)}, follow=True)

    assert "The file starts like a Unicode text file but is not one." in response.content.decode()
    assert_unchanged(caption, stored)


@pytest.mark.parametrize("caption_id", ["abc", "1.5", "99999999999999999999", "٣"])
def test_deleting_a_track_by_an_id_that_is_not_one_is_a_404(client, track, caption_id):
    """A delete with an id that is not a whole number (or fits no row) is a 404 and removes nothing."""
    url, caption, stored = track

    response = client.post(url, {"delete": caption_id})

    assert response.status_code == 404
    assert_unchanged(caption, stored)
