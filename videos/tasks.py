"""The video pipeline's queue: the processing task, and starting it.

Run the tasks with ``manage.py task_worker --backend db --queue-name transcode`` (processing) and
``--queue-name default`` (housekeeping, ``videos.housekeeping``); ``bin/run`` starts one worker for
every queue. The work itself lives in ``videos.pipeline``; the task takes only an id.
"""

from __future__ import annotations

import functools

from django.db import transaction
from django.tasks import task

from videos import pipeline
from videos.models import Video


@task(backend="db", queue_name="transcode")
def process_video(video_id: int) -> str:
    """Transcode one uploaded video (HLS ladder, poster, storyboard) and mark it ready or failed."""
    return pipeline.process_video(video_id)


def start_processing(video: Video) -> None:
    """Mark ``video`` as processing and queue the job once the current transaction commits."""
    pipeline.mark_processing(video)
    transaction.on_commit(functools.partial(process_video.enqueue, video.pk))
