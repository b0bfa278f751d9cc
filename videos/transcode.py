"""Turn an uploaded video into an HLS ladder, a poster frame and a scrub-preview storyboard.

Pure service module: paths in, files out. No Django models, settings or storage here; the task
that calls it uploads the finished directory to storage under ``videos/<id>/``.

Everything comes out of **one ffmpeg run**: the decoded source is split once in
``-filter_complex`` into one scaled branch per rung (written by the HLS muxer with
``var_stream_map`` + ``master_pl_name``), a branch that keeps the poster frame
and a branch that samples one thumbnail every few seconds (tiled into one sprite afterwards). The
source is read and decoded once, whatever we make of it.

ffmpeg reports progress only once every output has started (written its header). So every output
starts with the first frames: the poster branch writes the first frame before the poster frame
replaces it, and the thumbnails are written one by one as they come, not tiled inside ffmpeg (the
tile filter emits nothing until the end, which held back every progress line until the whole
transcode was done). The output directory mirrors the storage layout::

    hls/master.m3u8
    hls/<rung>/index.m3u8, hls/<rung>/seg_00000.ts …
    poster.jpg
    storyboard/storyboard.jpg, storyboard/storyboard.vtt
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from videos.ffmpeg import find_ffmpeg

# (short side, video kbit/s). "720p" means the short side, so portrait sources get 720x1280 etc.
LADDER_STEPS: tuple[tuple[int, int], ...] = ((360, 800), (540, 1400), (720, 2800), (1080, 5000))
AUDIO_KBPS = 128
MIN_VIDEO_KBPS = 200
STDERR_TAIL_LINES = 20

HLS_DIR = "hls"
MASTER_PLAYLIST = "master.m3u8"
POSTER_NAME = "poster.jpg"
POSTER_MAX_WIDTH = 1280
STORYBOARD_DIR = "storyboard"
STORYBOARD_IMAGE = "storyboard.jpg"
STORYBOARD_VTT = "storyboard.vtt"
# A sprite of at most this many thumbnails (200 at 160x90 in 10 columns is 1600x1800 px, ~0.5 MB);
# longer videos get a longer interval instead of a bigger image.
STORYBOARD_MAX_THUMBS = 200
STORYBOARD_MIN_INTERVAL = 2
STORYBOARD_COLUMNS = 10
STORYBOARD_THUMB_LONG_SIDE = 160
STORYBOARD_JPEG_QUALITY = 80
# Where ffmpeg writes the storyboard's thumbnails inside its temporary directory; gone before the rename.
THUMBNAILS_DIR = ".thumbnails"
# Seconds between ffmpeg's progress reports.
PROGRESS_EVERY_SECONDS = 1


class TranscodeFailed(Exception):
    """ffmpeg exited non-zero; the message carries the tail of its stderr."""


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int | None  # None when the source has no audio track

    @property
    def maxrate_kbps(self) -> int:
        # 7 % headroom over the average and a 1.5x buffer: the usual capped-VBR recipe for HLS.
        return round(self.video_kbps * 1.07)

    @property
    def bufsize_kbps(self) -> int:
        return round(self.video_kbps * 1.5)


@dataclass(frozen=True)
class StoryboardPlan:
    """``count`` thumbnails, one per ``every_seconds``, tiled row by row into one sprite."""

    every_seconds: int
    count: int
    columns: int
    thumb_width: int
    thumb_height: int

    @property
    def rows(self) -> int:
        return math.ceil(self.count / self.columns)


@dataclass(frozen=True)
class TranscodeResult:
    out_dir: Path
    master_playlist: Path
    variant_playlists: dict[str, Path]
    poster: Path | None = None
    storyboard_image: Path | None = None
    storyboard_vtt: Path | None = None


def ffmpeg_binary() -> str:
    """Path of ffmpeg (`videos.ffmpeg.find_ffmpeg`)."""
    return str(find_ffmpeg())


def _even(value: float) -> int:
    """Nearest even integer (H.264 4:2:0 needs even sizes), halves rounded up, at least 2."""
    return max(2, math.floor(value / 2 + 0.5) * 2)


def _even_down(value: int) -> int:
    """Largest even integer not above value: used where rounding up would upscale."""
    return max(2, value - value % 2)


def plan_ladder(width: int, height: int, has_audio: bool) -> list[Rung]:
    """Rungs of the ladder for a source of this size: never upscaled, aspect kept, even dimensions.

    A source smaller than the lowest step still gets one rung at its own (even) size.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"invalid source size {width}x{height}")
    audio_kbps = AUDIO_KBPS if has_audio else None
    portrait = height > width
    short, long = (width, height) if portrait else (height, width)

    rungs = []
    for step_short, kbps in LADDER_STEPS:
        if step_short > short:
            break
        step_long = _even(long * step_short / short)
        w, h = (step_short, step_long) if portrait else (step_long, step_short)
        rungs.append(Rung(f"{step_short}p", w, h, kbps, audio_kbps))

    if not rungs:
        # Tiny source: keep its size and scale the lowest bitrate by pixel count.
        w, h = _even_down(width), _even_down(height)
        lowest_short, lowest_kbps = LADDER_STEPS[0]
        lowest_pixels = lowest_short * _even(lowest_short * 16 / 9)
        kbps = max(MIN_VIDEO_KBPS, round(lowest_kbps * (w * h) / lowest_pixels))
        rungs.append(Rung(f"{min(w, h)}p", w, h, kbps, audio_kbps))
    return rungs


