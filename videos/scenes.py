"""Scene cuts, chapter suggestions and poster candidates, from one pass over a video.

Pure service module, like ``transcode``: a source (a path, or a presigned URL of the original) in,
a ``SceneAnalysis`` out; no Django models, settings or storage. The deciding (which frames are
cuts, where chapters start, which frames make posters) is done by plain functions over per-frame
figures, tested without media; the ffmpeg runs that produce those figures and the poster images
are apart.

**The pass.** ffmpeg decodes the video once, at its own frame rate, scaled to a small grey picture
(``FRAME_WIDTH`` × ``FRAME_HEIGHT``), and pipes the raw frames here. Each frame leaves three
figures, and nothing else is kept:

- *change*: the mean absolute difference from the frame before (0–255);
- *brightness*: its mean luma (0–255);
- *sharpness*: the variance of its Laplacian (a blurred frame, or one in the middle of a
  dissolve, has few edges).

**Cuts.** A hard cut is one frame whose change stands out: at least ``CUT_MIN_CHANGE``, and at
least ``CUT_PEAK_RATIO`` times the median change of the frames around it (a pan, a flicker or a
crowd moves a whole stretch of frames, not one). Of two cuts closer than ``MIN_SHOT_SECONDS``, the
stronger is kept. A cut is reported at the first frame of the new shot, as a time (frame ÷ rate).

**Chapters.** The video's start, then each cut that leaves both the chapter before it and the rest
of the video at least ``chapter_min_seconds(duration)`` long: at most ``MAX_CHAPTERS``, none
shorter than half a minute. They are suggestions: the creator names them and may move them.

**Poster candidates.** The video between 5 % and 95 % is split into ``POSTER_CANDIDATES`` equal
spans; each gives its sharpest frame that is neither dark nor washed out (brightness between
``POSTER_MIN_BRIGHTNESS`` and ``POSTER_MAX_BRIGHTNESS``), at least ``POSTER_CUT_GUARD_SECONDS``
from a cut and not changing fast (not mid-transition), and not from a shot already picked unless
``POSTER_SAME_SHOT_SECONDS`` further along it (a long take). A span with no such frame gives none.
"""

from __future__ import annotations

import math
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from videos.transcode import _PREEXEC, TranscodeFailed, ffmpeg_binary

FRAME_WIDTH = 256
FRAME_HEIGHT = 144
CUT_MIN_CHANGE = 12.0
CUT_PEAK_RATIO = 3.0
# Frames each side whose median change a candidate cut is compared with.
CUT_NEIGHBOURHOOD = 6
MIN_SHOT_SECONDS = 0.5
MAX_CHAPTERS = 12
MIN_CHAPTER_SECONDS = 30.0
POSTER_CANDIDATES = 12
POSTER_SPAN = (0.05, 0.95)
POSTER_MIN_BRIGHTNESS = 30.0
POSTER_MAX_BRIGHTNESS = 225.0
POSTER_CUT_GUARD_SECONDS = 0.5
# Two candidates from one shot are this far apart at least (a long take shows something else by then).
POSTER_SAME_SHOT_SECONDS = 10.0
# A frame changing more than this many times the video's median change is mid-movement or mid-dissolve.
POSTER_MAX_CHANGE_RATIO = 2.0
POSTER_MAX_WIDTH = 1280
ANALYSIS_TIMEOUT_SECONDS = 4 * 3600
FRAME_TIMEOUT_SECONDS = 120


@dataclass
class FrameFigures:
    """Per-frame figures of one pass, in frame order, and the rate that turns a frame into a time."""

    rate: float
    change: list[float] = field(default_factory=list)
    brightness: list[float] = field(default_factory=list)
    sharpness: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.change)

    @property
    def duration(self) -> float:
        return self.count / self.rate if self.rate else 0.0


@dataclass(frozen=True)
class PosterCandidate:
    time: float
    sharpness: float
    brightness: float


@dataclass(frozen=True)
class SceneAnalysis:
    cuts: tuple[float, ...]
    chapters: tuple[float, ...]
    posters: tuple[PosterCandidate, ...]


# --- figures of one frame -----------------------------------------------------------------------


