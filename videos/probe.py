"""Decide whether an upload is a video we can play, and read what it is.

``probe_video(source)`` takes a local path or an http(s) URL (a presigned S3 GET) and returns a
``ProbeResult``, or raises ``InvalidVideo`` whose ``message`` is a sentence for the creator and whose
``detail`` is for the logs. ffprobe's JSON is used when ffprobe is installed; otherwise ffmpeg's
own description of the input (``ffmpeg -i``) is parsed, with the same rules.

A truncated MP4 whose index (moov atom) is at the end cannot be opened at all; one whose index is
at the front ("faststart") opens and reports its full duration. The second kind is caught by
comparing the bytes present with what the index says the streams need (the sum of the streams'
bit rates over the duration): an upload with less than 90 % of that is cut off.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .ffmpeg import find_ffmpeg, find_ffprobe

TIMEOUT_SECONDS = 120
MAX_DURATION = 10 * 3600
MIN_SIDE, MAX_SIDE = 16, 8192
IMAGE_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "gif", "tiff_pipe", "apng", "svg_pipe"}
IMAGE_CODECS = {"png", "mjpeg", "webp", "bmp", "gif", "tiff", "jpeg2000", "apng"}


class InvalidVideo(Exception):
    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail or message


@dataclass(frozen=True)
class ProbeResult:
    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str
    has_audio: bool
    container: str
    bit_rate: int | None
    size: int | None


def _unreadable(detail: str) -> InvalidVideo:
    return InvalidVideo(
        _("This file is not a video we can read. Export it as MP4 (H.264) or MOV and upload it again."), detail
    )


def _cut_off(detail: str) -> InvalidVideo:
    return InvalidVideo(
        _("This file seems to be cut off: the upload may have been interrupted. Please upload it again."), detail
    )


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def probe_video(source: str | Path) -> ProbeResult:
    source = str(source)
    is_url = source.startswith(("http://", "https://"))
    if not is_url:
        path = Path(source)
        if not path.exists():
            raise _unreadable(f"{source}: no such file")
        if path.stat().st_size == 0:
            raise InvalidVideo(_("The file is empty (0 bytes). Please upload it again."), "zero-byte file")
    ffprobe = find_ffprobe()
    data = _ffprobe_json(ffprobe, source) if ffprobe else _ffmpeg_description(source)
    return _judge(data)


def _ffprobe_json(ffprobe: str, source: str) -> dict:
    args = [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", source]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=TIMEOUT_SECONDS)  # noqa: S603
    except subprocess.TimeoutExpired as error:
        raise _unreadable(f"ffprobe timed out after {TIMEOUT_SECONDS}s") from error
    try:
        data = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        data = {}
    if proc.returncode != 0 or not data.get("streams"):
        detail = proc.stderr.strip()[-500:] or f"ffprobe exit {proc.returncode}"
        if "moov atom not found" in detail:
            raise _cut_off(detail) if _starts_like_mp4(source) else _unreadable(detail)
        raise _unreadable(detail)
    return data


def _starts_like_mp4(source: str) -> bool:
    """An MP4/MOV begins with an ``ftyp`` box: without its index it was cut off, not mislabelled."""
    if source.startswith(("http://", "https://")):
        return False
    with open(source, "rb") as fh:
        return fh.read(12)[4:8] == b"ftyp"


STREAM_LINE = re.compile(r"Stream #\d+:\d+(?:\[\w+\])?(?:\(\w+\))?: (Video|Audio): (\w+)(.*)")
DURATION_LINE = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
BITRATE_LINE = re.compile(r"bitrate: (\d+) kb/s")
INPUT_LINE = re.compile(r"Input #0, ([\w,]+), from")
SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
STREAM_RATE = re.compile(r"(\d+) kb/s")


def _ffmpeg_description(source: str) -> dict:
    """ffprobe-shaped data from ``ffmpeg -i`` (which prints the input and exits 1: no output given)."""
    args = [find_ffmpeg(), "-hide_banner", "-nostdin", "-i", source]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=TIMEOUT_SECONDS)  # noqa: S603
    except subprocess.TimeoutExpired as error:
        raise _unreadable(f"ffmpeg timed out after {TIMEOUT_SECONDS}s") from error
    text = proc.stderr
    container = INPUT_LINE.search(text)
    if not container:
        detail = text.strip()[-500:]
        if "moov atom not found" in detail and _starts_like_mp4(source):
            raise _cut_off(detail)
        raise _unreadable(detail)
    streams = []
    for kind, codec, rest in STREAM_LINE.findall(text):
        stream = {"codec_type": kind.lower(), "codec_name": codec}
        if kind == "Video":
            size = SIZE.search(rest)
            if size:
                stream["width"], stream["height"] = int(size.group(1)), int(size.group(2))
            if "attached pic" in rest:
                stream["disposition"] = {"attached_pic": 1}
        rate = STREAM_RATE.search(rest)
        if rate:
            stream["bit_rate"] = str(int(rate.group(1)) * 1000)
        streams.append(stream)
    fmt = {"format_name": container.group(1)}
    duration = DURATION_LINE.search(text)
    if duration:
        hours, minutes, seconds = duration.groups()
        fmt["duration"] = str(int(hours) * 3600 + int(minutes) * 60 + float(seconds))
    bitrate = BITRATE_LINE.search(text)
    if bitrate:
        fmt["bit_rate"] = str(int(bitrate.group(1)) * 1000)
    if not source.startswith(("http://", "https://")):
        fmt["size"] = str(Path(source).stat().st_size)
    return {"streams": streams, "format": fmt}


def _judge(data: dict) -> ProbeResult:
    fmt = data.get("format", {})
    container = fmt.get("format_name", "")
    streams = data.get("streams", [])
    videos = [
        s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    if container in IMAGE_FORMATS or (
        videos
        and videos[0].get("codec_name") in IMAGE_CODECS
        and len(videos) == 1
        and not audios
        and _float(fmt.get("duration")) in (None, 0.0, 0.04)
    ):
        raise InvalidVideo(_("This is a still image, not a video."), f"container {container}")
    if not videos:
        if audios:
            raise InvalidVideo(_("This file has sound but no picture. Please upload the film itself."), "audio only")
        raise _unreadable(f"no video stream in {container or 'unknown container'}")
    video = videos[0]
    width, height = _int(video.get("width")), _int(video.get("height"))
    if not width or not height:
        raise _unreadable("video stream without a size")
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        raise InvalidVideo(
            _("The picture is %(width)d×%(height)d pixels: we take videos between %(min)d and %(max)d pixels a side.")
            % {"width": width, "height": height, "min": MIN_SIDE, "max": MAX_SIDE},
            "size out of range",
        )
    duration = _float(fmt.get("duration")) or _float(video.get("duration"))
    if duration is None or duration <= 0:
        raise InvalidVideo(_("The video is empty (it has no length). Please export it again."), f"duration {duration}")
    if duration > MAX_DURATION:
        raise InvalidVideo(
            _("The video says it is longer than 10 hours, which is not a film we can take. Please export it again."),
            f"duration {duration}",
        )
    size = _int(fmt.get("size"))
    stream_bits = sum(_int(s.get("bit_rate")) or 0 for s in (*videos, *audios))
    if size and stream_bits:
        expected = stream_bits / 8 * duration
        if size < 0.9 * expected:
            raise _cut_off(f"{size} bytes present, streams need about {expected:.0f}")
    return ProbeResult(
        duration=duration,
        width=width,
        height=height,
        video_codec=video.get("codec_name", ""),
        audio_codec=audios[0].get("codec_name", "") if audios else "",
        has_audio=bool(audios),
        container=container,
        bit_rate=_int(fmt.get("bit_rate")),
        size=size,
    )


# A frame rate outside this range is a broken header, not a video: analysis then assumes the default.
FRAME_RATE_RANGE = (1.0, 240.0)
DEFAULT_FRAME_RATE = 25.0


def frame_rate(source: str | Path) -> float:
    """The first video stream's average frame rate (`DEFAULT_FRAME_RATE` when ffprobe is missing or
    the stream does not say)."""
    ffprobe = find_ffprobe()
    if not ffprobe:
        return DEFAULT_FRAME_RATE
    try:
        streams = _ffprobe_json(ffprobe, str(source)).get("streams", [])
    except InvalidVideo:
        return DEFAULT_FRAME_RATE
    for stream in streams:
        if stream.get("codec_type") != "video":
            continue
        for field_name in ("avg_frame_rate", "r_frame_rate"):
            numerator, _slash, denominator = str(stream.get(field_name, "")).partition("/")
            rate = _float(numerator) or 0.0
            rate /= _float(denominator) or 1.0
            if FRAME_RATE_RANGE[0] <= rate <= FRAME_RATE_RANGE[1]:
                return rate
        break
    return DEFAULT_FRAME_RATE
