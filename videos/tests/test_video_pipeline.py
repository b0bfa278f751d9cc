"""videos.pipeline: the processing job, its lease, housekeeping and e-mails, with real ffmpeg and storage."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.tests.factories import UserFactory
from videos import housekeeping, pipeline, storage
from videos import tasks as video_tasks
from videos.models import Video, VideoStatus
from videos.tasks import process_video
from videos.tests.helpers import uploaded_video, work_dirs
from videos.tests.media import ffmpeg, make_clip

ROOT = Path(django_settings.BASE_DIR)


# --- fixtures and helpers -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english_messages():
    """The failure reasons are asserted in English; the site's default language is Korean."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media_and_work_dirs(settings, tmp_path):
    """Each test gets its own media root and work directory, and a fast x264 preset."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    base = tmp_path_factory.mktemp("pipeline-clips")
    return {
        "360p": make_clip(base / "360p.mp4", seconds=2, width=640, height=360),
        "720p": make_clip(base / "720p.mp4", seconds=2, width=1280, height=720),
    }


@pytest.fixture
def owner():
    return UserFactory(email="maker@example.com", display_name="Maker", language="en")


def process(video: Video, capture) -> Video:
    """start_processing + the queued job run in this process (as the worker would), then reload."""
    with capture(execute=True):
        video_tasks.start_processing(video)
    with capture(execute=True):
        process_video.call(video.pk)
    return Video.objects.get(pk=video.pk)


def stored_keys(prefix: str = "videos/") -> set[str]:
    """Every key under ``prefix`` in the current storage (local video root or S3 bucket)."""
    if storage.is_s3():
        paginator = storage.s3_client().get_paginator("list_objects_v2")
        return {
            obj["Key"]
            for page in paginator.paginate(Bucket=storage.bucket_name(), Prefix=prefix)
            for obj in page.get("Contents", [])
        }
    root = Path(django_settings.VIDEO_ROOT)
    return {p.relative_to(root).as_posix() for p in (root / prefix).rglob("*") if p.is_file()}


def outputs_of(video: Video, *segments: str) -> set[str]:
    prefix = video.outputs_prefix
    assert re.fullmatch(rf"{prefix}preview/clip-\d+\.mp4", video.preview_key), video.preview_key
    return {
        f"{prefix}hls/master.m3u8",
        f"{prefix}poster.jpg",
        f"{prefix}storyboard/storyboard.jpg",
        f"{prefix}storyboard/storyboard.vtt",
        video.preview_key,
        *(f"{prefix}hls/{s}" for s in segments),
    }


def master_entries(text: str) -> list[dict[str, str]]:
    entries = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            entries.append({**{k: v.strip('"') for k, v in attrs.items()}, "URI": lines[i + 1]})
    return entries


def pending(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path))


# --- start_processing -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_start_processing_marks_processing_and_queues_the_job_on_commit(clips, django_capture_on_commit_callbacks):
    """Status processing, progress 0, no old failure; the transcode task is queued only when the transaction commits."""
    video = uploaded_video(clips["360p"])
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.FAILED, failure_reason="old", progress=40)
    video.refresh_from_db()
    with django_capture_on_commit_callbacks() as callbacks:
        video_tasks.start_processing(video)
        assert pending(process_video) == []
    for callback in callbacks:
        callback()
    video.refresh_from_db()
    assert (video.status, video.progress, video.failure_reason) == (VideoStatus.PROCESSING, 0, "")
    [queued] = pending(process_video)
    assert queued.queue_name == "transcode" and queued.args_kwargs["args"] == [video.pk]


# --- the job: outputs ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_640x360_upload_gets_only_the_360p_rung_with_poster_and_storyboard(
    clips, owner, django_capture_on_commit_callbacks
):
    """A 360p source is not upscaled: one rung, plus poster and storyboard, all under videos/<id>/."""
    video = process(uploaded_video(clips["360p"], owner), django_capture_on_commit_callbacks)

    assert video.status == VideoStatus.READY, video.failure_reason
    assert (video.progress, video.processing_token, video.processing_attempts) == (100, None, 1)
    assert video.ready_at is not None and video.storage_prefix == video.outputs_prefix
    assert [(r["name"], r["width"], r["height"]) for r in video.renditions] == [("360p", 640, 360)]
    assert video.renditions[0]["playlist"] == f"videos/{video.pk}/hls/360p/index.m3u8"
    assert video.renditions[0]["bandwidth"] > 0
    assert video.hls_master_key == f"videos/{video.pk}/hls/master.m3u8"
    assert video.poster_key == f"videos/{video.pk}/poster.jpg"
    assert video.storyboard_image_key == f"videos/{video.pk}/storyboard/storyboard.jpg"
    assert video.storyboard_vtt_key == f"videos/{video.pk}/storyboard/storyboard.vtt"
    assert (video.width, video.height, video.video_codec, video.audio_codec) == (640, 360, "h264", "aac")
    assert video.duration == pytest.approx(2, abs=0.1)
    assert len(video.sha256) == 64
    assert stored_keys() == {video.original_key} | outputs_of(video, "360p/index.m3u8", "360p/seg_00000.ts")
    assert work_dirs() == []


@pytest.mark.django_db
def test_1280x720_upload_gets_360p_540p_720p_listed_in_the_master_playlist(
    clips, owner, django_capture_on_commit_callbacks
):
    """Three rungs; master.m3u8 lists each with BANDWIDTH, RESOLUTION and H.264/AAC CODECS; segments ≤ 6 s."""
    video = process(uploaded_video(clips["720p"], owner), django_capture_on_commit_callbacks)

    assert video.status == VideoStatus.READY, video.failure_reason
    assert [(r["name"], r["width"], r["height"]) for r in video.renditions] == [
        ("360p", 640, 360),
        ("540p", 960, 540),
        ("720p", 1280, 720),
    ]
    entries = master_entries(storage.read_text(video.hls_master_key))
    assert [(e["RESOLUTION"], e["URI"]) for e in entries] == [
        ("640x360", "360p/index.m3u8"),
        ("960x540", "540p/index.m3u8"),
        ("1280x720", "720p/index.m3u8"),
    ]
    assert [int(e["BANDWIDTH"]) for e in entries] == [r["bandwidth"] for r in video.renditions]
    assert all(e["CODECS"].startswith("avc1.") and "mp4a.40.2" in e["CODECS"] for e in entries)
    for rendition in video.renditions:
        playlist = storage.read_text(rendition["playlist"])
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist and "#EXT-X-ENDLIST" in playlist
        assert max(float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)) <= 6.0


def make_noisy_clip(path: Path, seconds: int) -> Path:
    """A 640x360 clip of moving noise: expensive to encode, so slow presets take seconds, not milliseconds."""
    subprocess.run(  # noqa: S603
        [ffmpeg(), "-v", "error", "-y", "-f", "lavfi"]
        + ["-i", f"testsrc=size=640x360:rate=24:duration={seconds},noise=alls=60:allf=t"]
        + ["-f", "lavfi", "-i", f"sine=duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast"]
        + ["-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )
    return path


@pytest.mark.django_db
def test_progress_is_written_while_ffmpeg_runs(settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """With the write throttle off, the job stores rising progress while encoding and uploading, then 100."""
    from django.test.utils import CaptureQueriesContext

    settings.VIDEO_X264_PRESET = "medium"
    monkeypatch.setattr(pipeline, "HEARTBEAT_INTERVAL", 0)
    video = uploaded_video(make_noisy_clip(tmp_path / "noisy.mp4", seconds=4))
    with CaptureQueriesContext(connection) as queries:
        video = process(video, django_capture_on_commit_callbacks)
    assert video.status == VideoStatus.READY
    written = [
        int(m[1])
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "films_video" in q["sql"]
        for m in [re.search(r'"progress" = (\d+)', q["sql"])]
        if m
    ]
    # 0 when the lease is taken, rising values while ffmpeg runs, 95-99 while uploading, 100 when ready.
    assert written[0] == 0 and written[-1] == 100 and written == sorted(written), written
    assert any(0 < p < pipeline.TRANSCODE_SHARE for p in written), written
    assert any(pipeline.TRANSCODE_SHARE <= p < 100 for p in written), written


@pytest.mark.django_db
def test_progress_writes_are_throttled(clips):
    """Several progress reports within two seconds cause one database write, not one each."""
    video = uploaded_video(clips["360p"])
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING)
    token = pipeline._take_lease(video.pk)
    job = pipeline.ProcessingJob(video.pk, token)
    for percent in (10, 20, 30, 40):
        job.on_transcode_progress(percent)
    video.refresh_from_db()
    assert video.progress == int(10 * pipeline.TRANSCODE_SHARE / 100)


@pytest.mark.django_db
def test_second_run_of_the_same_job_leaves_exactly_the_same_keys(clips, django_capture_on_commit_callbacks):
    """Re-processing replaces the outputs: same key set, no duplicates, and leftovers of failed attempts are gone."""
    video = process(uploaded_video(clips["720p"]), django_capture_on_commit_callbacks)
    first = stored_keys()
    leftover = Path(django_settings.VIDEO_ROOT) / f"videos/{video.pk}/hls/1080p/seg_00007.ts"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a segment from a run that died")

    video = process(video, django_capture_on_commit_callbacks)
    assert video.status == VideoStatus.READY
    assert stored_keys() == first
    assert sum(1 for key in first if key.endswith(".ts")) == 3  # one 2 s segment per rung


# --- the job: deduplication ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_same_bytes_uploaded_again_reuse_the_first_videos_outputs(clips, owner, django_capture_on_commit_callbacks):
    """The second upload of identical bytes becomes ready at once, pointing at the first one's outputs."""
    first = process(uploaded_video(clips["360p"], owner, "First"), django_capture_on_commit_callbacks)
    second = uploaded_video(clips["360p"], owner, "Second")
    second_original = second.original_key

    second = process(second, django_capture_on_commit_callbacks)
    assert second.status == VideoStatus.READY
    assert second.duplicate_of == first
    assert second.sha256 == first.sha256
    assert (second.hls_master_key, second.renditions, second.poster_key) == (
        first.hls_master_key,
        first.renditions,
        first.poster_key,
    )
    assert (second.storyboard_vtt_key, second.storage_prefix) == (first.storyboard_vtt_key, first.outputs_prefix)
    assert (second.duration, second.width, second.height) == (first.duration, first.width, first.height)
    assert not storage.exists(second_original) and second.original_key == ""
    # Only the preview clip is its own: its creator may pick another start.
    assert stored_keys(second.outputs_prefix) == {second.preview_key} == {f"{second.outputs_prefix}preview/clip-0.mp4"}


