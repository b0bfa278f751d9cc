"""Rewrite HLS playlists and the storyboard index so that every URI in them is signed.

URIs in our playlists are relative to the playlist (ffmpeg writes ``360p/index.m3u8`` in the
master and ``seg_00000.ts`` in a variant). Each is resolved to a path below the video's output
folder and replaced by ``sign(path)``: a signed ``/stream/`` URL, or with S3 a presigned GET.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

URI_ATTRIBUTE = re.compile(r'URI="([^"]+)"')


def resolve(base_path: str, uri: str) -> str | None:
    """``uri`` relative to the file at ``base_path`` (both below the video folder); None if it escapes."""
    if "://" in uri or uri.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_path), uri))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return joined


def rewrite_playlist(text: str, playlist_path: str, sign: Callable[[str], str]) -> str:
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            target = resolve(playlist_path, stripped)
            out.append(sign(target) if target else "")
        elif stripped.startswith("#") and 'URI="' in stripped:

            def replace(match):
                target = resolve(playlist_path, match.group(1))
                return f'URI="{sign(target)}"' if target else 'URI=""'

            out.append(URI_ATTRIBUTE.sub(replace, line))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def rewrite_vtt_images(text: str, vtt_path: str, sign: Callable[[str], str]) -> str:
    """Storyboard cues point at ``storyboard.jpg#xywh=…``: sign the image, keep the fragment."""
    out = []
    for line in text.splitlines():
        if "#xywh=" in line and "-->" not in line:
            uri, _, fragment = line.strip().partition("#")
            target = resolve(vtt_path, uri)
            out.append(f"{sign(target)}#{fragment}" if target else line)
        else:
            out.append(line)
    return "\n".join(out) + "\n"
