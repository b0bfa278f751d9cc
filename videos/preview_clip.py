"""The hover preview of a film card: three muted seconds of the video, small enough to load like a poster.

Pure service module, like ``transcode``: a source (a path, or a presigned URL of the original) in,
one MP4 out; no Django models, settings or storage. Planning (when the clip starts, how big it is,
the ffmpeg arguments) is kept in plain functions apart from the two ffmpeg runs, so it is tested
without media.

Where the clip starts: the time the creator picked in the admin; else the first scene change in the
first half of the video (past the opening 5 %, where logos and fades from black are); else a
quarter of the way in. The clip is H.264 without an audio track, its short side at most 360 px, and
capped by the encoder's VBV buffer so that three seconds can never pass about 250 kB, whatever the
picture (noise included): a card grid loads a handful of them.

Not part of the transcode's single ffmpeg run: the start must be known before the clip is encoded,
and the scene search stops at the first cut it finds, which usually lies seconds into the video. A
changed start then re-makes the clip alone (``videos.tasks.make_preview``).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from videos.transcode import _PREEXEC, TranscodeFailed, _even, _even_down, ffmpeg_binary

PREVIEW_DIR = "preview"
PREVIEW_SECONDS = 3.0
PREVIEW_SHORT_SIDE = 360
PREVIEW_MAX_FPS = 30
PREVIEW_CRF = 27
# VBV: average and peak rate capped at 500 kbit/s with a buffer of the same size, so a clip holds at
# most 500 kbit × (3 s + 1 s of buffer) = 250 kB of video plus a few hundred bytes of MP4 index.
PREVIEW_MAX_KBPS = 500
PREVIEW_BUFFER_KBITS = 500
# Three seconds at 360p take under a second at "medium": no need for the ladder's faster preset.
PREVIEW_PRESET = "medium"
# ffmpeg's scene score (0–1) above which a frame starts a new shot; 0.3 is the usual choice.
SCENE_THRESHOLD = 0.3
# The scene search begins this far in (a fraction of the duration, at least a second).
SCENE_SKIP_FRACTION = 0.05
SCENE_SKIP_MIN_SECONDS = 1.0
# Frames are scored at this width: enough to tell shots apart, cheap to compare.
SCENE_ANALYSIS_WIDTH = 160
SCENE_TIMEOUT_SECONDS = 1800
CLIP_TIMEOUT_SECONDS = 300

_PTS_TIME = re.compile(r"\bpts_time:\s*(-?\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class PreviewPlan:
    """The clip: ``seconds`` long from ``start``, at ``width``×``height``."""

    start: float
    seconds: float
    width: int
    height: int

    @property
    def file_name(self) -> str:
        """Named after its start, so a new start gives a new address (no browser keeps the old clip)."""
        return f"clip-{round(self.start * 1000)}.mp4"


def preview_size(width: int, height: int) -> tuple[int, int]:
    """The clip's size: short side ``PREVIEW_SHORT_SIDE`` (never upscaled), aspect kept, even sides."""
    if width <= 0 or height <= 0:
        raise ValueError(f"invalid source size {width}x{height}")
    short = min(width, height)
    if short <= PREVIEW_SHORT_SIDE:
        return _even_down(width), _even_down(height)
    scale = PREVIEW_SHORT_SIDE / short
    w, h = _even(width * scale), _even(height * scale)
    return w, h


def scene_search_window(duration: float) -> tuple[float, float] | None:
    """The stretch to look for a scene change in: past the opening, up to half the duration."""
    if duration <= 0:
        return None
    start = max(SCENE_SKIP_MIN_SECONDS, duration * SCENE_SKIP_FRACTION)
    end = duration / 2
    return (round(start, 3), round(end, 3)) if end > start else None


def choose_preview_start(duration: float, *, picked: float | None = None, scene_changes=()) -> float:
    """When the clip starts: the picked time, else the first scene change in the search window, else a
    quarter in; moved back if fewer than ``PREVIEW_SECONDS`` would be left after it."""
    seconds = min(PREVIEW_SECONDS, duration)
    latest = max(0.0, duration - seconds)
    if picked is not None:
        start = picked
    else:
        window = scene_search_window(duration)
        in_window = sorted(t for t in scene_changes if window and window[0] <= t <= window[1])
        start = in_window[0] if in_window else duration / 4
    return round(min(max(0.0, start), latest), 3)


