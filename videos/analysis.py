"""The analysis after processing: a ready video's scene cuts, suggested chapters, poster candidates
and the moments the sensitive-content scan flags.

A run is queued when a video becomes ready (`videos.signal_handlers`) and again whenever staff or
the owner ask for it (`videos.tasks.start_analysis`). It runs as its own task on the `analysis`
queue, at a lower priority than transcodes, so playback never waits for it. It reads the original
(a local path, or a presigned URL with S3), decodes it once for the scenes (`videos.scenes`) and
samples a frame every two seconds for the scan (`videos.sensitive`), writes the poster candidates
and the flagged moments' pictures as JPEGs under `videos/<id>/analysis/`, and records what it found
on the video's `VideoAnalysis` and its `ContentFlag`s, with its progress while it runs. Flags staff
have decided on are kept across runs; a new run's moment that overlaps one of them is not flagged
again.

Each run carries the token it was queued with. A run whose token is no longer the analysis's (a
newer run was queued meanwhile) records nothing and removes the pictures it wrote, so two runs
never mix their results, and a run that is repeated (a worker killed mid-way) simply starts over.
"""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videos import probe, scenes, sensitive, storage
from videos.models import AnalysisStatus, ContentFlag, FlagStatus, Video, VideoAnalysis, VideoStatus
from videos.pipeline import preview_source, scratch_dir

logger = logging.getLogger(__name__)

ANALYSIS_DIR = "analysis"
# Progress is written at most this often (a film-length run reports every ten seconds of video).
PROGRESS_EVERY_SECONDS = 2.0
# The share of the progress bar the scene pass takes (it decodes every frame); the scan has the rest.
SCENES_SHARE = 0.7
FLAG_PICTURE_WIDTH = 480


def queue(video: Video) -> uuid.UUID:
    """Mark `video`'s analysis as queued under a new token (which retires any run under way) and
    return the token for the task."""
    token = uuid.uuid4()
    VideoAnalysis.objects.update_or_create(
        video=video,
        defaults={
            "status": AnalysisStatus.QUEUED,
            "progress": 0.0,
            "failure_reason": "",
            "run_token": token,
            "queued_at": timezone.now(),
            "finished_at": None,
        },
    )
    return token


def _mine(video_id: int, token: str):
    return VideoAnalysis.objects.filter(video_id=video_id, run_token=token)


def _fail(video_id: int, token: str, reason: str) -> str:
    _mine(video_id, token).update(status=AnalysisStatus.FAILED, failure_reason=reason, finished_at=timezone.now())
    return "failed"


def run(video_id: int, token: str) -> str:
    """Analyse the video; what happened: "done", "failed", "superseded" (a newer run was queued) or
    "not ready" (the video is gone or not ready)."""
    analysis = _mine(video_id, token).select_related("video").first()
    if analysis is None:
        return "superseded"
    video = analysis.video
    if video.status != VideoStatus.READY or not video.duration:
        _fail(video_id, token, "The video is not ready.")
        return "not ready"
    source = preview_source(video)
    if source is None:
        return _fail(video_id, token, "No original of this video is left to analyse.")
    _mine(video_id, token).update(status=AnalysisStatus.RUNNING, progress=0.0)
    last_written = [time.monotonic()]

    def on_progress(share: float) -> None:
        if time.monotonic() - last_written[0] >= PROGRESS_EVERY_SECONDS:
            last_written[0] = time.monotonic()
            _mine(video_id, token).update(progress=round(min(share, 0.99), 3))

    try:
        rate = probe.frame_rate(source)
        found = scenes.analyse(
            source, rate, video.duration, on_progress=lambda share: on_progress(share * SCENES_SHARE)
        )
        moments = sensitive.find_moments(
            sensitive.scan(
                source,
                video.duration,
                rate,
                on_progress=lambda share: on_progress(SCENES_SHARE + share * (1 - SCENES_SHARE)),
            ),
            labels=frozenset(settings.VIDEO_SCAN_LABELS) or sensitive.NUDITY_LABELS,
            min_score=settings.VIDEO_SCAN_MIN_SCORE,
        )
        posters = _store_posters(source, found.posters, video.outputs_prefix, token)
        flags = _store_flag_pictures(source, moments, video, token)
    except scenes.TranscodeFailed as exc:
        logger.warning("video %s: analysis failed: %s", video_id, exc)
        return _fail(video_id, token, str(exc))
    chapters = [{"start": start, "title": "", "title_en": ""} for start in found.chapters]
    with transaction.atomic():
        previous = VideoAnalysis.objects.select_for_update().filter(video_id=video_id, run_token=token).first()
        if previous is None:
            for key in [poster["key"] for poster in posters] + [flag.thumbnail_key for flag in flags]:
                storage.delete(key)
            return "superseded"
        old_flag_keys = _replace_waiting_flags(video_id, flags)
        # The frame in use as the video's poster stays, whichever run found it.
        in_use = Video.objects.filter(pk=video_id).values_list("poster_key", flat=True).first()
        old_keys = {poster["key"] for poster in previous.poster_candidates} - {in_use}
        _mine(video_id, token).update(
            status=AnalysisStatus.DONE,
            progress=1.0,
            cuts=list(found.cuts),
            chapters=chapters,
            poster_candidates=posters,
            finished_at=timezone.now(),
        )
    for key in (old_keys - {poster["key"] for poster in posters}) | old_flag_keys:
        storage.delete(key)
    return "done"