@pytest.mark.django_db
def test_deleting_the_first_of_two_identical_uploads_keeps_the_second_playable(
    clips, django_capture_on_commit_callbacks
):
    """delete_video_files leaves shared outputs while a duplicate points at them, and removes them with the last one."""
    first = process(uploaded_video(clips["360p"], title="First"), django_capture_on_commit_callbacks)
    second = process(uploaded_video(clips["360p"], title="Second"), django_capture_on_commit_callbacks)
    assert second.duplicate_of == first

    pipeline.delete_video_files(first)
    first.delete()
    second.refresh_from_db()
    assert not storage.exists(first.original_key)
    assert storage.exists(second.hls_master_key) and storage.exists(second.renditions[0]["playlist"])
    assert second.status == VideoStatus.READY

    pipeline.delete_video_files(second)
    assert stored_keys() == set()


@pytest.mark.django_db
def test_deleting_a_video_removes_its_original_and_outputs(clips, django_capture_on_commit_callbacks):
    """Without duplicates everything under videos/<id>/ goes."""
    video = process(uploaded_video(clips["360p"]), django_capture_on_commit_callbacks)
    assert stored_keys(video.outputs_prefix)
    pipeline.delete_video_files(video)
    assert stored_keys() == set()


# --- the job: failures ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_file_that_is_not_a_video_fails_removes_the_original_and_emails_the_owner(
    tmp_path, owner, mailoutbox, django_capture_on_commit_callbacks
):
    """The probe's reason is stored and mailed (with the admin link); the useless original is deleted."""
    fake = tmp_path / "holiday.mp4"
    fake.write_text("this is a shopping list, not a film\n" * 50)
    video = uploaded_video(fake, owner, "Shopping list")
    original = video.original_key

    video = process(video, django_capture_on_commit_callbacks)
    assert video.status == VideoStatus.FAILED
    assert video.failure_reason
    assert video.processing_token is None
    assert not storage.exists(original) and video.original_key == ""
    assert stored_keys() == set() and work_dirs() == []
    [mail] = mailoutbox
    assert mail.to == ["maker@example.com"]
    assert "Shopping list" in mail.subject and "could not be processed" in mail.subject
    assert video.failure_reason in mail.body
    assert f"{django_settings.WAGTAILADMIN_BASE_URL}/admin/videos/edit/{video.pk}/" in mail.body


