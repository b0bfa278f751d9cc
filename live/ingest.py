"""Who may broadcast when, and what a broadcast changes: nginx's hooks call these.

A premiere's stream key may publish from LIVE_EARLY_MINUTES before its start (a sound check) until
LIVE_MAX_HOURS after it, once: while it is live a second publisher with the same key is refused
(someone who copied the key cannot take over the screen), and when the broadcast ends the premiere
has ended. A cancelled premiere never goes live. A premiere still live when its window has closed
is ended by the live app's periodic task (nginx died without saying the broadcast stopped).

nginx knows a stream by the name the publish hook gave it (`stream_name`, never the secret key),
so the HLS folder and the recording's file name reveal nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from live.models import Premiere, PremiereStatus
from videos import storage
from videos.models import Video, VideoStatus
from videos.tasks import start_processing

logger = logging.getLogger(__name__)

STREAM_PREFIX = "premiere-"


class PublishRefused(Exception):
    """nginx must close the publisher's connection; the message says why (logged, never shown)."""


def stream_name(premiere: Premiere) -> str:
    """The name nginx streams and records a premiere under."""
    return f"{STREAM_PREFIX}{premiere.pk}"


def premiere_id_of(name: str) -> int | None:
    number = name.removeprefix(STREAM_PREFIX) if name.startswith(STREAM_PREFIX) else ""
    return int(number) if number.isdigit() else None


def publish_window(premiere: Premiere) -> tuple[datetime, datetime]:
    starts_at = premiere.starts_at
    return (
        starts_at - timedelta(minutes=settings.LIVE_EARLY_MINUTES),
        starts_at + timedelta(hours=settings.LIVE_MAX_HOURS),
    )


def publish_refusal(premiere: Premiere | None, now: datetime) -> str | None:
    """Why the premiere's key may not publish at ``now``, or None when it may."""
    if premiere is None:
        return "no premiere has this stream key"
    if premiere.status == PremiereStatus.CANCELLED:
        return "the premiere was cancelled"
    if premiere.status == PremiereStatus.ENDED:
        return "the premiere has ended"
    if premiere.status == PremiereStatus.LIVE:
        return "the premiere is live from another publisher"
    opens, closes = publish_window(premiere)
    if now < opens:
        return "too early: the key opens at " + opens.isoformat()
    if now > closes:
        return "too late: the key closed at " + closes.isoformat()
    return None


def start_broadcast(stream_key: str, now: datetime | None = None) -> Premiere:
    """Mark the premiere whose key this is live, or raise PublishRefused."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locked: two publishers arriving together are decided one after the other.
        premiere = Premiere.objects.select_for_update().filter(stream_key=stream_key).first() if stream_key else None
        refusal = publish_refusal(premiere, now)
        if refusal:
            raise PublishRefused(refusal)
        premiere.status = PremiereStatus.LIVE
        premiere.went_live_at = now
        premiere.save(update_fields=["status", "went_live_at"])
    return premiere


def end_broadcast(name: str, now: datetime | None = None) -> Premiere | None:
    """The publisher of stream ``name`` went away: its premiere has ended. None if it was not live."""
    premiere_id = premiere_id_of(name)
    return None if premiere_id is None else _end(premiere_id, now or timezone.now())


def end_abandoned_broadcasts(now: datetime | None = None) -> list[int]:
    """End the premieres still live after their key's window closed: nginx stopped without calling
    `publish_done` (it crashed or was killed), and nothing else would end them. Returns their ids."""
    now = now or timezone.now()
    overdue = Premiere.objects.filter(
        status=PremiereStatus.LIVE, starts_at__lt=now - timedelta(hours=settings.LIVE_MAX_HOURS)
    )
    ended = [pk for pk in overdue.values_list("pk", flat=True) if _end(pk, now)]
    if ended:
        logger.warning("live: ended premieres %s, still live after their window closed", ended)
    return ended


def _end(premiere_id: int, now: datetime) -> Premiere | None:
    """Mark the premiere ended if it is live (saved: cached pages showing it are retired)."""
    with transaction.atomic():
        premiere = Premiere.objects.select_for_update().filter(pk=premiere_id, status=PremiereStatus.LIVE).first()
        if premiere is None:
            return None
        premiere.status = PremiereStatus.ENDED
        premiere.ended_at = now
        premiere.save(update_fields=["status", "ended_at"])
    return premiere


def import_recording(name: str, path: Path, recordings_dir: Path) -> Video | None:
    """Turn the broadcast's recording into a video of the page's owner and start its processing.

    The file must lie in ``recordings_dir`` (nginx names it; nothing else is read). It goes to
    video storage (S3 when configured) and leaves the recordings folder. Once processing has made
    it ready, `attach_replay` makes it the premiere's replay. A premiere keeps its first recording:
    a repeated notice does nothing.
    """
    premiere_id = premiere_id_of(name)
    source = Path(path).resolve()
    if premiere_id is None or source.parent != recordings_dir.resolve() or not source.is_file():
        return None
    if source.stat().st_size == 0:
        source.unlink()
        return None
    with transaction.atomic():
        premiere = (
            Premiere.objects.select_for_update(of=("self",))
            .select_related("page__owner")
            .filter(pk=premiere_id)
            .first()
        )
        if premiere is None or premiere.recording_id or premiere.replay_id:
            return None
        video = Video.objects.create(
            title=premiere.title[:255],
            owner=premiere.page.owner,
            status=VideoStatus.UPLOADING,
            original_filename=source.name,
            content_type="video/x-flv",
            size=source.stat().st_size,
        )
        video.original_key = storage.put_file(source, f"{video.outputs_prefix}original.flv", "video/x-flv")
        video.save(update_fields=["original_key"])
        premiere.recording = video
        premiere.save(update_fields=["recording"])
        start_processing(video)
    source.unlink()
    logger.info("premiere %s: recording %s is video %s", premiere_id, source.name, video.pk)
    return video


def attach_replay(video_id: int) -> None:
    """A processed recording becomes its premiere's replay (saved, so cached pages showing it are retired)."""
    for premiere in Premiere.objects.filter(recording_id=video_id, replay__isnull=True):
        premiere.replay_id = video_id
        premiere.save(update_fields=["replay"])
