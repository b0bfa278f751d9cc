"""`manage.py load_demo_videos`: real generated clips, attached to demo pages and queued for processing."""

import io

import pytest
from django.core.management import call_command

from demo import videos as demo_videos
from films.models import FilmBasePage
from videos import storage
from videos.models import Caption, Video, VideoStatus

# The demo loader keeps Wagtail's indexes itself, and its films must be found by search.
pytestmark = pytest.mark.wagtail_indexes


@pytest.fixture
def short_clips(monkeypatch):
    """The same clips, two seconds long (one for the other films), so the test stays quick."""
    monkeypatch.setattr(
        demo_videos,
        "DEMO_VIDEOS",
        tuple(demo_videos.DemoVideo(d.page_slug, d.kind, 2, d.colours, "320x180") for d in demo_videos.DEMO_VIDEOS),
    )
    monkeypatch.setattr(demo_videos, "SHORT_CLIP_SECONDS", 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_videos_are_made_once(short_clips, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # ensure_demo_admin makes the demo logins only in development
    call_command("ensure_demo_admin", stdout=io.StringIO())
    call_command("load_demo_content", stdout=io.StringIO())

    out = io.StringIO()
    call_command("load_demo_videos", stdout=out)
    expected = len(demo_videos.demo_videos())
    assert f"{expected} queued" in out.getvalue()
    # Every finished demo film gets its own video, so every one of them can be watched once it is processed.
    finished = FilmBasePage.objects.finished()
    assert finished.count() == len(demo_videos.data.FILMS)
    assert not finished.filter(main_video__isnull=True).exists()

    free = FilmBasePage.objects.get(slug="winter-bus-stop")
    paid = FilmBasePage.objects.get(slug="room-404")
    assert free.main_video and free.trailer and paid.main_video and paid.trailer
    assert FilmBasePage.objects.get(slug="blue-memory").trailer
    for video in Video.objects.all():
        assert video.status == VideoStatus.PROCESSING  # queued for the worker
        assert storage.exists(video.original_key)
    assert free.main_video.owner.email == "creator1@dongguk.edu"
    assert paid.main_video.owner.email == "creator2@dongguk.edu"
    # The editor sees the video too: it is on the latest revision, not only on the live row.
    assert free.get_latest_revision_as_object().main_video_id == free.main_video_id
    assert set(Caption.objects.filter(video=free.main_video).values_list("language", flat=True)) == {"ko", "en"}

    again = io.StringIO()
    call_command("load_demo_videos", stdout=again)
    assert "nothing new" in again.getvalue()
    assert Video.objects.count() == expected
