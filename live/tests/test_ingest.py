"""nginx's RTMP hooks: which stream key may publish when, what publishing and stopping change, who may call them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from films.tests.factories import FilmPageFactory
from live import ingest, nginx_rtmp, tasks
from live.models import Premiere, PremiereStatus
from members.tests.factories import CreatorFactory
from videos.models import Video, VideoStatus
from videos.signals import video_ready
from videos.tasks import process_video

pytestmark = pytest.mark.django_db

PUBLISH = reverse("live:rtmp_publish")
DONE = reverse("live:rtmp_publish_done")
RECORD_DONE = reverse("live:rtmp_record_done")
RECORDING = b"FLV\x01" + b"\x00" * 100


@pytest.fixture
def premiere():
    film = FilmPageFactory(title="Winter Stop", owner=CreatorFactory())
    return Premiere.objects.create(page=film, title="Premiere", starts_at=timezone.now() + timedelta(minutes=10))


def publish(client, key: str, **extra):
    return client.post(PUBLISH, {"call": "publish", "app": "live", "name": key, "addr": "203.0.113.7"}, **extra)


def test_the_right_key_in_its_window_goes_live_under_the_premieres_own_name(client, premiere, settings):
    """Accepted by a redirect that pushes the stream to the internal application as premiere-<id>."""
    response = publish(client, premiere.stream_key)
    assert response.status_code == 302
    assert response["Location"] == f"rtmp://127.0.0.1:{settings.LIVE_RTMP_PORT}/premieres/premiere-{premiere.pk}"
    assert premiere.stream_key not in response["Location"]
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.LIVE and premiere.went_live_at is not None


@pytest.mark.parametrize(
    "case",
    ["wrong key", "empty key", "too early", "too late", "cancelled", "ended", "second publisher"],
)
def test_publishing_is_refused(client, premiere, case):
    """Every refusal is a 403 (nginx closes the connection) and leaves the premiere as it was."""
    key = premiere.stream_key
    if case == "wrong key":
        key = key[:-1] + ("A" if key[-1] != "A" else "B")
    elif case == "empty key":
        key = ""
    elif case == "too early":
        premiere.starts_at = timezone.now() + timedelta(minutes=31)
    elif case == "too late":
        premiere.starts_at = timezone.now() - timedelta(hours=6, minutes=1)
    elif case == "cancelled":
        premiere.status = PremiereStatus.CANCELLED
    elif case == "ended":
        premiere.status = PremiereStatus.ENDED
    elif case == "second publisher":
        premiere.status = PremiereStatus.LIVE
    premiere.save()
    before = Premiere.objects.values("status", "went_live_at").get(pk=premiere.pk)

    assert publish(client, key).status_code == 403
    assert Premiere.objects.values("status", "went_live_at").get(pk=premiere.pk) == before


def test_a_second_publisher_is_refused_after_the_first_was_accepted(client, premiere):
    """Whoever copied the key cannot take over a live premiere."""
    assert publish(client, premiere.stream_key).status_code == 302
    assert publish(client, premiere.stream_key).status_code == 403
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.LIVE


def test_the_window_opens_early_and_closes_hours_after_the_start(premiere, settings):
    """LIVE_EARLY_MINUTES before the start until LIVE_MAX_HOURS after it, edges included."""
    opens, closes = ingest.publish_window(premiere)
    assert opens == premiere.starts_at - timedelta(minutes=settings.LIVE_EARLY_MINUTES)
    assert closes == premiere.starts_at + timedelta(hours=settings.LIVE_MAX_HOURS)
    assert ingest.publish_refusal(premiere, opens) is None
    assert ingest.publish_refusal(premiere, closes) is None
    assert ingest.publish_refusal(premiere, opens - timedelta(seconds=1))
    assert ingest.publish_refusal(premiere, closes + timedelta(seconds=1))


def test_the_end_of_the_broadcast_ends_the_premiere(client, premiere):
    publish(client, premiere.stream_key)
    response = client.post(DONE, {"call": "publish_done", "app": "premieres", "name": f"premiere-{premiere.pk}"})
    assert response.status_code == 200
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.ENDED and premiere.ended_at is not None


def test_an_end_notice_for_a_premiere_not_live_changes_nothing(client, premiere):
    client.post(DONE, {"call": "publish_done", "name": f"premiere-{premiere.pk}"})
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.SCHEDULED and premiere.ended_at is None


def test_the_periodic_task_ends_a_broadcast_still_live_after_its_window(premiere, settings):
    """nginx died without its end call: once the key's window has closed, the premiere has ended."""
    now = timezone.now()
    abandoned = premiere
    Premiere.objects.filter(pk=abandoned.pk).update(
        status=PremiereStatus.LIVE, starts_at=now - timedelta(hours=settings.LIVE_MAX_HOURS, minutes=1)
    )
    running = Premiere.objects.create(
        page=premiere.page,
        title="Still on air",
        starts_at=now - timedelta(hours=settings.LIVE_MAX_HOURS - 1),
        status=PremiereStatus.LIVE,
    )
    tasks.send_reminders.call()
    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.status == PremiereStatus.ENDED and abandoned.ended_at is not None
    assert running.status == PremiereStatus.LIVE and running.ended_at is None
    assert ingest.end_abandoned_broadcasts() == [], "nothing is ended twice"


