"""videos.pipeline: the processing lease is renewed on a timer of its own, and housekeeping respects it."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from videos import housekeeping, pipeline
from videos.models import Video, VideoStatus
from videos.tests.helpers import uploaded_video, work_dirs
from videos.tests.media import make_clip


@pytest.fixture(autouse=True)
def _private_media_and_work_dirs(settings, tmp_path):
    """Each test gets its own media and work directories, and a fast x264 preset."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if hasattr(settings, "VIDEO_ROOT"):
        settings.VIDEO_ROOT = tmp_path / "video-files"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


class StepClock:
    """The lease renewer's clock, moved by hand: a renewal period passes only on ``tick()``.

    ``tick()`` returns once the renewal it started is over, so nothing in these tests waits for
    real time to pass or races the renewer's thread.
    """

    def __init__(self):
        self._periods = threading.Semaphore(0)
        self._renewed = threading.Semaphore(0)

    def wait(self, stopped: threading.Event, seconds: float) -> bool:
        while not stopped.is_set():
            if self._periods.acquire(timeout=0.01):
                return False
        return True

    def drive(self, renewer: pipeline.LeaseRenewer) -> pipeline.LeaseRenewer:
        """Give ``renewer`` this clock, and hear from each of its renewals."""
        renew = renewer.renew

        def renew_and_report():
            try:
                renew()
            finally:
                self._renewed.release()

        renewer.renew, renewer.wait = renew_and_report, self.wait
        return renewer

    def tick(self) -> None:
        self._periods.release()
        assert self._renewed.acquire(timeout=60), "the lease renewer did not renew"


def test_renewer_renews_once_per_period_however_long_the_period():
    """An hour-long period passes in no time on the step clock: one renewal per tick, none after stopping."""
    clock, renewals = StepClock(), []
    with clock.drive(pipeline.LeaseRenewer(lambda: renewals.append(1), every=3600)):
        for _ in range(3):
            clock.tick()
    assert len(renewals) == 3


def test_renewer_keeps_renewing_after_a_database_error():
    """A renewal that hits a database error is skipped; the next period renews again."""
    clock, renewals = StepClock(), []

    def renew():
        renewals.append(1)
        if len(renewals) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    with clock.drive(pipeline.LeaseRenewer(renew, every=60)) as renewer:
        clock.tick()
        clock.tick()
    assert len(renewals) == 2 and not renewer.lost


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("lease-clips") / "360p.mp4", seconds=2, width=640, height=360)


def leased(clip: Path) -> tuple[Video, uuid.UUID]:
    video = uploaded_video(clip)
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING)
    return video, pipeline._take_lease(video.pk)


# The renewer writes from its own thread, so its connection must see the test's rows: committed data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_housekeeping_leaves_a_long_silent_transcode_and_its_work_dir_alone(clip, monkeypatch):
    """ffmpeg silent for longer than VIDEO_PROCESSING_STALE_AFTER: the renewed lease keeps housekeeping away."""
    video, token = leased(clip)
    clock, seen = StepClock(), {}
    real_transcode = pipeline.run_transcode

    def silent_transcode(*args, on_progress=None, **kwargs):
        # As if ffmpeg had said nothing for an hour: the last heartbeat from the job's own steps is that old.
        Video.objects.filter(pk=video.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
        clock.tick()  # one renewal period passes; the renewer heartbeats whatever ffmpeg does
        seen["report"] = housekeeping.run_housekeeping()  # another worker's round, mid-transcode
        seen["work_dirs"] = work_dirs()
        return real_transcode(*args, on_progress=None, **kwargs)

    monkeypatch.setattr(pipeline, "run_transcode", silent_transcode)
    job = pipeline.ProcessingJob(video.pk, token)
    clock.drive(job.renewer)
    assert job.run() == "ready"
    assert seen["report"].requeued == [] and seen["report"].work_dirs_removed == 0
    assert seen["work_dirs"] == [job.work_dir]
    video.refresh_from_db()
    assert (video.status, video.processing_attempts) == (VideoStatus.READY, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lease_lost_while_ffmpeg_runs_stops_the_job_before_it_writes(clip, monkeypatch):
    """The renewer finds the lease taken over mid-transcode; the job stops at ffmpeg's next progress line."""
    video, token = leased(clip)
    clock = StepClock()
    real_transcode = pipeline.run_transcode

    def taken_over_transcode(*args, **kwargs):
        Video.objects.filter(pk=video.pk).update(processing_token=uuid.uuid4())  # housekeeping re-queued it
        clock.tick()
        return real_transcode(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run_transcode", taken_over_transcode)
    job = pipeline.ProcessingJob(video.pk, token)
    clock.drive(job.renewer)
    with pytest.raises(pipeline.LeaseLost):
        job.run()
    assert job.renewer.lost
    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING and video.hls_master_key == ""


@pytest.mark.django_db
def test_installations_on_one_machine_keep_out_of_each_others_work_dirs():
    """Another installation's work directory under the same temp dir survives this one's sweep."""
    with override_settings(BASE_DIR=Path("/srv/another-reelvision")):
        foreign = pipeline.work_root() / f"1-{uuid.uuid4().hex}"
    foreign.mkdir(parents=True)
    ours = pipeline.work_root() / f"1-{uuid.uuid4().hex}"
    ours.mkdir(parents=True)
    assert pipeline.sweep_work_dirs() == 1
    assert foreign.is_dir() and not ours.exists()
