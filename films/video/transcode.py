"""Turn an uploaded video into an HLS ladder, a poster frame and a scrub-preview storyboard.

Pure service module: paths in, files out. No Django models, settings or storage here; the task
that calls it uploads the finished directory to storage under ``videos/<id>/``.

The HLS ladder is produced by one ffmpeg run (split + scale in ``-filter_complex``,
``var_stream_map`` + ``master_pl_name``; see FACTS.md §7.1).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

# (short side, video kbit/s). "720p" means the short side, so portrait sources get 720x1280 etc.
LADDER_STEPS: tuple[tuple[int, int], ...] = ((360, 800), (540, 1400), (720, 2800), (1080, 5000))
AUDIO_KBPS = 128
MIN_VIDEO_KBPS = 200
STDERR_TAIL_LINES = 20


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
class TranscodeResult:
    out_dir: Path
    master_playlist: Path
    variant_playlists: dict[str, Path]


def ffmpeg_binary() -> str:
    """Path of ffmpeg; prefers the shared lookup in films.video.ffmpeg when it is present."""
    try:
        from films.video.ffmpeg import find_ffmpeg
    except ImportError:  # the shared lookup module landed separately; fall back to PATH
        return shutil.which("ffmpeg") or "ffmpeg"
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


def build_hls_command(
    source: Path | str,
    out_dir: Path | str,
    ladder: list[Rung],
    *,
    segment_seconds: int = 4,
    preset: str = "veryfast",
) -> list[str]:
    """One ffmpeg invocation that writes ``master.m3u8`` and ``<rung>/index.m3u8`` + segments into out_dir."""
    if not ladder:
        raise ValueError("ladder must have at least one rung")
    out_dir = Path(out_dir).absolute()
    has_audio = ladder[0].audio_kbps is not None
    count = len(ladder)

    split = f"[0:v]split={count}" + "".join(f"[s{i}]" for i in range(count))
    scales = [f"[s{i}]scale={r.width}:{r.height}[v{i}]" for i, r in enumerate(ladder)]
    cmd = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-i", str(Path(source).absolute())]
    cmd += ["-filter_complex", ";".join([split, *scales])]
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
        str(out_dir / "%v" / "seg_%05d.ts"),
        "-master_pl_name",
        "master.m3u8",
        "-var_stream_map",
        stream_map,
        # Machine-readable key=value progress on stdout instead of the human status line on stderr.
        "-progress",
        "pipe:1",
        "-nostats",
        str(out_dir / "%v" / "index.m3u8"),
    ]
    return cmd


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


def run_transcode(
    source: Path | str,
    out_dir: Path | str,
    *,
    ladder: list[Rung],
    duration: float,
    on_progress: Callable[[float], None] | None = None,
    segment_seconds: int = 4,
    preset: str = "veryfast",
) -> TranscodeResult:
    """Transcode ``source`` to HLS in ``out_dir`` (replaced if present), reporting percent done.

    ffmpeg writes into a fresh sibling temp directory which is renamed into place only after a clean
    exit, so a failed or killed run never leaves partial outputs at ``out_dir``.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        cmd = build_hls_command(source, work_dir, ladder, segment_seconds=segment_seconds, preset=preset)
        reporter = ProgressReporter(duration, on_progress)
        # stderr goes to a file, not a pipe: reading only stdout while ffmpeg fills a stderr pipe would deadlock.
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as stderr_file:
            # argv list, no shell; paths are absolute so none can be read as an option.
            with subprocess.Popen(  # noqa: S603
                cmd, stdout=subprocess.PIPE, stderr=stderr_file, text=True, encoding="utf-8", errors="replace"
            ) as proc:
                assert proc.stdout is not None
                for line in proc.stdout:
                    reporter.feed(line)
                returncode = proc.wait()
            if returncode != 0:
                stderr_file.seek(0)
                tail = "".join(deque(stderr_file, maxlen=STDERR_TAIL_LINES)).strip()
                raise TranscodeFailed(f"ffmpeg exited with {returncode}: {tail}")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        work_dir.rename(out_dir)
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    return TranscodeResult(
        out_dir=out_dir,
        master_playlist=out_dir / "master.m3u8",
        variant_playlists={rung.name: out_dir / rung.name / "index.m3u8" for rung in ladder},
    )


def _run_ffmpeg(args: list[str]) -> None:
    proc = subprocess.run(  # noqa: S603 - argv list, no shell
        [ffmpeg_binary(), "-hide_banner", "-nostdin", "-v", "error", "-y", *args],
        capture_output=True,
        text=True,
        errors="replace",
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-STDERR_TAIL_LINES:])
        raise TranscodeFailed(f"ffmpeg exited with {proc.returncode}: {tail}")


def make_poster(source: Path | str, out_path: Path | str, at_seconds: float, max_width: int = 1280) -> Path:
    """Write one JPEG frame at ``at_seconds`` (source aspect kept, never wider than max_width)."""
    out_path = Path(out_path).absolute()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    _run_ffmpeg(
        [
            "-ss",
            f"{max(0.0, at_seconds):.3f}",  # before -i: fast seek to the nearest keyframe, then decode to the time
            "-i",
            str(Path(source).absolute()),
            "-frames:v",
            "1",
            "-vf",
            f"scale='min({max_width},iw)':-2",
            "-q:v",
            "3",
            str(out_path),
        ]
    )
    if not out_path.exists():  # seeking past the end exits 0 without writing a frame
        raise TranscodeFailed(f"no frame at {at_seconds}s in {source}")
    return out_path


def _vtt_timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def make_storyboard(
    source: Path | str,
    out_dir: Path | str,
    duration: float,
    every_seconds: float = 5,
    *,
    columns: int = 10,
    thumb_width: int = 160,
) -> tuple[Path, Path]:
    """Write ``storyboard.jpg`` (a grid of thumbnails, one per ``every_seconds``) and ``storyboard.vtt``.

    Each WebVTT cue covers one interval and points into the sprite as ``storyboard.jpg#xywh=x,y,w,h``,
    the media-fragment form players (e.g. Video.js / Vidstack thumbnails) read for scrub previews.
    """
    if duration <= 0 or every_seconds <= 0:
        raise ValueError("duration and every_seconds must be positive")
    out_dir = Path(out_dir).absolute()
    out_dir.mkdir(parents=True, exist_ok=True)
    sprite_path, vtt_path = out_dir / "storyboard.jpg", out_dir / "storyboard.vtt"
    count = math.ceil(duration / every_seconds)
    rows = math.ceil(count / columns)
    _run_ffmpeg(
        [
            "-i",
            str(Path(source).absolute()),
            "-vf",
            f"fps=1/{every_seconds},scale={thumb_width}:-2,tile={columns}x{rows}",
            "-frames:v",
            "1",
            "-q:v",
            "4",
            str(sprite_path),
        ]
    )
    # The thumbnail height follows the source aspect; read it back from the sprite rather than re-probing.
    with Image.open(sprite_path) as sprite:
        thumb_height = sprite.height // rows

    lines = ["WEBVTT", ""]
    for i in range(count):
        start, end = i * every_seconds, min((i + 1) * every_seconds, duration)
        x, y = (i % columns) * thumb_width, (i // columns) * thumb_height
        lines += [
            f"{_vtt_timestamp(start)} --> {_vtt_timestamp(end)}",
            f"{sprite_path.name}#xywh={x},{y},{thumb_width},{thumb_height}",
            "",
        ]
    vtt_path.write_text("\n".join(lines), encoding="utf-8")
    return sprite_path, vtt_path