def poster_time(duration: float) -> float:
    """When to take the poster frame: 10 % in (past fades from black), at least a second before the end."""
    if duration <= 0:
        return 0.0
    return round(max(0.0, min(duration * 0.1, duration - 1.0)), 3)


def plan_storyboard(duration: float, width: int, height: int) -> StoryboardPlan:
    """Thumbnail interval, count and size for a source of this duration and shape.

    One thumbnail every ``STORYBOARD_MIN_INTERVAL`` seconds, or fewer so there are at most
    ``STORYBOARD_MAX_THUMBS``; thumbnails keep the source aspect with a 160 px long side.
    """
    if duration <= 0 or width <= 0 or height <= 0:
        raise ValueError(f"cannot plan a storyboard for {duration}s at {width}x{height}")
    every = max(STORYBOARD_MIN_INTERVAL, math.ceil(duration / STORYBOARD_MAX_THUMBS))
    count = math.ceil(duration / every)
    long_side = STORYBOARD_THUMB_LONG_SIDE
    if width >= height:
        thumb_width, thumb_height = long_side, _even(long_side * height / width)
    else:
        thumb_width, thumb_height = _even(long_side * width / height), long_side
    return StoryboardPlan(every, count, min(STORYBOARD_COLUMNS, count), thumb_width, thumb_height)


def build_hls_command(
    source: Path | str,
    out_dir: Path | str,
    ladder: list[Rung],
    *,
    segment_seconds: int = 4,
    preset: str = "veryfast",
    poster_at: float | None = None,
    storyboard: StoryboardPlan | None = None,
) -> list[str]:
    """One ffmpeg invocation that writes ``hls/master.m3u8`` and ``hls/<rung>/index.m3u8`` + segments.

    With ``poster_at`` the same run also writes ``poster.jpg`` (the first frame at or after that
    time); with ``storyboard`` it writes the thumbnails as ``.thumbnails/00001.png`` … for
    ``tile_storyboard``. Both are extra branches of the one filter graph, so the source is decoded
    only once.
    """
    if not ladder:
        raise ValueError("ladder must have at least one rung")
    out_dir = Path(out_dir).absolute()
    hls_dir = out_dir / HLS_DIR
    has_audio = ladder[0].audio_kbps is not None
    count = len(ladder)

    branches = [f"[s{i}]" for i in range(count)]
    if poster_at is not None:
        branches.append("[sposter]")
    if storyboard is not None:
        branches.append("[sstoryboard]")
    graph = [f"[0:v]split={len(branches)}" + "".join(branches)]
    graph += [f"[s{i}]scale={r.width}:{r.height}[v{i}]" for i, r in enumerate(ladder)]
    if poster_at is not None:
        # Two frames pass the select: the very first (so this output starts at once and progress
        # reports are not held back) and the first at/after poster_at, which overwrites it. After
        # that the branch costs nothing; timestamps start at 0 even for sources (e.g. MPEG-TS) that
        # start later.
        graph.append(
            f"[sposter]setpts=PTS-STARTPTS,"
            f"select='eq(n,0)+lt(prev_selected_t,{poster_at:.3f})*gte(t,{poster_at:.3f})',"
            f"scale='min({POSTER_MAX_WIDTH},iw)':-2[poster]"
        )
    if storyboard is not None:
        # trim caps the thumbnails at the planned count.
        graph.append(
            f"[sstoryboard]setpts=PTS-STARTPTS,fps=1/{storyboard.every_seconds},"
            f"trim=end_frame={storyboard.count},"
            f"scale={storyboard.thumb_width}:{storyboard.thumb_height}[storyboard]"
        )

    cmd = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-i", str(Path(source).absolute())]
    cmd += ["-filter_complex", ";".join(graph)]
    # Machine-readable key=value progress on stdout instead of the human status line on stderr.
    cmd += ["-progress", "pipe:1", "-stats_period", str(PROGRESS_EVERY_SECONDS), "-nostats"]

    # --- output 1: the HLS ladder ---
    for i in range(count):
        cmd += ["-map", f"[v{i}]"]
    if has_audio:
        for _ in range(count):
            cmd += ["-map", "0:a:0"]

    # Keyframes forced on the segment grid (by time, so the source frame rate doesn't matter) and no
    # scene-cut keyframes: every rung cuts its segments at the same instants, so players can switch.
    cmd += ["-c:v", "libx264", "-preset", preset, "-profile:v", "main", "-pix_fmt", "yuv420p"]
    cmd += ["-sc_threshold", "0", "-force_key_frames", f"expr:gte(t,n_forced*{segment_seconds})"]
    for i, rung in enumerate(ladder):
        cmd += [
            f"-b:v:{i}",
            f"{rung.video_kbps}k",
            f"-maxrate:v:{i}",
            f"{rung.maxrate_kbps}k",
            f"-bufsize:v:{i}",
            f"{rung.bufsize_kbps}k",
        ]
    if has_audio:
        cmd += ["-c:a", "aac", "-ar", "48000", "-ac", "2", "-b:a", f"{ladder[0].audio_kbps}k"]

    if has_audio:
        stream_map = " ".join(f"v:{i},a:{i},name:{r.name}" for i, r in enumerate(ladder))
    else:
        stream_map = " ".join(f"v:{i},name:{r.name}" for i, r in enumerate(ladder))
    cmd += [
        "-f",
        "hls",
        "-hls_time",
        str(segment_seconds),
        "-hls_playlist_type",
        "vod",
        "-hls_flags",
        "independent_segments",
        "-hls_segment_type",
        "mpegts",
        "-hls_segment_filename",
        str(hls_dir / "%v" / "seg_%05d.ts"),
        "-master_pl_name",
        MASTER_PLAYLIST,
        "-var_stream_map",
        stream_map,
        str(hls_dir / "%v" / "index.m3u8"),
    ]

    # --- output 2: the poster, one JPEG overwritten by the second frame; 3: the thumbnails ---
    if poster_at is not None:
        cmd += ["-map", "[poster]", "-frames:v", "2", "-c:v", "mjpeg", "-q:v", "3", "-update", "1"]
        cmd += [str(out_dir / POSTER_NAME)]
    if storyboard is not None:
        cmd += ["-map", "[storyboard]", "-c:v", "png", "-f", "image2"]
        cmd += [str(out_dir / THUMBNAILS_DIR / "%05d.png")]
    return cmd


