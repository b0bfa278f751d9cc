"""The processing job: from an uploaded original to a ready HLS ladder, poster and storyboard in storage.

``videos.tasks.start_processing(video)`` marks a video as processing (``mark_processing``) and
queues ``videos.tasks.process_video`` once the surrounding transaction commits. The job then:

1. takes a **lease** on the video (a fresh ``processing_token``, ``processing_attempts + 1``, a
   heartbeat) with one conditional UPDATE, so two runs can never both work on it; every later write
   is conditional on that token, and a run whose token has been replaced writes nothing;
2. gets the original as a local file (its path with local storage, a download with S3) and hashes it;
3. reuses the outputs of a ready video with the same SHA-256 (a second upload of the same bytes);
4. probes it (an unplayable file fails the video with the probe's reason and deletes the original);
5. runs ffmpeg once (``transcode.run_transcode``) in a private work directory, storing its progress;
6. cuts the hover preview clip (``preview_clip``: the creator's start, else a scene change) with two
   short ffmpeg runs of its own;
7. replaces ``videos/<id>/hls/``, ``poster.jpg``, ``storyboard/`` and ``preview/`` in storage with the
   new outputs and marks the video ready.

A changed preview start re-makes the clip alone (``remake_preview``, queued by
``videos.tasks.start_preview``), from the original that every ready video keeps.

The owner gets an e-mail when the video is ready or has failed. Throughout the job a thread of its
own (``LeaseRenewer``) renews the lease on a timer, whatever ffmpeg prints or does not print, so a
transcode longer than ``VIDEO_PROCESSING_STALE_AFTER`` keeps its lease. A worker that dies mid-job
stops heartbeating: ``videos.housekeeping`` (the periodic ``housekeeping`` task, or ``manage.py
video_housekeeping``) re-queues such videos, up to ``VIDEO_PROCESSING_MAX_ATTEMPTS`` runs, and removes
work directories that no live run owns. Work directories live under a directory of this installation
(``work_root()``), so two installations on one machine never sweep each other's.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from videos import storage
from videos.models import Video, VideoStatus
from videos.preview_clip import PREVIEW_DIR, detect_scene_changes, make_preview_clip, plan_preview
from videos.probe import InvalidVideo, probe_video
from videos.signals import video_failed, video_ready
from videos.transcode import (
    HLS_DIR,
    MASTER_PLAYLIST,
    POSTER_NAME,
    STORYBOARD_DIR,
    STORYBOARD_IMAGE,
    STORYBOARD_VTT,
    TranscodeFailed,
    plan_ladder,
    plan_storyboard,
    poster_time,
    run_transcode,
)

logger = logging.getLogger(__name__)

# At most one progress/heartbeat write per this many seconds while ffmpeg runs.
HEARTBEAT_INTERVAL = 2.0
# The lease is renewed this many times per VIDEO_PROCESSING_STALE_AFTER, so a few missed renewals
# (a database hiccup) do not make a live job look dead.
RENEWALS_PER_STALE_PERIOD = 10
# The transcode is most of the work; the last 5 % cover the upload to storage.
TRANSCODE_SHARE = 95
HASH_CHUNK = 1024 * 1024
WORK_DIR_NAME = "reelvision-video"
# With S3, ffmpeg reads the original for a re-made preview through a presigned GET this long-lived.
PREVIEW_SOURCE_URL_TTL = 3600


class LeaseLost(Exception):
    """Another run owns this video now (re-queued after a stall, or re-started): this run must stop."""


# --- starting -------------------------------------------------------------------------------------


def mark_processing(video: Video) -> None:
    """Mark ``video`` as processing: a fresh start (``videos.tasks.start_processing`` also queues the job).

    Clears any earlier failure and lease (a run still going on the old lease stops at its next
    heartbeat) and resets the attempt count.
    """
    now = timezone.now()
    fields = {
        "status": VideoStatus.PROCESSING,
        "progress": 0,
        "failure_reason": "",
        "processing_token": None,
        "processing_attempts": 0,
        # "Queued at": housekeeping re-queues a job that never started (e.g. the enqueue was lost).
        "heartbeat_at": now,
        "updated_at": now,
    }
    Video.objects.filter(pk=video.pk).update(**fields)
    for name, value in fields.items():
        setattr(video, name, value)


# --- the job --------------------------------------------------------------------------------------


def process_video(video_id: int) -> str:
    """Run the processing job for one video; returns what happened ("ready", "failed", "skipped", ...)."""
    token = _take_lease(video_id)
    if token is None:
        logger.info("video %s: not processing or another run holds the lease; nothing to do", video_id)
        return "skipped"
    job = ProcessingJob(video_id, token)
    try:
        return job.run()
    except LeaseLost:
        logger.info("video %s: lease %s was taken over; this run wrote nothing more", video_id, token)
        return "superseded"
    except Exception:
        # Unexpected (storage down, a bug): leave the video processing but mark the lease stale at
        # once, so the next housekeeping round retries it instead of waiting out the stale timeout.
        logger.exception("video %s: processing crashed; housekeeping will retry it", video_id)
        Video.objects.filter(pk=video_id, processing_token=token).update(heartbeat_at=None)
        raise
    finally:
        shutil.rmtree(job.work_dir, ignore_errors=True)


def _take_lease(video_id: int) -> uuid.UUID | None:
    """A new token if the video is processing and no live run holds it (no token, or a stale heartbeat)."""
    token = uuid.uuid4()
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.VIDEO_PROCESSING_STALE_AFTER)
    taken = (
        Video.objects.filter(pk=video_id, status=VideoStatus.PROCESSING)
        .filter(Q(processing_token__isnull=True) | Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale_before))
        .update(
            processing_token=token,
            processing_attempts=F("processing_attempts") + 1,
            heartbeat_at=now,
            progress=0,
            updated_at=now,
        )
    )
    return token if taken else None


def work_root() -> Path:
    """Where this installation's jobs keep their temporary files.

    ``<VIDEO_WORK_DIR or the system temp dir>/reelvision-video/<installation>``, where the
    installation is a short hash of the project directory and the database it uses: a test run
    next to the development server, or two sites on one machine, each sweep only their own.
    """
    base = getattr(settings, "VIDEO_WORK_DIR", "") or tempfile.gettempdir()
    return Path(base) / WORK_DIR_NAME / installation_key()


def installation_key() -> str:
    db = connections["default"].settings_dict
    where = "\0".join(str(part) for part in (settings.BASE_DIR, db["HOST"], db["PORT"], db["NAME"]))
    return hashlib.sha256(where.encode()).hexdigest()[:12]


def lease_renewal_interval() -> float:
    """Seconds between lease renewals: a tenth of ``VIDEO_PROCESSING_STALE_AFTER``."""
    return max(0.1, settings.VIDEO_PROCESSING_STALE_AFTER / RENEWALS_PER_STALE_PERIOD)


def _work_dir_name(video_id: int, token: uuid.UUID) -> str:
    return f"{video_id}-{token.hex}"


def _wait_or_stop(stopped: threading.Event, seconds: float) -> bool:
    return stopped.wait(seconds)


class LeaseRenewer:
    """Calls ``renew`` every ``every`` seconds from a thread of its own until stopped.

    ffmpeg can go minutes without a word (it reports nothing until every output has started, and a
    slow encode of a long film is slow), and an S3 upload of a large rung blocks for a long time:
    the heartbeat must not depend on either. When ``renew`` raises ``LeaseLost`` the thread stops
    and sets ``lost``; the job checks it at its next step. A database error skips one renewal (the
    next one opens a fresh connection). ``wait(stopped, seconds)`` is the clock: it returns True
    once ``stopped`` is set, False when it is time to renew (tests pass one they step by hand).
    """

    def __init__(
        self,
        renew: Callable[[], None],
        every: float,
        wait: Callable[[threading.Event, float], bool] = _wait_or_stop,
    ):
        self.renew = renew
        self.every = every
        self.wait = wait
        self.lost = False
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="video-lease-renewer", daemon=True)

    def __enter__(self) -> LeaseRenewer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopped.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            while not self.wait(self._stopped, self.every):
                try:
                    self.renew()
                except LeaseLost:
                    self.lost = True
                    return
                except (OperationalError, InterfaceError) as exc:
                    logger.warning("could not renew a video processing lease (%s); trying again", exc)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection


class ProcessingJob:
    """One run of the job under one lease. Every database write checks that the lease is still ours."""

    def __init__(self, video_id: int, token: uuid.UUID):
        self.video_id = video_id
        self.token = token
        self.work_dir = work_root() / _work_dir_name(video_id, token)
        self._last_write = 0.0
        self.renewer = LeaseRenewer(self.renew_lease, lease_renewal_interval())

    def _ours(self):
        return Video.objects.filter(pk=self.video_id, processing_token=self.token)

    def _write(self, **fields) -> None:
        self._check_lease()
        fields.setdefault("updated_at", timezone.now())
        if not self._ours().update(**fields):
            raise LeaseLost(self.video_id)
        self._last_write = time.monotonic()

    def _check_lease(self) -> None:
        if self.renewer.lost:
            raise LeaseLost(self.video_id)

    def renew_lease(self) -> None:
        """Move the heartbeat on (called by the renewer's thread); raises LeaseLost if the lease is gone."""
        now = timezone.now()
        if not self._ours().update(heartbeat_at=now, updated_at=now):
            raise LeaseLost(self.video_id)

    def heartbeat(self, progress: int | None = None) -> None:
        fields = {"heartbeat_at": timezone.now()}
        if progress is not None:
            fields["progress"] = progress
        self._write(**fields)

    def on_transcode_progress(self, percent: float) -> None:
        self._check_lease()  # raising here stops ffmpeg
        if time.monotonic() - self._last_write >= HEARTBEAT_INTERVAL:
            self.heartbeat(progress=int(percent * TRANSCODE_SHARE / 100))

    def run(self) -> str:
        with self.renewer:
            return self._run()

    def _run(self) -> str:
        video = Video.objects.get(pk=self.video_id)
        sweep_work_dirs(video_id=self.video_id)  # what earlier runs on this machine left behind
        self.work_dir.mkdir(parents=True, mode=0o700)

        fetched = self._fetch_original(video)
        if fetched is None:
            return self._fail(video, _("The uploaded file is missing. Please upload the video again."))
        source, digest = fetched
        self._write(sha256=digest, heartbeat_at=timezone.now())
        video.sha256 = digest

        twin = _ready_twin(video)
        if twin is not None:
            return self._reuse(video, twin, source)

        try:
            info = probe_video(source)
        except InvalidVideo as exc:
            return self._fail(video, str(exc.message), delete_original=True)
        self.heartbeat()

        duration = info.duration or 0.0
        ladder = plan_ladder(info.width, info.height, info.has_audio)
        try:
            storyboard = plan_storyboard(duration, info.width, info.height)
        except ValueError:  # no known duration: no scrub previews, the rest still works
            storyboard = None
        try:
            result = run_transcode(
                source,
                self.work_dir / "out",
                ladder=ladder,
                duration=duration,
                on_progress=self.on_transcode_progress,
                preset=settings.VIDEO_X264_PRESET,
                poster_at=poster_time(duration),
                storyboard=storyboard,
            )
        except TranscodeFailed as exc:
            logger.warning("video %s: transcode failed: %s", self.video_id, exc)
            return self._fail(
                video,
                _(
                    "The video could not be converted for streaming: the encoder stopped with an error "
                    "(%(detail)s). Export it again as an H.264 MP4 and upload it again, or contact us."
                )
                % {"detail": _last_line(str(exc))},
            )

        preview = make_preview(
            source,
            self.work_dir / PREVIEW_DIR,
            duration=duration,
            width=info.width,
            height=info.height,
            picked=_picked_preview_start(self.video_id),
        )

        # Last check before touching storage: a stale run must not replace a newer run's files.
        self.heartbeat(progress=TRANSCODE_SHARE)
        prefix = video.outputs_prefix
        clean_outputs(prefix)
        self._upload(result.out_dir, prefix)
        preview_key = store_preview(preview, prefix)

        return self._ready(
            video,
            storage_prefix=prefix,
            **output_fields(result, ladder, prefix),
            preview_key=preview_key,
            duplicate_of=None,
            duration=info.duration,
            width=info.width,
            height=info.height,
            video_codec=info.video_codec,
            audio_codec=info.audio_codec,
            container=info.container,
            bit_rate=info.bit_rate,
            size=video.size if video.size is not None else source.stat().st_size,
        )

    # --- steps ---

    def _fetch_original(self, video: Video) -> tuple[Path, str] | None:
        """A local path to the original and its SHA-256, or None if it is not in storage.

        Local storage: the file where it lies, hashed in place. S3: one streamed GET into the work
        directory, hashed on the way (one pass over the bytes, never whole in memory, heartbeats
        between chunks; a multi-gigabyte download outlasts the stale-job timeout otherwise).
        """
        key = video.original_key
        if not key or not storage.exists(key):
            return None
        digest = hashlib.sha256()
        local = storage.local_path(key)
        if local is not None:
            with local.open("rb") as fh:
                while chunk := fh.read(HASH_CHUNK):
                    digest.update(chunk)
                    self._heartbeat_if_due()
            return local, digest.hexdigest()
        dest = self.work_dir / f"original{Path(key).suffix.lower()}"
        body = storage.s3_client().get_object(Bucket=storage.bucket_name(), Key=key)["Body"]
        with dest.open("wb") as out:
            for chunk in body.iter_chunks(HASH_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                self._heartbeat_if_due()
        return dest, digest.hexdigest()

    def _heartbeat_if_due(self) -> None:
        if time.monotonic() - self._last_write >= HEARTBEAT_INTERVAL:
            self.heartbeat()

    def _upload(self, out_dir: Path, prefix: str) -> None:
        """Upload the outputs, heartbeating after each rung."""

        def after_rung(done: int, total: int) -> None:
            self.heartbeat(progress=TRANSCODE_SHARE + (100 - TRANSCODE_SHARE - 1) * done // total)

        upload_outputs(out_dir, prefix, after_rung)

    def _reuse(self, video: Video, twin: Video, source: Path) -> str:
        """Same bytes as a ready video: point at its outputs instead of transcoding again.

        Only the preview clip is made anew, under this video's own folder: its creator may pick
        another start than the twin's.
        """
        logger.info("video %s: same file as video %s; reusing its outputs", self.video_id, twin.pk)
        preview = make_preview(
            source,
            self.work_dir / PREVIEW_DIR,
            duration=twin.duration,
            width=twin.width,
            height=twin.height,
            picked=_picked_preview_start(self.video_id),
        )
        self.heartbeat()
        clean_outputs(video.outputs_prefix)  # leftovers of earlier runs of this video
        preview_key = store_preview(preview, video.outputs_prefix)
        status = self._ready(
            video,
            storage_prefix=twin.storage_prefix or twin.outputs_prefix,
            hls_master_key=twin.hls_master_key,
            renditions=twin.renditions,
            poster_key=twin.poster_key,
            storyboard_image_key=twin.storyboard_image_key,
            storyboard_vtt_key=twin.storyboard_vtt_key,
            preview_key=preview_key,
            duplicate_of_id=twin.duplicate_of_id or twin.pk,
            duration=twin.duration,
            width=twin.width,
            height=twin.height,
            video_codec=twin.video_codec,
            audio_codec=twin.audio_codec,
            container=twin.container,
            bit_rate=twin.bit_rate,
            original_key="",
        )
        storage.delete(video.original_key)  # the twin's outputs are all we need
        return status

    def _ready(self, video: Video, **fields) -> str:
        now = timezone.now()
        self._write(
            status=VideoStatus.READY,
            progress=100,
            failure_reason="",
            ready_at=now,
            heartbeat_at=now,
            processing_token=None,
            **fields,
        )
        # Film pages cached while the video was processing say "not open yet": retire them.
        from page_cache.cache import invalidate_all_pages

        invalidate_all_pages()
        video_ready.send_robust(sender=Video, video_id=self.video_id)
        return "ready"

    def _fail(self, video: Video, reason: str, *, delete_original: bool = False) -> str:
        fields = {"status": VideoStatus.FAILED, "failure_reason": reason, "processing_token": None}
        if delete_original:
            fields["original_key"] = ""
        self._write(**fields)
        if delete_original:
            storage.delete(video.original_key)
        video_failed.send_robust(sender=Video, video_id=self.video_id)
        return "failed"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def _ready_twin(video: Video) -> Video | None:
    """A ready video with the same bytes whose outputs are still in storage, if any."""
    if not video.sha256:
        return None
    twins = (
        Video.objects.ready()
        .filter(sha256=video.sha256)
        .exclude(pk=video.pk)
        .exclude(hls_master_key="")
        # Our own duplicates point at our outputs, which this run is about to replace.
        .exclude(storage_prefix=video.outputs_prefix)
    )
    for twin in twins.order_by("pk"):
        if storage.exists(twin.hls_master_key):
            return twin
    return None


_STREAM_INF = re.compile(r"#EXT-X-STREAM-INF:(?P<attrs>.*)\n(?P<uri>[^\n#]+)")


def _master_bandwidths(master: Path) -> dict[str, int]:
    """Variant URI → BANDWIDTH, as ffmpeg measured it for the master playlist."""
    result = {}
    for match in _STREAM_INF.finditer(master.read_text(encoding="utf-8")):
        bandwidth = re.search(r"(?:^|,)BANDWIDTH=(\d+)", match["attrs"])
        result[match["uri"].strip()] = int(bandwidth[1]) if bandwidth else 0
    return result


# --- storage ----------------------------------------------------------------------------------------


def upload_outputs(out_dir: Path, prefix: str, after_rung: Callable[[int, int], None] | None = None) -> None:
    """Put a transcode's outputs (`run_transcode`'s `out_dir`) under `prefix`, rung by rung
    (`after_rung(done, total)` after each); the master playlist goes last, so it never lists a
    variant that is not there yet."""
    hls = out_dir / HLS_DIR
    rungs = sorted(p for p in hls.iterdir() if p.is_dir())
    for done, rung in enumerate(rungs, start=1):
        storage.put_tree(rung, f"{prefix}{HLS_DIR}/{rung.name}/")
        if after_rung is not None:
            after_rung(done, len(rungs))
    for extra in (out_dir / STORYBOARD_DIR, out_dir / POSTER_NAME, hls / MASTER_PLAYLIST):
        if extra.is_dir():
            storage.put_tree(extra, f"{prefix}{extra.name}/")
        elif extra.is_file():
            key = f"{prefix}{extra.relative_to(out_dir).as_posix()}"
            storage.put_file(extra, key, storage.CONTENT_TYPES.get(extra.suffix.lower()))


def output_fields(result, ladder, prefix: str) -> dict:
    """The `Video` fields that point at a transcode's outputs once `upload_outputs` put them under
    `prefix`: master playlist, renditions (with the bandwidths ffmpeg measured), poster, storyboard."""
    bandwidths = _master_bandwidths(result.master_playlist)
    hls_prefix = f"{prefix}{HLS_DIR}/"
    return {
        "hls_master_key": f"{hls_prefix}{MASTER_PLAYLIST}",
        "renditions": [
            {
                "name": rung.name,
                "width": rung.width,
                "height": rung.height,
                "bandwidth": bandwidths.get(f"{rung.name}/index.m3u8", 0),
                "playlist": f"{hls_prefix}{rung.name}/index.m3u8",
            }
            for rung in ladder
        ],
        "poster_key": f"{prefix}{POSTER_NAME}" if result.poster else "",
        "storyboard_image_key": f"{prefix}{STORYBOARD_DIR}/{STORYBOARD_IMAGE}" if result.storyboard_image else "",
        "storyboard_vtt_key": f"{prefix}{STORYBOARD_DIR}/{STORYBOARD_VTT}" if result.storyboard_vtt else "",
    }


def scratch_dir(prefix: str) -> tempfile.TemporaryDirectory:
    """A temporary directory for one step's files, in VIDEO_WORK_DIR when set (removed on exit)."""
    base = getattr(settings, "VIDEO_WORK_DIR", "") or None
    if base:
        Path(base).mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=base)


def clean_outputs(prefix: str) -> None:
    """Remove what a run writes under ``prefix`` (HLS, poster, storyboard, preview), leaving the original alone."""
    storage.delete_prefix(f"{prefix}{HLS_DIR}/")
    storage.delete_prefix(f"{prefix}{STORYBOARD_DIR}/")
    storage.delete_prefix(f"{prefix}{PREVIEW_DIR}/")
    storage.delete(f"{prefix}{POSTER_NAME}")


def delete_video_files(video: Video) -> None:
    """Delete the video's original and outputs from storage; call it before deleting the row.

    Outputs shared with a duplicate upload (same bytes, ``storage_prefix`` pointing here) stay for as
    long as another video uses them.
    """
    storage.delete(video.original_key)
    storage.delete_prefix(f"{video.outputs_prefix}{PREVIEW_DIR}/")  # each video's own, never shared
    shared = video.storage_prefix or video.outputs_prefix
    if not Video.objects.exclude(pk=video.pk).filter(storage_prefix=shared).exists():
        storage.delete_prefix(shared)
    if shared != video.outputs_prefix:
        storage.delete_prefix(video.outputs_prefix)


# --- the hover preview ------------------------------------------------------------------------------


def make_preview(
    source: Path | str, out_dir: Path, *, duration: float | None, width: int | None, height: int | None, picked
) -> Path | None:
    """The hover preview clip of ``source`` in ``out_dir``, or None when the video's length or size is
    unknown or ffmpeg fails: a video without a preview is still ready (its card shows the poster)."""
    if not duration or not width or not height:
        return None
    scenes = [] if picked is not None else detect_scene_changes(source, duration)
    plan = plan_preview(duration, width, height, picked=picked, scene_changes=scenes)
    try:
        return make_preview_clip(source, out_dir / plan.file_name, plan)
    except TranscodeFailed as exc:
        logger.warning("preview clip of %s from %.3fs failed: %s", source, plan.start, exc)
        return None


def store_preview(clip: Path | None, prefix: str) -> str:
    """Put the clip under ``<prefix>preview/``; its key, or "" without a clip."""
    if clip is None:
        return ""
    return storage.put_file(clip, f"{prefix}{PREVIEW_DIR}/{clip.name}", storage.CONTENT_TYPES[".mp4"])


def _picked_preview_start(video_id: int) -> float | None:
    """The start the creator picked, read when the clip is cut (it may have changed since the job began)."""
    return Video.objects.filter(pk=video_id).values_list("preview_start", flat=True).first()


def preview_source(video: Video) -> Path | str | None:
    """The original to cut a new clip from: the video's own, else another upload's of the same bytes
    (a duplicate gives its own up once it is found to be one). A local path or, with S3, a presigned
    URL: ffmpeg then fetches with range requests only the part it decodes, not the whole file."""
    keys = [video.original_key] if video.original_key else []
    if video.sha256:
        same_bytes = Video.objects.filter(sha256=video.sha256).exclude(pk=video.pk).exclude(original_key="")
        keys += list(same_bytes.order_by("pk").values_list("original_key", flat=True))
    for key in keys:
        if storage.exists(key):
            local = storage.local_path(key)
            return local if local is not None else storage.storage().url(key, expire=PREVIEW_SOURCE_URL_TTL)
    return None


def remake_preview(video_id: int) -> str:
    """Cut the ready video's hover preview again (its picked start changed); nothing else is touched.

    Returns what happened: "ready"; "unchanged" (the clip already starts at the picked time);
    "processing" (a processing run is going, and reads the start itself: ask again once it is done);
    "not ready" (uploading, failed or gone: the processing job makes the clip); "no source" (no
    original of these bytes is left); "failed" (ffmpeg); "superseded" (the start changed again, or
    processing began, while this clip was cut: the newer work records its own).
    """
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return "not ready"
    if video.status == VideoStatus.PROCESSING:
        return "processing"
    if video.status != VideoStatus.READY or not video.duration or not video.width or not video.height:
        return "not ready"
    picked = video.preview_start
    if picked is not None and video.preview_key:
        plan = plan_preview(video.duration, video.width, video.height, picked=picked)
        if video.preview_key.endswith(f"/{PREVIEW_DIR}/{plan.file_name}") and storage.exists(video.preview_key):
            return "unchanged"
    source = preview_source(video)
    if source is None:
        logger.warning("video %s: no original left to cut a new preview clip from", video_id)
        return "no source"
    with scratch_dir("reelvision-preview-") as work:
        clip = make_preview(
            source, Path(work), duration=video.duration, width=video.width, height=video.height, picked=picked
        )
        if clip is None:
            return "failed"
        key = store_preview(clip, video.outputs_prefix)
    # Recorded only if nothing changed meanwhile. A clip left unrecorded stays in preview/ until the
    # video is processed again or deleted (both empty the folder).
    same_start = Q(preview_start__isnull=True) if picked is None else Q(preview_start=picked)
    if not Video.objects.filter(same_start, pk=video_id, status=VideoStatus.READY).update(
        preview_key=key, updated_at=timezone.now()
    ):
        return "superseded"
    if video.preview_key and video.preview_key != key:
        storage.delete(video.preview_key)
    from page_cache.cache import invalidate_all_pages  # cached cards link the old clip

    invalidate_all_pages()
    return "ready"


def sweep_work_dirs(video_id: int | None = None) -> int:
    """Remove this installation's work directories whose lease is no longer current (their run died or
    was superseded); a run whose lease is current keeps its directory."""
    root = work_root()
    if not root.is_dir():
        return 0
    pattern = f"{video_id}-*" if video_id is not None else "*-*"
    # Listed before the leases are read: a run takes its lease before it creates its directory, so
    # every directory listed here belongs to a lease the query below already sees.
    candidates = [path for path in root.glob(pattern) if path.is_dir()]
    live = {
        _work_dir_name(pk, token)
        for pk, token in Video.objects.filter(
            status=VideoStatus.PROCESSING, processing_token__isnull=False
        ).values_list("pk", "processing_token")
    }
    removed = 0
    for path in candidates:
        if path.name not in live:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