def frame_figures(frame: np.ndarray, previous: np.ndarray | None) -> tuple[float, float, float]:
    """(change from `previous`, brightness, sharpness) of a grey frame (2-D, 0–255)."""
    picture = frame.astype(np.float32)
    change = float(np.abs(picture - previous).mean()) if previous is not None else 0.0
    laplacian = (
        picture[:-2, 1:-1] + picture[2:, 1:-1] + picture[1:-1, :-2] + picture[1:-1, 2:] - 4 * picture[1:-1, 1:-1]
    )
    return change, float(picture.mean()), float(laplacian.var())


def figures_of_frames(frames: Iterable[np.ndarray], rate: float) -> FrameFigures:
    figures = FrameFigures(rate)
    previous = None
    for frame in frames:
        change, brightness, sharpness = frame_figures(frame, previous)
        figures.change.append(change)
        figures.brightness.append(brightness)
        figures.sharpness.append(sharpness)
        previous = frame.astype(np.float32)
    return figures


# --- deciding -----------------------------------------------------------------------------------


def find_cuts(figures: FrameFigures) -> list[int]:
    """The frames that start a new shot (see the module's docstring)."""
    change = np.asarray(figures.change, dtype=np.float32)
    candidates = []
    for index in range(1, len(change)):
        if change[index] < CUT_MIN_CHANGE:
            continue
        around = np.concatenate(
            (change[max(1, index - CUT_NEIGHBOURHOOD) : index], change[index + 1 : index + 1 + CUT_NEIGHBOURHOOD])
        )
        baseline = float(np.median(around)) if len(around) else 0.0
        if change[index] >= CUT_PEAK_RATIO * baseline:
            candidates.append(index)
    min_gap = max(1, round(MIN_SHOT_SECONDS * figures.rate))
    kept: list[int] = []
    for index in candidates:
        if kept and index - kept[-1] < min_gap:
            if change[index] > change[kept[-1]]:
                kept[-1] = index
            continue
        kept.append(index)
    return kept


def chapter_min_seconds(duration: float) -> float:
    return max(MIN_CHAPTER_SECONDS, duration / MAX_CHAPTERS)


def plan_chapters(cuts_seconds: list[float], duration: float) -> list[float]:
    """Chapter starts: 0, then each cut leaving both sides at least `chapter_min_seconds` long."""
    shortest = chapter_min_seconds(duration)
    starts = [0.0]
    for cut in cuts_seconds:
        if cut - starts[-1] >= shortest and duration - cut >= shortest and len(starts) < MAX_CHAPTERS:
            starts.append(cut)
    return starts


def pick_posters(figures: FrameFigures, cuts: list[int]) -> list[PosterCandidate]:
    """One candidate per span at most (see the module's docstring), in time order."""
    count = figures.count
    if count == 0:
        return []
    change = np.asarray(figures.change, dtype=np.float32)
    quiet = POSTER_MAX_CHANGE_RATIO * max(float(np.median(change[1:])) if count > 1 else 0.0, 1.0)
    guard = math.ceil(POSTER_CUT_GUARD_SECONDS * figures.rate)
    near_cut = np.zeros(count, dtype=bool)
    for cut in cuts:
        near_cut[max(0, cut - guard) : cut + guard + 1] = True
    shot_of = np.searchsorted(np.asarray(cuts, dtype=int), np.arange(count), side="right")
    same_shot_gap = round(POSTER_SAME_SHOT_SECONDS * figures.rate)
    first, last = (round(share * count) for share in POSTER_SPAN)
    edges = np.linspace(first, last, POSTER_CANDIDATES + 1).round().astype(int)
    picked: list[int] = []
    for start, end in zip(edges[:-1], edges[1:], strict=True):
        best = None
        for index in range(start, max(start, end)):
            bright = figures.brightness[index]
            if near_cut[index] or change[index] > quiet or not POSTER_MIN_BRIGHTNESS <= bright <= POSTER_MAX_BRIGHTNESS:
                continue
            # Another frame of a shot already picked looks the same, unless it is well along a long take.
            if any(shot_of[other] == shot_of[index] and index - other < same_shot_gap for other in picked):
                continue
            if best is None or figures.sharpness[index] > figures.sharpness[best]:
                best = index
        if best is not None:
            picked.append(best)
    return [
        PosterCandidate(
            round(index / figures.rate, 3), round(figures.sharpness[index], 1), round(figures.brightness[index], 1)
        )
        for index in picked
    ]


