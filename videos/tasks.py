"""The video pipeline's queue: the processing task and the preview task, and starting them.

Run the tasks with ``manage.py task_worker --backend db --queue-name transcode,analysis`` (processing,
preview clips, and below them the analysis after processing) and
``--queue-name default`` (housekeeping, ``videos.housekeeping``); ``bin/run`` starts one worker for
every queue. The work itself lives in ``videos.pipeline``; the task takes only an id.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from videos import analysis, pipeline, privacy
from videos.models import Video

# A preview asked for while the video is being processed is asked for again this much later.
PREVIEW_RETRY_SECONDS = 30
# Below transcodes (priority 0): a worker serving both queues starts any waiting transcode first.
ANALYSIS_PRIORITY = -10


@task(backend="db", queue_name="transcode")
def process_video(video_id: int) -> str:
    """Transcode one uploaded video (HLS ladder, poster, storyboard, preview clip) and mark it ready or failed."""
    return pipeline.process_video(video_id)


def start_processing(video: Video) -> None:
    """Mark ``video`` as processing and queue the job once the current transaction commits."""
    pipeline.mark_processing(video)
    transaction.on_commit(functools.partial(process_video.enqueue, video.pk))


@task(backend="db", queue_name="transcode")
def make_preview(video_id: int) -> str:
    """Cut the hover preview clip again from the picked start; the rest of the outputs stay.

    On the transcode queue: the workers that serve it are the ones with ffmpeg. While the video is
    being processed, try again later: the run reads the start when it cuts the clip, but the start
    may change after that.
    """
    outcome = pipeline.remake_preview(video_id)
    if outcome == "processing":
        make_preview.using(run_after=timezone.now() + timedelta(seconds=PREVIEW_RETRY_SECONDS)).enqueue(video_id)
    return outcome


def start_preview(video: Video) -> None:
    """Queue a new preview clip for ``video`` (its picked start changed) once the current transaction commits."""
    transaction.on_commit(functools.partial(make_preview.enqueue, video.pk))


@task(backend="db", queue_name="analysis", priority=ANALYSIS_PRIORITY)
def analyse_video(video_id: int, token: str) -> str:
    """Scene cuts, suggested chapters and poster candidates of a ready video (`videos.analysis`)."""
    return analysis.run(video_id, token)


def start_analysis(video: Video) -> None:
    """Queue a new analysis of ``video`` (retiring any run under way) once the current transaction commits."""
    token = analysis.queue(video)
    transaction.on_commit(functools.partial(analyse_video.enqueue, video.pk, str(token)))


@task(backend="db", queue_name="analysis", priority=ANALYSIS_PRIORITY)
def find_mosaic_people(video_id: int, token: str) -> str:
    """The people in a behind-the-scenes video, for its privacy mosaic (`videos.privacy.find`)."""
    return privacy.find(video_id, token)


@task(backend="db", queue_name="analysis", priority=ANALYSIS_PRIORITY)
def render_mosaic(video_id: int, token: str) -> str:
    """The mosaic version of a behind-the-scenes video, then what viewers get (`videos.privacy.render`)."""
    return privacy.render(video_id, token)


def start_finding_people(video: Video) -> None:
    """Queue finding the people of ``video`` once the current transaction commits (raises
    `privacy.NotAllowed` when the video cannot be mosaicked)."""
    token = privacy.queue_find(video)
    transaction.on_commit(functools.partial(find_mosaic_people.enqueue, video.pk, str(token)))


def start_mosaic(video: Video) -> None:
    """Queue the mosaic version of ``video`` once the current transaction commits."""
    token = privacy.queue_render(video)
    transaction.on_commit(functools.partial(render_mosaic.enqueue, video.pk, str(token)))