@pytest.mark.django_db
def test_missing_original_fails_with_a_clear_reason(clips, django_capture_on_commit_callbacks):
    """An original that vanished from storage fails the video instead of crashing the worker."""
    video = uploaded_video(clips["360p"])
    storage.delete(video.original_key)
    video = process(video, django_capture_on_commit_callbacks)
    assert video.status == VideoStatus.FAILED
    assert "missing" in video.failure_reason


@pytest.mark.django_db
def test_ready_email_is_plain_english_text_with_the_admin_link(
    clips, owner, mailoutbox, django_capture_on_commit_callbacks
):
    """The owner hears that the video is ready (a notification, e-mailed in the owner's language),
    with an absolute link to its admin page."""
    video = process(uploaded_video(clips["360p"], owner, "Night & Day"), django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert mail.subject == "[ReelVision] Your video “Night & Day” is ready to play"
    assert "Hello Maker," in mail.body and "ready to play" in mail.body
    assert "&amp;" not in mail.body
    assert f"{django_settings.WAGTAILADMIN_BASE_URL}/admin/videos/edit/{video.pk}/" in mail.body
    assert not mail.alternatives  # plain text
    assert owner.notifications.get().kind == "video_processed"


@pytest.mark.django_db
def test_unexpected_error_leaves_the_job_for_the_next_housekeeping_round(clips, django_capture_on_commit_callbacks):
    """A crash that is not the video's fault (here: unreadable storage) re-raises and is retried soon, not failed."""
    video = uploaded_video(clips["360p"])
    original = Path(django_settings.VIDEO_ROOT) / video.original_key
    original.unlink()
    (original / "not-a-file").mkdir(parents=True)  # exists in storage, but cannot be read
    with django_capture_on_commit_callbacks(execute=True):
        video_tasks.start_processing(video)
    with pytest.raises(IsADirectoryError):
        process_video.call(video.pk)
    video.refresh_from_db()
    assert (video.status, video.heartbeat_at, video.processing_attempts) == (VideoStatus.PROCESSING, None, 1)
    assert work_dirs() == []
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)  # as the worker that ran it records
    with django_capture_on_commit_callbacks(execute=True):
        assert housekeeping.run_housekeeping().requeued == [video.pk]