def analyse_figures(figures: FrameFigures) -> SceneAnalysis:
    cuts = find_cuts(figures)
    seconds = [round(index / figures.rate, 3) for index in cuts]
    return SceneAnalysis(
        cuts=tuple(seconds),
        chapters=tuple(plan_chapters(seconds, figures.duration)),
        posters=tuple(pick_posters(figures, cuts)),
    )


# --- ffmpeg -------------------------------------------------------------------------------------


def build_frames_command(source: Path | str, rate: float) -> list[str]:
    """ffmpeg that writes every frame, at `rate`, as small raw grey pictures to stdout."""
    return [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"),
        *("-i", _input(source)),
        *("-map", "0:v:0", "-an", "-sn", "-dn"),
        # A constant rate, so that frame n is at n ÷ rate whatever the source's timestamps.
        *("-vf", f"fps={rate:.6f},scale={FRAME_WIDTH}:{FRAME_HEIGHT}:flags=area,format=gray"),
        *("-f", "rawvideo", "-"),
    ]


def build_poster_command(
    source: Path | str, time: float, out: Path | str, max_width: int = POSTER_MAX_WIDTH
) -> list[str]:
    """ffmpeg that writes the frame at `time` as a JPEG at most `max_width` wide."""
    return [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-y", "-loglevel", "error"),
        *("-ss", f"{time:.3f}", "-i", _input(source), "-frames:v", "1"),
        *("-vf", f"scale='min({max_width},iw)':-2", "-q:v", "3", str(Path(out).absolute())),
    ]


def _input(source: Path | str) -> str:
    source = str(source)
    if source.startswith(("http://", "https://")):
        return source
    return str(Path(source).absolute())  # absolute: never read as an option


def read_figures(
    source: Path | str, rate: float, duration: float, on_progress: Callable[[float], None] | None = None
) -> FrameFigures:
    """Decode `source` once and return its per-frame figures; `on_progress(0–1)` every few seconds of video."""
    if rate <= 0:
        raise ValueError(f"cannot analyse a video at {rate} frames a second")
    size = FRAME_WIDTH * FRAME_HEIGHT
    expected = max(1, round(duration * rate))
    process = subprocess.Popen(  # noqa: S603 - argv list, no shell
        build_frames_command(source, rate),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_PREEXEC,  # only calls prctl(2): safe between fork and exec
    )

    every = max(1, round(rate * 10))  # frames between two progress reports: ten seconds of video

    def frames():
        done = 0
        while chunk := process.stdout.read(size):
            if len(chunk) < size:
                break
            yield np.frombuffer(chunk, dtype=np.uint8).reshape(FRAME_HEIGHT, FRAME_WIDTH)
            done += 1
            if on_progress is not None and done % every == 0:
                on_progress(min(1.0, done / expected))

    try:
        figures = figures_of_frames(frames(), rate)
        stderr = process.stderr.read().decode(errors="replace")
        returncode = process.wait(timeout=ANALYSIS_TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if returncode != 0 or figures.count == 0:
        raise TranscodeFailed(f"ffmpeg could not decode the video for analysis: {stderr.strip()[-500:]}")
    return figures


def write_poster(source: Path | str, time: float, out: Path | str, max_width: int = POSTER_MAX_WIDTH) -> None:
    proc = subprocess.run(  # noqa: S603 - argv list, no shell
        build_poster_command(source, time, out, max_width),
        capture_output=True,
        text=True,
        errors="replace",
        timeout=FRAME_TIMEOUT_SECONDS,
        preexec_fn=_PREEXEC,
    )
    if proc.returncode != 0 or not Path(out).exists():
        raise TranscodeFailed(f"ffmpeg could not write the frame at {time:.3f}s: {proc.stderr.strip()[-500:]}")


def analyse(
    source: Path | str, rate: float, duration: float, on_progress: Callable[[float], None] | None = None
) -> SceneAnalysis:
    """Cuts, chapters and poster candidates of `source` (its frame rate and duration from the probe)."""
    return analyse_figures(read_figures(source, rate, duration, on_progress))
