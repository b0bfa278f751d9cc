"""Background tasks of the video pipeline (database backend).

Run them with ``manage.py task_worker --backend db --queue-name transcode`` (processing) and
``--queue-name default`` (housekeeping); ``bin/run`` starts one worker for every queue.
The work itself lives in ``videos.pipeline``; these wrappers take only ids.
"""

from __future__ import annotations

from django.tasks import task

from videos import pipeline


@task(backend="db", queue_name="transcode")
def process_video(video_id: int) -> str:
    """Transcode one uploaded video (HLS ladder, poster, storyboard) and mark it ready or failed."""
    return pipeline.process_video(video_id)


@task(backend="db", queue_name="default")
def housekeeping() -> dict:
    """Re-queue or fail stalled processing jobs, clean up, and schedule the next round.

    Each run queues the next one (``VIDEO_HOUSEKEEPING_INTERVAL`` seconds later) unless one is already
    waiting, so exactly one is always scheduled once ``manage.py video_housekeeping --schedule`` ran.
    """
    try:
        return pipeline.run_housekeeping().as_dict()
    finally:
        pipeline.schedule_housekeeping(delay=pipeline.housekeeping_interval())