def test_a_caller_off_the_loopback_is_refused_without_touching_anything(client, premiere):
    """Behind no proxy, a request from another machine is not nginx."""
    response = publish(client, premiere.stream_key, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.SCHEDULED


def test_a_forwarded_visitor_is_refused_even_though_the_proxy_is_on_the_loopback(client, premiere, settings):
    """With our reverse proxy in front, the visitor is the forwarded address, not the proxy's."""
    settings.TRUSTED_PROXY_COUNT = 1
    response = publish(client, premiere.stream_key, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.SCHEDULED


def test_with_a_secret_only_callers_who_carry_it_are_heard(client, premiere, settings):
    """The loopback alone is not enough then: every visitor arrives from it behind a local proxy."""
    settings.LIVE_RTMP_HOOK_SECRET = "s3cret-for-nginx"
    assert publish(client, premiere.stream_key).status_code == 403
    assert client.post(PUBLISH + "?secret=wrong", {"name": premiere.stream_key}).status_code == 403
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.SCHEDULED
    response = client.post(PUBLISH + "?secret=s3cret-for-nginx", {"name": premiere.stream_key}, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 302


def test_the_hooks_answer_only_posts(client, premiere):
    assert client.get(PUBLISH, {"name": premiere.stream_key}).status_code == 405


def recording_of(premiere, settings, tmp_path):
    """An .flv in the recordings folder, named as nginx names the premiere's recording."""
    settings.LIVE_DIR = tmp_path
    recordings = nginx_rtmp.folders().recordings
    recordings.mkdir(parents=True)
    flv = recordings / f"premiere-{premiere.pk}-1796552068.flv"
    flv.write_bytes(RECORDING)
    return flv


def test_the_recording_becomes_a_video_of_the_pages_owner_being_processed(
    client, premiere, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Stored as the video's original, gone from the recordings folder, its processing queued."""
    flv = recording_of(premiere, settings, tmp_path)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            RECORD_DONE, {"call": "record_done", "name": f"premiere-{premiere.pk}", "path": str(flv)}
        )
    assert response.status_code == 200
    premiere.refresh_from_db()
    video = premiere.recording
    assert video is not None and premiere.replay is None
    assert video.owner == premiere.page.owner and video.status == VideoStatus.PROCESSING
    assert video.original_key == f"videos/{video.pk}/original.flv"
    assert not flv.exists()
    queued = [c for c in callbacks if getattr(c, "func", None) == process_video.enqueue]
    assert [c.args for c in queued] == [(video.pk,)]  # the processing task, queued on commit


def test_with_s3_the_recording_is_uploaded_to_the_bucket(premiere, settings, tmp_path, s3_storage):
    flv = recording_of(premiere, settings, tmp_path)
    video = ingest.import_recording(f"premiere-{premiere.pk}", flv, nginx_rtmp.folders().recordings)
    assert video.original_key == f"videos/{video.pk}/original.flv" and not flv.exists()
    stored = s3_storage.get_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=video.original_key)
    assert stored["ContentType"] == "video/x-flv" and stored["Body"].read() == RECORDING


def test_a_file_outside_the_recordings_folder_is_never_imported(client, premiere, settings, tmp_path):
    settings.LIVE_DIR = tmp_path / "live"
    elsewhere = tmp_path / f"premiere-{premiere.pk}-1.flv"
    elsewhere.write_bytes(b"FLV\x01")
    client.post(RECORD_DONE, {"name": f"premiere-{premiere.pk}", "path": str(elsewhere)})
    assert Video.objects.count() == 0 and elsewhere.exists()


def test_a_ready_recording_becomes_the_replay(premiere):
    """The pipeline's `video_ready` for the recording attaches it; another video's changes nothing."""
    video = Video.objects.create(title="Premiere", status=VideoStatus.READY)
    other = Video.objects.create(title="Another film", status=VideoStatus.READY)
    Premiere.objects.filter(pk=premiere.pk).update(recording=video)
    video_ready.send(sender=Video, video_id=other.pk)
    premiere.refresh_from_db()
    assert premiere.replay is None
    video_ready.send(sender=Video, video_id=video.pk)
    premiere.refresh_from_db()
    assert premiere.replay == video


def test_the_generated_config_loads_the_module_and_calls_the_hooks_with_the_secret(tmp_path):
    text = nginx_rtmp.render(
        work_dir=tmp_path, listen="127.0.0.1:19350", hook_base_url="http://127.0.0.1:8000/", hook_secret="a b&c"
    )
    assert "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;" in text
    assert "listen 127.0.0.1:19350;" in text
    assert "on_publish http://127.0.0.1:8000/live/rtmp/publish/?secret=a+b%26c;" in text
    assert "on_record_done http://127.0.0.1:8000/live/rtmp/record-done/?secret=a+b%26c;" in text
    assert f"hls_path {nginx_rtmp.folders().hls};" in text and "hls_fragment 2s;" in text
    assert f"record_path {nginx_rtmp.folders().recordings};" in text
    assert not nginx_rtmp.PLACEHOLDER.search(text)