# --- the lease -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_run_while_one_holds_a_live_lease_does_nothing(clips):
    """Two runs of the same job cannot both work: the one without the lease returns at once."""
    video = uploaded_video(clips["360p"])
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING)
    assert pipeline._take_lease(video.pk) is not None
    assert process_video.call(video.pk) == "skipped"
    video.refresh_from_db()
    assert (video.processing_attempts, video.status, video.sha256) == (1, VideoStatus.PROCESSING, "")


@pytest.mark.django_db
def test_run_whose_lease_was_taken_over_writes_nothing(clips):
    """A stale run (its token replaced by a newer run) changes neither the row nor storage."""
    video = uploaded_video(clips["360p"])
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING)
    stale_token = pipeline._take_lease(video.pk)
    newer_token = uuid.uuid4()
    Video.objects.filter(pk=video.pk).update(processing_token=newer_token)
    before = Video.objects.values().get(pk=video.pk)

    job = pipeline.ProcessingJob(video.pk, stale_token)
    with pytest.raises(pipeline.LeaseLost):
        job.run()
    assert Video.objects.values().get(pk=video.pk) == before
    assert stored_keys() == {video.original_key}


@pytest.mark.django_db
def test_losing_the_lease_during_transcode_stops_ffmpeg_and_writes_nothing(clips):
    """The heartbeat notices the lease is gone: the job stops before uploading anything."""
    video = uploaded_video(clips["720p"])
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING)
    token = pipeline._take_lease(video.pk)

    class TakenOverMidway(pipeline.ProcessingJob):
        def on_transcode_progress(self, percent):
            Video.objects.filter(pk=self.video_id).update(processing_token=uuid.uuid4())
            self.heartbeat(progress=int(percent))

    with pytest.raises(pipeline.LeaseLost):
        TakenOverMidway(video.pk, token).run()
    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING and video.hls_master_key == "" and video.progress == 0
    assert stored_keys() == {video.original_key}


