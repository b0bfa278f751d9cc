"""The hover preview in the pipeline: made with the other outputs, re-made alone when its start changes,
kept apart for duplicates, deleted with the video; the start picked in the Videos admin."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.tests.factories import CreatorFactory
from videos import pipeline, signing, storage
from videos import tasks as video_tasks
from videos.ffmpeg import find_ffprobe
from videos.models import Video, VideoStatus
from videos.tasks import make_preview, process_video
from videos.tests.helpers import uploaded_video
from videos.tests.media import ffmpeg, make_clip, make_color_steps

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(find_ffprobe() is None, reason="needs ffprobe")]

MAX_PREVIEW_BYTES = 300_000
RED, GREEN, BLUE, YELLOW = "0xd01010", "0x10c010", "0x1010d0", "0xe0e010"
STEPS = [RED, GREEN, BLUE, YELLOW, RED, GREEN, BLUE, YELLOW, RED, GREEN, BLUE, YELLOW]  # 12 s, a cut every second


@pytest.fixture(autouse=True)
def _private_work_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    base = tmp_path_factory.mktemp("preview-clips")
    return {
        "pattern": make_clip(base / "pattern.mp4", seconds=8),  # one shot: no scene change
        "cut": make_color_steps(base / "cut.mp4", [RED] * 4 + [GREEN] * 8),  # a cut at 4 s
        "steps": make_color_steps(base / "steps.mp4", STEPS),
    }


def process(video: Video, capture) -> Video:
    with capture(execute=True):
        video_tasks.start_processing(video)
    with capture(execute=True):
        process_video.call(video.pk)
    video = Video.objects.get(pk=video.pk)
    assert video.status == VideoStatus.READY, video.failure_reason
    return video


def probe(key: str) -> dict:
    args = [find_ffprobe(), "-v", "error", "-of", "json", "-show_format", "-show_streams", str(storage.local_path(key))]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)  # noqa: S603


def first_colour(key: str, tmp_path: Path) -> str:
    """The colour (of STEPS) of the clip's first frame."""
    from PIL import Image

    frame = tmp_path / "first.png"
    subprocess.run(  # noqa: S603
        [ffmpeg(), "-v", "error", "-y", "-i", str(storage.local_path(key)), "-frames:v", "1", "-vf", "scale=8:8"]
        + [str(frame)],
        check=True,
    )
    rgb = Image.open(frame).convert("RGB").getpixel((4, 4))

    def distance(color: str) -> int:
        value = int(color, 16)
        return sum((a - b) ** 2 for a, b in zip(rgb, (value >> 16, (value >> 8) & 0xFF, value & 0xFF), strict=True))

    return min(set(STEPS), key=distance)


def stored_keys(prefix: str = "videos/") -> set[str]:
    root = Path(django_settings.VIDEO_ROOT)
    return {p.relative_to(root).as_posix() for p in (root / prefix).rglob("*") if p.is_file()}


def queued(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path))


def edit(client, video: Video, start: str):
    return client.post(reverse("videos_admin:edit", args=[video.pk]), {"title": video.title, "preview_start": start})


# --- made by the processing job --------------------------------------------------------------------------


def test_processing_makes_a_silent_three_second_preview_under_300_kb(clips, django_capture_on_commit_callbacks):
    """An 8 s clip with sound and no cut: 3 s of H.264 without an audio track, from a quarter in."""
    video = process(uploaded_video(clips["pattern"]), django_capture_on_commit_callbacks)

    assert video.preview_key == f"videos/{video.pk}/preview/clip-2000.mp4"
    info = probe(video.preview_key)
    assert storage.size(video.preview_key) <= MAX_PREVIEW_BYTES
    assert float(info["format"]["duration"]) == pytest.approx(3.0, abs=0.2)
    assert [s["codec_type"] for s in info["streams"]] == ["video"]
    assert info["streams"][0]["codec_name"] == "h264"


def test_processing_starts_the_preview_at_the_first_scene_change(clips, django_capture_on_commit_callbacks):
    """Red for 4 s, then green: the clip starts on the cut, with green."""
    video = process(uploaded_video(clips["cut"]), django_capture_on_commit_callbacks)
    assert video.preview_key == f"videos/{video.pk}/preview/clip-4000.mp4"


def test_processing_starts_the_preview_at_the_picked_time(clips, tmp_path, django_capture_on_commit_callbacks):
    """Picked 5 s (before processing began): the clip's first frame is the sixth second's colour."""
    video = uploaded_video(clips["steps"])
    Video.objects.filter(pk=video.pk).update(preview_start=5.0)
    video = process(video, django_capture_on_commit_callbacks)

    assert video.preview_key == f"videos/{video.pk}/preview/clip-5000.mp4"
    assert first_colour(video.preview_key, tmp_path) == STEPS[5]
    assert float(probe(video.preview_key)["format"]["duration"]) == pytest.approx(3.0, abs=0.2)


# --- picked in the admin, re-made alone ------------------------------------------------------------------


def test_changing_the_start_in_the_admin_re_makes_only_the_preview(
    client, clips, tmp_path, django_capture_on_commit_callbacks
):
    """The save queues the small preview task, not processing; the task replaces the clip and nothing else."""
    owner = CreatorFactory()
    video = process(uploaded_video(clips["steps"], owner), django_capture_on_commit_callbacks)
    old_clip, others = video.preview_key, stored_keys() - {video.preview_key}
    master_written = storage.local_path(video.hls_master_key).stat().st_mtime_ns
    client.force_login(owner)
    processing_jobs = queued(process_video)  # the one `process` queued (and ran by hand)

    with django_capture_on_commit_callbacks(execute=True):
        assert edit(client, video, "0:07").status_code == 302
    assert len(queued(make_preview)) == 1 and queued(process_video) == processing_jobs
    assert make_preview.call(video.pk) == "ready"

    video.refresh_from_db()
    assert video.preview_start == 7.0
    assert video.preview_key == f"videos/{video.pk}/preview/clip-7000.mp4"
    assert first_colour(video.preview_key, tmp_path) == STEPS[7]
    assert stored_keys() == others | {video.preview_key} and not storage.exists(old_clip)
    assert storage.local_path(video.hls_master_key).stat().st_mtime_ns == master_written
    assert (video.status, video.processing_attempts) == (VideoStatus.READY, 1)