def tile_storyboard(thumbnails: list[Path], plan: StoryboardPlan, sprite: Path) -> Path:
    """Tile the thumbnails row by row into one JPEG sprite (``plan.columns`` wide); empty slots stay black."""
    from PIL import Image  # Pillow loads here only: planning (the rest of this module) needs none of it

    width, height = plan.thumb_width, plan.thumb_height
    canvas = Image.new("RGB", (plan.columns * width, plan.rows * height))
    for i, path in enumerate(thumbnails[: plan.count]):
        with Image.open(path) as thumb:
            canvas.paste(thumb.convert("RGB"), ((i % plan.columns) * width, (i // plan.columns) * height))
    sprite.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(sprite, "JPEG", quality=STORYBOARD_JPEG_QUALITY)
    return sprite


class ProgressReporter:
    """Turns ffmpeg ``-progress`` lines into a monotonic percentage, reported at most every 1 % or 1 s."""

    def __init__(
        self,
        duration: float,
        on_progress: Callable[[float], None] | None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.duration = duration
        self.on_progress = on_progress
        self.clock = clock
        self.percent = 0.0
        self.last_reported: float | None = None
        self.last_time = 0.0

    def feed(self, line: str) -> None:
        key, _, value = line.strip().partition("=")
        if key == "progress" and value == "end":
            self._report(100.0, force=True)
        elif key == "out_time_us" and value.lstrip("-").isdigit() and self.duration > 0:
            # Capped below 100 until ffmpeg says "end": the muxer still has the last segment to flush.
            percent = min(99.9, max(0.0, int(value) / 1_000_000 / self.duration * 100))
            self._report(percent)

    def _report(self, percent: float, force: bool = False) -> None:
        self.percent = max(self.percent, percent)
        if self.on_progress is None or self.percent == self.last_reported:
            return
        now = self.clock()
        due = self.last_reported is None or self.percent - self.last_reported >= 1 or now - self.last_time >= 1
        if force or due:
            self.last_reported, self.last_time = self.percent, now
            self.on_progress(self.percent)


def _vtt_timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def write_storyboard_vtt(plan: StoryboardPlan, duration: float, vtt_path: Path, image_name: str) -> Path:
    """The WebVTT index of a storyboard sprite: one cue per interval, ``<image>#xywh=x,y,w,h``.

    That media-fragment form is what players (Video.js, Vidstack, hls.js UIs) read for scrub previews.
    """
    lines = ["WEBVTT", ""]
    for i in range(plan.count):
        start, end = i * plan.every_seconds, min((i + 1) * plan.every_seconds, duration)
        x, y = (i % plan.columns) * plan.thumb_width, (i // plan.columns) * plan.thumb_height
        lines += [
            f"{_vtt_timestamp(start)} --> {_vtt_timestamp(end)}",
            f"{image_name}#xywh={x},{y},{plan.thumb_width},{plan.thumb_height}",
            "",
        ]
    vtt_path.write_text("\n".join(lines), encoding="utf-8")
    return vtt_path


def run_transcode(
    source: Path | str,
    out_dir: Path | str,
    *,
    ladder: list[Rung],
    duration: float,
    on_progress: Callable[[float], None] | None = None,
    segment_seconds: int = 4,
    preset: str = "veryfast",
    poster_at: float | None = None,
    storyboard: StoryboardPlan | None = None,
) -> TranscodeResult:
    """Transcode ``source`` in one ffmpeg run into ``out_dir`` (replaced if present), reporting percent done.

    ffmpeg writes into a fresh sibling temp directory which is renamed into place only after a clean
    exit, so a failed or killed run never leaves partial outputs at ``out_dir``. An exception raised
    by ``on_progress`` (e.g. the job lost its lease) kills ffmpeg and propagates.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        if storyboard is not None:
            (work_dir / THUMBNAILS_DIR).mkdir()  # the image muxer does not create directories
        cmd = build_hls_command(
            source,
            work_dir,
            ladder,
            segment_seconds=segment_seconds,
            preset=preset,
            poster_at=poster_at,
            storyboard=storyboard,
        )
        _run_with_progress(cmd, ProgressReporter(duration, on_progress))
        if poster_at is not None and not (work_dir / POSTER_NAME).is_file():
            raise TranscodeFailed(f"ffmpeg exited cleanly but wrote no {POSTER_NAME}")
        if storyboard is not None:
            thumbnails = sorted((work_dir / THUMBNAILS_DIR).glob("*.png"))
            if not thumbnails:
                raise TranscodeFailed("ffmpeg exited cleanly but wrote no storyboard thumbnails")
            tile_storyboard(thumbnails, storyboard, work_dir / STORYBOARD_DIR / STORYBOARD_IMAGE)
            shutil.rmtree(work_dir / THUMBNAILS_DIR)
            write_storyboard_vtt(storyboard, duration, work_dir / STORYBOARD_DIR / STORYBOARD_VTT, STORYBOARD_IMAGE)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        work_dir.rename(out_dir)
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    hls_dir = out_dir / HLS_DIR
    return TranscodeResult(
        out_dir=out_dir,
        master_playlist=hls_dir / MASTER_PLAYLIST,
        variant_playlists={rung.name: hls_dir / rung.name / "index.m3u8" for rung in ladder},
        poster=out_dir / POSTER_NAME if poster_at is not None else None,
        storyboard_image=out_dir / STORYBOARD_DIR / STORYBOARD_IMAGE if storyboard is not None else None,
        storyboard_vtt=out_dir / STORYBOARD_DIR / STORYBOARD_VTT if storyboard is not None else None,
    )


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes ffmpeg get SIGKILL when the worker that started it dies (Linux).

    Without it a worker killed mid-job (OOM killer, ``kill -9``, a container restart) leaves an orphaned
    ffmpeg encoding into a directory nobody will read, using the CPU the retry needs.
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    pr_set_pdeathsig = 1

    def preexec() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)

    return preexec


_PREEXEC = _die_with_parent()


def _run_with_progress(cmd: list[str], reporter: ProgressReporter) -> None:
    # stderr goes to a file, not a pipe: reading only stdout while ffmpeg fills a stderr pipe would deadlock.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as stderr_file:
        # argv list, no shell; paths are absolute so none can be read as an option.
        with subprocess.Popen(  # noqa: S603
            cmd,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            text=True,
            encoding="utf-8",
            errors="replace",
            preexec_fn=_PREEXEC,  # only calls prctl(2): safe between fork and exec
        ) as proc:
            assert proc.stdout is not None
            try:
                for line in proc.stdout:
                    reporter.feed(line)
            except BaseException:
                proc.kill()
                raise
            returncode = proc.wait()
        if returncode != 0:
            stderr_file.seek(0)
            tail = "".join(deque(stderr_file, maxlen=STDERR_TAIL_LINES)).strip()
            raise TranscodeFailed(f"ffmpeg exited with {returncode}: {tail}")
