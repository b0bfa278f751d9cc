"""Where ffmpeg and ffprobe are: the system's when installed, else the ffmpeg that imageio-ffmpeg ships.

``FFMPEG_BINARY`` / ``FFPROBE_BINARY`` in the environment override the lookup. imageio-ffmpeg has
no ffprobe, so ``find_ffprobe()`` may return None; ``videos.probe`` then reads ffmpeg's own
description of the input instead.
"""

from __future__ import annotations

import functools
import os
import shutil


@functools.cache
def find_ffmpeg() -> str:
    override = os.environ.get("FFMPEG_BINARY")
    if override:
        return override
    system = shutil.which("ffmpeg")
    if system:
        return system
    import imageio_ffmpeg  # optional: only machines without a system ffmpeg need the bundled one

    return imageio_ffmpeg.get_ffmpeg_exe()


@functools.cache
def find_ffprobe() -> str | None:
    return os.environ.get("FFPROBE_BINARY") or shutil.which("ffprobe")


def clear_cache() -> None:
    find_ffmpeg.cache_clear()
    find_ffprobe.cache_clear()