def _replace_waiting_flags(video_id: int, flags: list[ContentFlag]) -> set[str]:
    """Put this run's `flags` in place of those still waiting for staff, leaving out any that
    overlaps a flag staff decided on; the storage keys that are no longer used (under the lock of
    the analysis's row, inside its transaction)."""
    decided = list(ContentFlag.objects.filter(video_id=video_id).exclude(status=FlagStatus.PENDING))
    waiting = ContentFlag.objects.filter(video_id=video_id, status=FlagStatus.PENDING)
    unused = set(waiting.exclude(thumbnail_key="").values_list("thumbnail_key", flat=True))
    waiting.delete()
    new, left_out = [], []
    for flag in flags:
        overlaps = any(flag.start <= other.end and other.start <= flag.end for other in decided)
        (left_out if overlaps else new).append(flag)
    ContentFlag.objects.bulk_create(new)
    return unused | {flag.thumbnail_key for flag in left_out}


def _store_flag_pictures(source, moments, video: Video, token: str) -> list[ContentFlag]:
    """A JPEG of each flagged moment (its surest sample), put in storage; unsaved flags for them."""
    names = [f"flag-{number:03}-{str(token)[:8]}.jpg" for number in range(1, len(moments) + 1)]
    keys = _store_frames(source, [moment.at for moment in moments], names, video.outputs_prefix, FLAG_PICTURE_WIDTH)
    return [
        ContentFlag(
            video_id=video.pk,
            start=moment.start,
            end=moment.end,
            at=moment.at,
            labels=list(moment.labels),
            score=moment.score,
            thumbnail_key=key,
        )
        for moment, key in zip(moments, keys, strict=True)
    ]


def _store_posters(source, candidates, prefix: str, token: str) -> list[dict]:
    """Write each candidate frame as a JPEG and put it in storage; their records, in time order."""
    names = [f"poster-{number:02}-{str(token)[:8]}.jpg" for number in range(1, len(candidates) + 1)]
    keys = _store_frames(source, [candidate.time for candidate in candidates], names, prefix)
    return [
        {"time": candidate.time, "key": key, "sharpness": candidate.sharpness}
        for candidate, key in zip(candidates, keys, strict=True)
    ]


def _store_frames(source, times, names, prefix: str, max_width: int = scenes.POSTER_MAX_WIDTH) -> list[str]:
    """The frames of `source` at `times`, as JPEGs named `names` under the video's `analysis/`
    folder (`prefix` is the video's own); their storage keys."""
    keys = []
    with scratch_dir("reelvision-frames-") as work:
        for time, name in zip(times, names, strict=True):
            picture = Path(work) / name
            scenes.write_poster(source, time, picture, max_width)
            keys.append(storage.put_file(picture, f"{prefix}{ANALYSIS_DIR}/{name}", storage.CONTENT_TYPES[".jpg"]))
    return keys


def poster_at(video: Video, seconds: float) -> str:
    """Write the frame at `seconds` of the video's original as a poster picture; its storage key.
    Raises `scenes.TranscodeFailed` when ffmpeg cannot, ValueError when no original is left."""
    source = preview_source(video)
    if source is None:
        raise ValueError("no original left")
    [key] = _store_frames(source, [seconds], [f"poster-picked-{uuid.uuid4().hex[:12]}.jpg"], video.outputs_prefix)
    return key


def is_picked_frame(video: Video, key: str) -> bool:
    """Whether `key` is a frame picked by time (`poster_at`): removed once another poster replaces it."""
    return key.startswith(f"{video.outputs_prefix}{ANALYSIS_DIR}/poster-picked-")
