"""The sensitive-content scan: moments of a video where a detector sees exposed nudity.

A frame about every `SAMPLE_SECONDS` (fitted into `SCAN_WIDTH` × `SCAN_HEIGHT`, decoded by one ffmpeg
pass) goes through NudeNet's detector, whose weights ship inside its package (`nudenet/320n.onnx`,
run by onnxruntime on the CPU: nothing is downloaded). Detections of the labels in `NUDITY_LABELS`
at `MIN_SCORE` or more become moments (`find_moments`, pure): neighbouring samples that are both
flagged join into one moment, so a scene is one flag with its start, end and the sample the
detector was surest of. Staff and the owner see the moments in the Videos admin; a moment staff
confirm becomes an advisory of the film (`videos.playback.advisories`).

The detector is a help for staff, not a judge: it misses things and sees things that are not
there, which is why nothing it finds is shown to viewers before staff confirm it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from videos.transcode import _PREEXEC, TranscodeFailed, ffmpeg_binary

SAMPLE_SECONDS = 2.0
SCAN_WIDTH = 640
SCAN_HEIGHT = 360
# NudeNet's classes that make a moment worth a look: exposed intimate parts. Faces, feet, bellies,
# armpits and covered parts are detected too, and ignored here.
NUDITY_LABELS = frozenset(
    {
        "FEMALE_BREAST_EXPOSED",
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "BUTTOCKS_EXPOSED",
        "ANUS_EXPOSED",
    }
)
MIN_SCORE = 0.45
# Every sampled frame fitted into SCAN_WIDTH × SCAN_HEIGHT, with black bars: boxes found in it are
# in its pixels (`videos.mosaic.to_frame` maps them back).
FIT = (
    f"scale={SCAN_WIDTH}:{SCAN_HEIGHT}:force_original_aspect_ratio=decrease,"
    f"pad={SCAN_WIDTH}:{SCAN_HEIGHT}:(ow-iw)/2:(oh-ih)/2"
)
SCAN_TIMEOUT_SECONDS = 4 * 3600


@dataclass(frozen=True)
class Detection:
    time: float  # seconds from the start
    label: str
    score: float
    box: tuple[int, int, int, int]  # x, y, width, height in the sampled frame


@dataclass(frozen=True)
class Moment:
    start: float  # the first flagged sample
    end: float  # the last flagged sample
    at: float  # the sample the detector was surest of (its picture is the flag's thumbnail)
    labels: tuple[str, ...]
    score: float


def find_moments(
    detections: Iterable[Detection],
    *,
    labels: frozenset[str] = NUDITY_LABELS,
    min_score: float = MIN_SCORE,
    sample_seconds: float = SAMPLE_SECONDS,
) -> list[Moment]:
    """The moments of `detections` worth a look, in time order.

    Only detections of `labels` at `min_score` or more count. Flagged samples no more than one
    sample apart (`sample_seconds` × 1.5, for the rounding of sample times) join into one moment.
    """
    flagged: dict[float, list[Detection]] = {}
    for detection in detections:
        if detection.label in labels and detection.score >= min_score:
            flagged.setdefault(detection.time, []).append(detection)
    moments: list[Moment] = []
    group: list[float] = []

    def close() -> None:
        if not group:
            return
        found = [d for time in group for d in flagged[time]]
        best = max(found, key=lambda d: d.score)
        moments.append(
            Moment(
                start=group[0],
                end=group[-1],
                at=best.time,
                labels=tuple(sorted({d.label for d in found})),
                score=round(best.score, 3),
            )
        )
        group.clear()

    for time in sorted(flagged):
        if group and time - group[-1] > sample_seconds * 1.5:
            close()
        group.append(time)
    close()
    return moments


# --- I/O: sampling frames and running the detector ----------------------------------------------


def sample_step(rate: float, every: float = SAMPLE_SECONDS) -> int:
    """How many frames apart the samples are, at `rate` frames a second: the nearest whole number."""
    return max(1, round(every * rate))


def build_sample_command(source: Path | str, rate: float, every: float = SAMPLE_SECONDS) -> list[str]:
    """ffmpeg that writes every `sample_step`-th frame (the first included), fitted into
    SCAN_WIDTH × SCAN_HEIGHT with black bars, as raw BGR pictures to stdout.

    Frames are picked by their number, not their time: a time test (`t - prev_selected_t >= every`)
    drifts a frame late whenever the sum of frame durations falls a hair short of `every`."""
    return [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"),
        *("-i", _input(source)),
        *("-map", "0:v:0", "-an", "-sn", "-dn"),
        *("-vf", f"select='not(mod(n\\,{sample_step(rate, every)}))',{FIT},format=bgr24"),
        *("-fps_mode", "passthrough", "-f", "rawvideo", "-"),
    ]


def frame_at(source: Path | str, time: float) -> np.ndarray:
    """The BGR frame of `source` at `time`, fitted as the sampled frames are (their boxes apply)."""
    command = [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"),
        *("-ss", f"{time:.3f}", "-i", _input(source), "-map", "0:v:0", "-frames:v", "1"),
        *("-vf", f"{FIT},format=bgr24", "-f", "rawvideo", "-"),
    ]
    proc = subprocess.run(command, capture_output=True, timeout=120, preexec_fn=_PREEXEC)  # noqa: S603
    size = SCAN_WIDTH * SCAN_HEIGHT * 3
    if proc.returncode != 0 or len(proc.stdout) < size:
        raise TranscodeFailed(
            f"ffmpeg could not read the frame at {time:.3f}s: {proc.stderr.decode(errors='replace')[-500:]}"
        )
    return np.frombuffer(proc.stdout[:size], dtype=np.uint8).reshape(SCAN_HEIGHT, SCAN_WIDTH, 3)


def _input(source: Path | str) -> str:
    source = str(source)
    return source if source.startswith(("http://", "https://")) else str(Path(source).absolute())


def sample_frames(
    source: Path | str,
    duration: float,
    rate: float,
    on_progress: Callable[[float], None] | None = None,
    every: float = SAMPLE_SECONDS,
) -> Iterator[tuple[float, np.ndarray]]:
    """(time, BGR frame) about every `every` seconds of `source` (a video of `rate` frames a second),
    fitted into SCAN_WIDTH × SCAN_HEIGHT; raises TranscodeFailed when ffmpeg fails."""
    size = SCAN_WIDTH * SCAN_HEIGHT * 3
    step = sample_step(rate, every)
    process = subprocess.Popen(  # noqa: S603 - argv list, no shell
        build_sample_command(source, rate, every),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_PREEXEC,  # only calls prctl(2): safe between fork and exec
    )
    number = 0
    try:
        while (chunk := process.stdout.read(size)) and len(chunk) == size:
            time = number * step / rate
            yield time, np.frombuffer(chunk, dtype=np.uint8).reshape(SCAN_HEIGHT, SCAN_WIDTH, 3)
            number += 1
            if on_progress is not None and duration > 0:
                on_progress(min(1.0, time / duration))
        stderr = process.stderr.read().decode(errors="replace")
        returncode = process.wait(timeout=SCAN_TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if returncode != 0 or number == 0:
        raise TranscodeFailed(f"ffmpeg could not sample the video for the scan: {stderr.strip()[-500:]}")


@cache
def detector():
    """NudeNet's detector, loaded once per process (about 12 MB of weights from its package)."""
    from nudenet import NudeDetector  # imported here: onnxruntime loads only in processes that scan

    return NudeDetector()


def detect(frame: np.ndarray, time: float) -> list[Detection]:
    return [
        Detection(time=time, label=found["class"], score=float(found["score"]), box=tuple(found["box"]))
        for found in detector().detect(frame)
    ]


def scan(
    source: Path | str, duration: float, rate: float, on_progress: Callable[[float], None] | None = None
) -> list[Detection]:
    """Every detection in the sampled frames of `source` (all labels; `find_moments` picks)."""
    return [
        found for time, frame in sample_frames(source, duration, rate, on_progress) for found in detect(frame, time)
    ]
