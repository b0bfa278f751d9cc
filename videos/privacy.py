"""The privacy mosaic of a behind-the-scenes video, from the owner's request to what viewers get.

1. The owner marks the video as behind-the-scenes footage and asks for the people to be found:
   `queue_find` → the `find_mosaic_people` task → `find` (`videos.mosaic.find_people` on the
   original): one `MosaicPerson` per face track, with a thumbnail under `analysis/` (signed for
   the owner and staff only). Nobody is marked as having agreed.
2. The owner ticks the people who agreed to be seen (`set_consents`) and asks for the mosaic
   version: `queue_render` → the `render_mosaic` task → `render`: the original is written again
   with every other face pixelated, transcoded into the HLS ladder under a folder of its own
   (`videos/<id>/mosaic-<run>/`), and only then does the video point at it. The outputs it
   replaced (the unmosaicked stream, poster, storyboard and hover clip) are deleted, so a link
   handed out before stops working with them. The original upload stays, for the owner and staff.

Both runs carry a token, as the analysis does: a run queued later supersedes one under way (its
results are dropped and its files removed), and a repeated run starts over. They run on the
`analysis` queue, below transcodes.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from page_cache.cache import invalidate_all_pages
from videos import faces, mosaic, probe, storage
from videos.analysis import ANALYSIS_DIR
from videos.models import MosaicPerson, MosaicStatus, Video, VideoMosaic, VideoStatus
from videos.pipeline import clean_outputs, output_fields, preview_source, scratch_dir, upload_outputs
from videos.transcode import TranscodeFailed, plan_ladder, plan_storyboard, poster_time, run_transcode

logger = logging.getLogger(__name__)


class NotAllowed(Exception):
    """The video cannot be mosaicked now (not ready, not behind-the-scenes, nobody found yet)."""


def _mine(video_id: int, token: str):
    return VideoMosaic.objects.filter(video_id=video_id, run_token=token)


# --- 1. finding the people ------------------------------------------------------------------------


def queue_find(video: Video) -> uuid.UUID:
    """Start (again) from finding the people; the earlier people and their consents are replaced."""
    if video.status != VideoStatus.READY or not video.behind_the_scenes:
        raise NotAllowed
    token = uuid.uuid4()
    VideoMosaic.objects.update_or_create(
        video=video,
        defaults={"status": MosaicStatus.FINDING, "progress": 0.0, "failure_reason": "", "run_token": token},
    )
    return token


def find(video_id: int, token: str) -> str:
    """Find the people in the video's original; "found", "failed" or "superseded"."""
    job = _mine(video_id, token).select_related("video").first()
    if job is None:
        return "superseded"
    video = job.video
    source = preview_source(video)
    if source is None:
        return _fail(video_id, token, "No original of this video is left to look at.")
    try:
        info = probe.probe_video(source)
        rate = probe.frame_rate(source)
        people = mosaic.find_people(source, info.duration or video.duration or 0, rate, _progress(video_id, token))
    except (TranscodeFailed, probe.InvalidVideo) as exc:
        logger.warning("video %s: finding people failed: %s", video_id, exc)
        return _fail(video_id, token, str(exc))
    stored = []
    with scratch_dir("reelvision-people-") as work:
        for person in people:
            picture = Path(work) / f"person-{person.track.number:03}-{str(token)[:8]}.jpg"
            picture.write_bytes(person.thumbnail)
            key = storage.put_file(
                picture, f"{video.outputs_prefix}{ANALYSIS_DIR}/{picture.name}", storage.CONTENT_TYPES[".jpg"]
            )
            stored.append((person.track, key))
    with transaction.atomic():
        current = VideoMosaic.objects.select_for_update().filter(video_id=video_id, run_token=token).first()
        if current is None:
            for _track, key in stored:
                storage.delete(key)
            return "superseded"
        old_keys = list(current.people.exclude(thumbnail_key="").values_list("thumbnail_key", flat=True))
        current.people.all().delete()
        MosaicPerson.objects.bulk_create(
            MosaicPerson(
                mosaic=current,
                number=track.number,
                start=track.start,
                end=track.end,
                samples=[[t, box.x1, box.y1, box.x2, box.y2, score] for t, box, score in track.samples],
                thumbnail_key=key,
            )
            for track, key in stored
        )
        _mine(video_id, token).update(
            status=MosaicStatus.FOUND, progress=1.0, width=info.width, height=info.height, rate=rate
        )
    for key in old_keys:
        storage.delete(key)
    return "found"


def set_consents(video: Video, consented: set[int]) -> None:
    """Mark the people numbered `consented` as having agreed to be seen, the others as not."""
    job = VideoMosaic.objects.filter(video=video).first()
    if job is None or job.status not in (MosaicStatus.FOUND, MosaicStatus.DONE, MosaicStatus.FAILED):
        raise NotAllowed
    job.people.update(consented=False)
    job.people.filter(number__in=consented).update(consented=True)