def test_saving_the_form_without_changing_the_start_queues_nothing(client, clips, django_capture_on_commit_callbacks):
    owner = CreatorFactory()
    video = process(uploaded_video(clips["pattern"], owner), django_capture_on_commit_callbacks)
    Video.objects.filter(pk=video.pk).update(preview_start=65.5)  # shown as 1:05.5, posted back as such
    client.force_login(owner)
    page = client.get(reverse("videos_admin:edit", args=[video.pk])).content.decode()
    assert 'value="1:05.5"' in page
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, video, "1:05.5")
    assert queued(make_preview) == []


@pytest.mark.usefixtures("english")
def test_the_admin_refuses_a_start_outside_the_video(client, clips, django_capture_on_commit_callbacks):
    """Past the end, or not a time at all: the form says why and nothing is saved or queued."""
    owner = CreatorFactory()
    video = process(uploaded_video(clips["pattern"], owner), django_capture_on_commit_callbacks)
    client.force_login(owner)
    for start, message in [
        ("0:09", "Choose a time within the video: it is 0:08 long."),
        ("1:75", "Enter a time such as 1:05 (minutes:seconds) or 65 (seconds)."),
        ("-3", "Enter a time such as 1:05 (minutes:seconds) or 65 (seconds)."),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            response = edit(client, video, start)
        assert response.status_code == 200 and message in response.content.decode(), start
    video.refresh_from_db()
    assert video.preview_start is None and queued(make_preview) == []


def test_a_preview_asked_for_during_processing_is_asked_for_again_later(clips):
    """The running job reads the start when it cuts its clip; the task comes back once it is done."""
    video = uploaded_video(clips["pattern"])
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING)
    before = timezone.now()
    assert make_preview.call(video.pk) == "processing"
    [again] = queued(make_preview)
    assert again.args_kwargs["args"] == [video.pk]
    assert again.run_after >= before + timedelta(seconds=video_tasks.PREVIEW_RETRY_SECONDS)


def test_the_same_start_again_cuts_nothing(clips, django_capture_on_commit_callbacks):
    video = uploaded_video(clips["steps"])
    Video.objects.filter(pk=video.pk).update(preview_start=3.0)
    process(video, django_capture_on_commit_callbacks)
    assert pipeline.remake_preview(video.pk) == "unchanged"


# --- duplicates and deletion ---------------------------------------------------------------------------------


def test_a_duplicate_upload_gets_its_own_preview_and_re_makes_it_from_the_first_original(
    client, clips, tmp_path, django_capture_on_commit_callbacks
):
    """The same bytes twice: outputs shared, previews not. The second's own original is gone, so a new
    start is cut from the first's; its signed link serves its own clip, not the first's."""
    owner = CreatorFactory()
    first = process(uploaded_video(clips["steps"], owner, "First"), django_capture_on_commit_callbacks)
    second = uploaded_video(clips["steps"], owner, "Second")
    Video.objects.filter(pk=second.pk).update(preview_start=9.0)
    second = process(second, django_capture_on_commit_callbacks)
    assert second.duplicate_of == first and second.original_key == ""
    assert second.preview_key == f"videos/{second.pk}/preview/clip-9000.mp4"

    Video.objects.filter(pk=second.pk).update(preview_start=1.0)
    assert make_preview.call(second.pk) == "ready"
    second.refresh_from_db()
    assert second.preview_key == f"videos/{second.pk}/preview/clip-1000.mp4"
    assert first_colour(second.preview_key, tmp_path) == STEPS[1]
    assert first.preview_key != second.preview_key and storage.exists(first.preview_key)

    client.force_login(owner)
    path = second.preview_key.removeprefix(second.outputs_prefix)
    response = client.get(signing.signed_url(second.pk, path, f"u{owner.pk}", 60))
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == storage.local_path(second.preview_key).read_bytes()

    pipeline.delete_video_files(first)  # the shared outputs stay for the second; the first's preview goes
    first.delete()
    assert not storage.exists(first.preview_key) and storage.exists(second.preview_key)
    pipeline.delete_video_files(second)
    assert stored_keys() == set()


# --- S3 ----------------------------------------------------------------------------------------------------


def test_with_s3_a_new_preview_is_cut_from_the_original_in_the_bucket(
    clips, s3_storage, tmp_path, django_capture_on_commit_callbacks
):
    """ffmpeg reads the original through a presigned GET; the clip lands beside the other outputs."""
    video = process(uploaded_video(clips["steps"]), django_capture_on_commit_callbacks)
    old_clip = video.preview_key
    Video.objects.filter(pk=video.pk).update(preview_start=6.0)
    assert make_preview.call(video.pk) == "ready"
    video.refresh_from_db()
    assert video.preview_key == f"videos/{video.pk}/preview/clip-6000.mp4"
    head = s3_storage.head_object(Bucket=storage.bucket_name(), Key=video.preview_key)
    assert head["ContentType"] == "video/mp4" and 0 < head["ContentLength"] <= MAX_PREVIEW_BYTES
    assert not storage.exists(old_clip)