# --- housekeeping ------------------------------------------------------------------------------------------


def stalled(clip: Path, *, attempts: int, minutes_ago: int = 30) -> Video:
    video = uploaded_video(clip)
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING,
        processing_attempts=attempts,
        processing_token=uuid.uuid4(),
        heartbeat_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return Video.objects.get(pk=video.pk)


@pytest.mark.django_db
def test_housekeeping_requeues_a_stalled_job_and_revokes_its_lease(clips, django_capture_on_commit_callbacks):
    """No heartbeat for longer than VIDEO_PROCESSING_STALE_AFTER: the job is queued again under a new lease."""
    video = stalled(clips["360p"], attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = housekeeping.run_housekeeping()
    assert report.requeued == [video.pk] and report.failed == []
    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING and video.processing_token is None
    assert [r.args_kwargs["args"] for r in pending(process_video)] == [[video.pk]]

    with django_capture_on_commit_callbacks(execute=True):
        assert housekeeping.run_housekeeping().requeued == []  # already queued: not queued twice


@pytest.mark.django_db
def test_housekeeping_fails_a_job_that_stopped_too_often(clips, owner, mailoutbox, django_capture_on_commit_callbacks):
    """After VIDEO_PROCESSING_MAX_ATTEMPTS runs died, the video fails with the count and the owner is told."""
    video = stalled(clips["360p"], attempts=django_settings.VIDEO_PROCESSING_MAX_ATTEMPTS)
    Video.objects.filter(pk=video.pk).update(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        report = housekeeping.run_housekeeping()
    assert report.failed == [video.pk]
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert video.failure_reason.startswith(
        f"Processing stopped {django_settings.VIDEO_PROCESSING_MAX_ATTEMPTS} times before it could finish"
    )
    assert pending(process_video) == []
    [mail] = mailoutbox
    assert video.failure_reason in mail.body


@pytest.mark.django_db
def test_housekeeping_leaves_live_jobs_alone(clips, django_capture_on_commit_callbacks):
    """A job that heartbeated recently is working: not re-queued, lease untouched."""
    video = stalled(clips["360p"], attempts=1, minutes_ago=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert housekeeping.run_housekeeping().requeued == []
    assert Video.objects.get(pk=video.pk).processing_token == video.processing_token


@pytest.mark.django_db
def test_housekeeping_removes_work_dirs_without_a_live_lease(clips):
    """Work directories of dead or superseded runs go; the one of the run holding the lease stays."""
    video = stalled(clips["360p"], attempts=1, minutes_ago=0)
    live = pipeline.work_root() / f"{video.pk}-{video.processing_token.hex}"
    dead = pipeline.work_root() / f"{video.pk}-{uuid.uuid4().hex}"
    orphan = pipeline.work_root() / f"999999-{uuid.uuid4().hex}"
    for path in (live, dead, orphan):
        (path / "out").mkdir(parents=True)
    assert pipeline.sweep_work_dirs() == 2
    assert work_dirs() == [live]


@pytest.mark.django_db
def test_housekeeping_task_keeps_exactly_one_run_scheduled(settings):
    """Each run queues the next one VIDEO_HOUSEKEEPING_INTERVAL ahead, unless one is already waiting."""
    settings.VIDEO_HOUSEKEEPING_INTERVAL = 120
    assert pending(housekeeping.housekeeping) == []
    housekeeping.housekeeping.call()
    [scheduled] = pending(housekeeping.housekeeping)
    assert scheduled.queue_name == "default"
    assert scheduled.run_after - timezone.now() == pytest.approx(timedelta(seconds=120), abs=timedelta(seconds=10))
    housekeeping.housekeeping.call()
    assert len(pending(housekeeping.housekeeping)) == 1


@pytest.mark.django_db
def test_management_command_schedule_is_idempotent():
    """`video_housekeeping --schedule` (run by bin/run at every start) queues one housekeeping task, never two."""
    call_command("video_housekeeping", "--schedule", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("video_housekeeping", "--schedule", stdout=open(os.devnull, "w"))  # noqa: SIM115
    [scheduled] = pending(housekeeping.housekeeping)
    assert scheduled.run_after <= timezone.now()


@pytest.mark.django_db
def test_management_command_runs_housekeeping_once(clips, capsys):
    """Without --schedule the command does one round now (for cron) and says what it did."""
    video = stalled(clips["360p"], attempts=1)
    call_command("video_housekeeping")
    assert "re-queued 1" in capsys.readouterr().out
    assert Video.objects.get(pk=video.pk).processing_token is None


# --- S3 ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_s3_the_outputs_land_under_videos_id_in_the_bucket(clips, s3_storage, django_capture_on_commit_callbacks):
    """The original is downloaded from the bucket, and every output is uploaded back under videos/<id>/."""
    video = process(uploaded_video(clips["720p"]), django_capture_on_commit_callbacks)
    assert video.status == VideoStatus.READY, video.failure_reason
    keys = stored_keys()
    segments = [f"{r}/index.m3u8" for r in ("360p", "540p", "720p")]
    segments += [f"{r}/seg_00000.ts" for r in ("360p", "540p", "720p")]
    assert keys == {video.original_key} | outputs_of(video, *segments)
    head = s3_storage.head_object(Bucket=storage.bucket_name(), Key=video.hls_master_key)
    assert head["ContentType"] == "application/vnd.apple.mpegurl"
    assert work_dirs() == []  # the downloaded original went with the work directory

    second_keys = stored_keys()
    video = process(video, django_capture_on_commit_callbacks)  # again: the same keys, nothing twice
    assert stored_keys() == second_keys


# --- a worker killed mid-job, for real ------------------------------------------------------------------------


class SharedDatabase:
    """The test database as another process can open it, and a way to read a video's state meanwhile.

    PostgreSQL: the test database itself (``test_<name>``). SQLite: pytest-django's test database lives
    in memory, which no other process can see, so it is copied to a file (SQLite's backup API) for the
    subprocesses, and the file is copied back into the in-memory database afterwards, where the
    assertions read it through the ORM as usual.
    """

    def __init__(self, tmp_path: Path):
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.file = None
        if self.vendor == "postgresql":
            s = connection.settings_dict
            self.url = (
                f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            )
        elif self.vendor == "sqlite":
            if connection.is_in_memory_db():
                self.file = tmp_path / "shared.sqlite3"
                with sqlite3.connect(self.file) as target:
                    connection.connection.backup(target)
                self.url = f"sqlite:///{self.file}"
            else:
                self.url = f"sqlite:///{connection.settings_dict['NAME']}"
        else:
            pytest.skip(f"no cross-process recipe for {self.vendor}")

    def video_state(self, pk: int) -> tuple[str, int]:
        if self.file is None:
            return Video.objects.values_list("status", "progress").get(pk=pk)
        with sqlite3.connect(self.file, timeout=20) as db:
            return db.execute(f"SELECT status, progress FROM {Video._meta.db_table} WHERE id = ?", (pk,)).fetchone()  # noqa: S608

    def close(self) -> None:
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()


@contextmanager
def shared_database(tmp_path):
    db = SharedDatabase(tmp_path)
    try:
        yield db
    finally:
        db.close()


def manage(*args: str, env: dict, log: Path, wait: bool = True, timeout: float = 300):
    """Run manage.py in a new process with ``env``; returns the Popen (still running if not ``wait``)."""
    out = log.open("ab")
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
    )
    if wait:
        assert proc.wait(timeout=timeout) == 0, log.read_text()
    return proc


def processes_using(path: Path) -> list[int]:
    """Pids whose command line mentions ``path`` (e.g. an orphaned ffmpeg writing into a work dir)."""
    found = []
    for proc_dir in Path("/proc").iterdir():
        if proc_dir.name.isdigit():
            try:
                if str(path).encode() in (proc_dir / "cmdline").read_bytes():
                    found.append(int(proc_dir.name))
            except OSError:
                continue
    return found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_transcode_is_retried_by_housekeeping_and_ends_ready(settings, tmp_path):
    """kill -9 the worker mid-ffmpeg; housekeeping re-queues the job; a fresh worker finishes it cleanly.

    The end state: ready after two attempts, exactly one set of outputs in storage (no duplicate
    renditions or segments), no work directories and no orphaned ffmpeg left behind.
    """
    media, scratch, log = tmp_path / "media", tmp_path / "tmp", tmp_path / "manage.log"
    scratch.mkdir()
    # With -preset slower a noisy 10 s clip takes several seconds even for one 360p rung.
    clip = make_noisy_clip(tmp_path / "noisy.mp4", seconds=10)
    video = uploaded_video(clip)
    video_tasks.start_processing(video)  # autocommit: queued at once

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reelvision.settings.test",
        "TEST_MEDIA_ROOT": str(media),
        "TEST_VIDEO_ROOT": str(settings.VIDEO_ROOT),
        "TMPDIR": str(scratch),  # work_root() is <TMPDIR>/reelvision-video/<installation> in the workers
        "VIDEO_X264_PRESET": "slower",
    }
    with shared_database(tmp_path) as db:
        env["DATABASE_URL"] = db.url
        worker = manage(
            "db_worker",
            "--backend",
            "db",
            "--queue-name",
            "transcode",
            "--no-startup-delay",
            "--interval",
            "0.2",
            env=env,
            log=log,
            wait=False,
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                status, progress = db.video_state(video.pk)
                assert status == VideoStatus.PROCESSING, f"finished before it could be killed: {status}"
                if progress > 0:
                    break
                assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            assert any(scratch.iterdir()), "the running job has a work directory"
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
        time.sleep(0.5)
        assert processes_using(scratch) == [], "ffmpeg died with its worker"

        # Housekeeping with a tiny stale time sees the dead job, then a fresh worker drains the queue.
        time.sleep(1.1)
        manage("video_housekeeping", env={**env, "VIDEO_PROCESSING_STALE_AFTER": "1"}, log=log)
        assert "re-queued 1, failed 0, removed 1 work directories" in log.read_text()
        manage(
            "db_worker",
            "--backend",
            "db",
            "--queue-name",
            "transcode",
            "--no-startup-delay",
            "--batch",
            env={**env, "VIDEO_X264_PRESET": "ultrafast"},
            log=log,
        )

    video.refresh_from_db()
    assert video.status == VideoStatus.READY, (video.failure_reason, log.read_text())
    assert (video.processing_attempts, video.progress, video.processing_token) == (2, 100, None)
    segments = re.findall(r"^seg_\d+\.ts$", storage.read_text(video.renditions[0]["playlist"]), re.MULTILINE)
    assert segments == ["seg_00000.ts", "seg_00001.ts", "seg_00002.ts"]  # 10 s in 4 s segments
    assert [r["name"] for r in video.renditions] == ["360p"]
    assert stored_keys() == {video.original_key} | outputs_of(
        video, "360p/index.m3u8", *(f"360p/{s}" for s in segments)
    )
    assert list(scratch.glob("reelvision-video/*/*")) == [], "no work directories left behind"
    assert {p.relative_to(scratch).parts[0] for p in scratch.rglob("*")} <= {"reelvision-video"}