# --- 2. the mosaic version ----------------------------------------------------------------------


def queue_render(video: Video) -> uuid.UUID:
    job = VideoMosaic.objects.filter(video=video).first()
    if job is None or not job.people.exists() or job.status == MosaicStatus.FINDING:
        raise NotAllowed
    token = uuid.uuid4()
    VideoMosaic.objects.filter(pk=job.pk).update(
        status=MosaicStatus.RENDERING, progress=0.0, failure_reason="", run_token=token
    )
    return token


def _track(person: MosaicPerson) -> faces.Track:
    return faces.Track(
        number=person.number,
        samples=[(t, faces.Box(x1, y1, x2, y2), score) for t, x1, y1, x2, y2, score in person.samples],
    )


def render(video_id: int, token: str) -> str:
    """Make the mosaic version and make it what viewers get; "done", "failed" or "superseded"."""
    job = _mine(video_id, token).select_related("video").first()
    if job is None:
        return "superseded"
    video = job.video
    source = preview_source(video)
    if source is None:
        return _fail(video_id, token, "No original of this video is left to mosaic.")
    hidden = [_track(person) for person in job.people.filter(consented=False)]
    progress = _progress(video_id, token)
    duration = video.duration or 0.0
    prefix = f"{video.outputs_prefix}mosaic-{str(token)[:8]}/"
    with scratch_dir("reelvision-mosaic-") as work:
        mosaicked = Path(work) / "mosaic.mp4"
        try:
            mosaic.render(
                source,
                mosaicked,
                hidden,
                width=job.width,
                height=job.height,
                rate=job.rate,
                preset=settings.VIDEO_X264_PRESET,
                duration=duration,
                on_progress=lambda share: progress(share * 0.5),
            )
            info = probe.probe_video(mosaicked)
            ladder = plan_ladder(info.width, info.height, info.has_audio)
            try:
                storyboard = plan_storyboard(duration, info.width, info.height)
            except ValueError:
                storyboard = None
            result = run_transcode(
                mosaicked,
                Path(work) / "out",
                ladder=ladder,
                duration=duration,
                on_progress=lambda percent: progress(0.5 + percent / 250),
                preset=settings.VIDEO_X264_PRESET,
                poster_at=poster_time(duration),
                storyboard=storyboard,
            )
        except (TranscodeFailed, probe.InvalidVideo) as exc:
            logger.warning("video %s: the mosaic failed: %s", video_id, exc)
            return _fail(video_id, token, str(exc))
        upload_outputs(result.out_dir, prefix)
        outputs = output_fields(result, ladder, prefix)
    return _swap(video_id, token, prefix, outputs)


def _swap(video_id: int, token: str, prefix: str, outputs: dict) -> str:
    """Point the video at the mosaic version, under the job's lock; remove what it replaced."""
    with transaction.atomic():
        job = VideoMosaic.objects.select_for_update().filter(video_id=video_id, run_token=token).first()
        video = Video.objects.select_for_update().filter(pk=video_id).first()
        if job is None or video is None:
            clean_outputs(prefix)
            return "superseded"
        # What viewers got until now: the video's own outputs (not a twin's, which are the twin's),
        # or the previous mosaic version's.
        replaced = [job.outputs_prefix] if job.outputs_prefix and job.outputs_prefix != prefix else []
        own = video.storage_prefix in ("", video.outputs_prefix)
        # Another upload of the same file plays these outputs too (a twin): they stay for it.
        shared = Video.objects.filter(storage_prefix=video.outputs_prefix).exclude(pk=video_id).exists()
        if own and not shared and not job.outputs_prefix:
            replaced.append(video.outputs_prefix)
        old_preview = video.preview_key
        Video.objects.filter(pk=video_id).update(
            # A duplicate upload's outputs were another video's: from now on its own mosaic ones.
            storage_prefix="",
            duplicate_of=None,
            # No later upload of the same file may take the mosaic version for its own outputs.
            sha256="",
            **outputs,
            # The hover clip showed the unmosaicked picture (removed with the outputs); cards go without.
            preview_key="",
            updated_at=timezone.now(),
        )
        _mine(video_id, token).update(
            status=MosaicStatus.DONE, progress=1.0, outputs_prefix=prefix, rendered_at=timezone.now()
        )

        def remove_replaced():
            for folder in replaced:
                clean_outputs(folder)
            if old_preview:
                storage.delete(old_preview)
            invalidate_all_pages()

        transaction.on_commit(remove_replaced)
    return "done"


# --- shared -------------------------------------------------------------------------------------


def _progress(video_id: int, token: str):
    last = [0.0]

    def report(share: float) -> None:
        if share - last[0] >= 0.02:
            last[0] = share
            _mine(video_id, token).update(progress=round(min(share, 0.99), 3))

    return report


def _fail(video_id: int, token: str, reason: str) -> str:
    _mine(video_id, token).update(status=MosaicStatus.FAILED, failure_reason=reason[-1000:])
    return "failed"