def plan_preview(
    duration: float, width: int, height: int, *, picked: float | None = None, scene_changes=()
) -> PreviewPlan:
    if duration <= 0:
        raise ValueError(f"cannot plan a preview of a video of {duration}s")
    start = choose_preview_start(duration, picked=picked, scene_changes=scene_changes)
    seconds = round(min(PREVIEW_SECONDS, duration - start), 3)
    return PreviewPlan(start, seconds, *preview_size(width, height))


def build_scene_detection_command(source: Path | str, window: tuple[float, float]) -> list[str]:
    """ffmpeg that decodes only the window and stops at its first scene change, printing its time.

    ``showinfo`` logs each frame that passes the ``select`` (with ``pts_time`` counted from the
    window's start: the input is seeked); ``-frames:v 1`` ends the run at the first one.
    """
    start, end = window
    return [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-nostats", "-loglevel", "info"),
        *("-ss", f"{start:.3f}", "-t", f"{end - start:.3f}", "-i", _input(source)),
        *("-map", "0:v:0", "-an", "-sn", "-dn"),
        "-vf",
        f"scale={SCENE_ANALYSIS_WIDTH}:-2,select='gt(scene,{SCENE_THRESHOLD})',showinfo",
        *("-frames:v", "1", "-f", "null", "-"),
    ]


def parse_scene_times(log: str, offset: float) -> list[float]:
    """The times (in the video, so ``offset`` + ``pts_time``) of the frames ``showinfo`` logged."""
    return [round(offset + float(match), 3) for match in _PTS_TIME.findall(log)]


def build_preview_command(source: Path | str, out: Path | str, plan: PreviewPlan) -> list[str]:
    """ffmpeg that writes the clip: seeked to the start, video only, capped in size, index first."""
    return [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-y", "-loglevel", "error"),
        *("-ss", f"{plan.start:.3f}", "-i", _input(source), "-t", f"{plan.seconds:.3f}"),
        # No audio, subtitle or data track at all (not a silent one): the card's clip is mute.
        *("-map", "0:v:0", "-an", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"),
        *("-vf", f"scale={plan.width}:{plan.height},setsar=1", "-fpsmax", str(PREVIEW_MAX_FPS)),
        *("-c:v", "libx264", "-preset", PREVIEW_PRESET, "-profile:v", "main", "-pix_fmt", "yuv420p"),
        *("-crf", str(PREVIEW_CRF), "-maxrate", f"{PREVIEW_MAX_KBPS}k", "-bufsize", f"{PREVIEW_BUFFER_KBITS}k"),
        # The index at the front: the browser starts playing before the last byte arrives.
        *("-movflags", "+faststart", "-f", "mp4", str(Path(out).absolute())),
    ]


def _input(source: Path | str) -> str:
    source = str(source)
    if source.startswith(("http://", "https://")):
        return source
    return str(Path(source).absolute())  # absolute: never read as an option


def detect_scene_changes(source: Path | str, duration: float) -> list[float]:
    """Times of the first scene change in the search window (an empty list when there is none, or
    when ffmpeg cannot tell: the quarter-way fallback then applies)."""
    window = scene_search_window(duration)
    if window is None:
        return []
    try:
        proc = subprocess.run(  # noqa: S603 - argv list, no shell
            build_scene_detection_command(source, window),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=SCENE_TIMEOUT_SECONDS,
            preexec_fn=_PREEXEC,
        )
    except subprocess.TimeoutExpired:
        return []
    if proc.returncode != 0:
        return []
    return parse_scene_times(proc.stderr, window[0])


def make_preview_clip(source: Path | str, out: Path | str, plan: PreviewPlan) -> Path:
    """Encode the planned clip to ``out``; raises ``TranscodeFailed`` with ffmpeg's last words."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(  # noqa: S603 - argv list, no shell
            build_preview_command(source, out, plan),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=CLIP_TIMEOUT_SECONDS,
            preexec_fn=_PREEXEC,
        )
    except subprocess.TimeoutExpired as error:
        out.unlink(missing_ok=True)
        raise TranscodeFailed(f"the preview clip took longer than {CLIP_TIMEOUT_SECONDS}s") from error
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        out.unlink(missing_ok=True)
        raise TranscodeFailed(f"ffmpeg exited with {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return out
