"""Housekeeping of the video pipeline: what a worker that died mid-job, or a browser that left an
upload half-done, leaves behind.

``run_housekeeping`` (the periodic ``housekeeping`` task, or ``manage.py video_housekeeping``)
re-queues processing jobs whose worker stopped heartbeating, up to
``VIDEO_PROCESSING_MAX_ATTEMPTS`` runs (then fails the video and tells its owner), removes work
directories that no live run owns, and aborts abandoned uploads. It sits above the upload protocol
and the processing job, so neither of them needs to know about it.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import ngettext

from reelvision.tasks import pending_task_args, schedule_once
from videos.models import Video, VideoStatus
from videos.pipeline import clean_outputs, sweep_work_dirs
from videos.signals import video_failed
from videos.tasks import process_video
from videos.upload import cleanup_abandoned_uploads

logger = logging.getLogger(__name__)


@dataclass
class HousekeepingReport:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    work_dirs_removed: int = 0
    abandoned_uploads: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def run_housekeeping() -> HousekeepingReport:
    """Retry or fail jobs whose worker stopped heartbeating; drop orphaned work dirs and abandoned uploads."""
    report = HousekeepingReport()
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.VIDEO_PROCESSING_STALE_AFTER)
    queued = {args[0] for args in pending_task_args(process_video) if args}
    stale = Video.objects.filter(status=VideoStatus.PROCESSING).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True)
    )
    for video in stale.exclude(pk__in=queued).only("pk", "heartbeat_at", "processing_attempts"):
        # Conditional on the heartbeat we saw: a run that beat in the meantime is alive after all.
        still_stale = Video.objects.filter(pk=video.pk, status=VideoStatus.PROCESSING, heartbeat_at=video.heartbeat_at)
        attempts = video.processing_attempts
        if attempts >= settings.VIDEO_PROCESSING_MAX_ATTEMPTS:
            reason = ngettext(
                "Processing stopped %(count)d time before it could finish (the server restarted, ran out of "
                "memory or hit an error). Try uploading the video again; if it keeps happening, contact us.",
                "Processing stopped %(count)d times before it could finish (the server restarted, ran out of "
                "memory or hit an error). Try uploading the video again; if it keeps happening, contact us.",
                attempts,
            ) % {"count": attempts}
            if still_stale.update(
                status=VideoStatus.FAILED, failure_reason=reason, processing_token=None, updated_at=now
            ):
                clean_outputs(video.outputs_prefix)
                video_failed.send_robust(sender=Video, video_id=video.pk)
                report.failed.append(video.pk)
        elif still_stale.update(processing_token=None, heartbeat_at=now, updated_at=now):
            # Token cleared: the next run may take the lease, and a stalled run that wakes up stops.
            transaction.on_commit(functools.partial(process_video.enqueue, video.pk))
            report.requeued.append(video.pk)
    report.work_dirs_removed = sweep_work_dirs()
    report.abandoned_uploads = cleanup_abandoned_uploads()
    if report.requeued or report.failed:
        logger.warning("video housekeeping: re-queued %s, failed %s", report.requeued, report.failed)
    return report


def housekeeping_interval() -> int:
    return int(getattr(settings, "VIDEO_HOUSEKEEPING_INTERVAL", 300))


def schedule_housekeeping(delay: float = 0) -> bool:
    """Queue the housekeeping task ``delay`` seconds from now unless one is already waiting; True if queued."""
    return schedule_once(housekeeping, delay)


@task(backend="db", queue_name="default")
def housekeeping() -> dict:
    """Re-queue or fail stalled processing jobs, clean up, and schedule the next round.

    Each run queues the next one (``VIDEO_HOUSEKEEPING_INTERVAL`` seconds later) unless one is already
    waiting, so exactly one is always scheduled once ``manage.py video_housekeeping --schedule`` ran.
    """
    try:
        return run_housekeeping().as_dict()
    finally:
        schedule_housekeeping(delay=housekeeping_interval())
