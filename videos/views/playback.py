"""Serving a video to its viewer: signed playlists, segments with HTTP Range, and watch progress."""

from __future__ import annotations

import mimetypes
import posixpath
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from videos import signing, storage
from videos.access import can_stream
from videos.models import Video, VideoStatus
from videos.playlists import rewrite_playlist, rewrite_vtt_images

CHUNK = 256 * 1024
SAFE_PATH = re.compile(r"^[A-Za-z0-9_.\-/]+$")
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".jpg": "image/jpeg",
    ".vtt": "text/vtt; charset=utf-8",
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Folders each video has of its own, even a duplicate whose other outputs are its twin's.
OWN_FOLDERS = ("captions/", "preview/", "analysis/")


def key_for(video: Video, path: str) -> str | None:
    """The storage key of ``path`` below the video's folder, or None for anything outside it."""
    if not SAFE_PATH.match(path) or posixpath.normpath(path) != path or path.startswith(("/", "..")):
        return None
    if path.startswith(OWN_FOLDERS):
        return video.outputs_prefix + path
    return (video.storage_prefix or video.outputs_prefix) + path


def signer(video: Video, viewer: str, ttl: int):
    """A function turning a path below the video folder into a URL the viewer's player may fetch.

    Always a /stream/ URL, segments too: each fetch goes through `stream`, which asks again
    whether the viewer may watch (with S3 it then redirects to a presigned GET that lives for
    seconds), so no link outlives a refund or a revoked entitlement.
    """

    def sign(path: str) -> str:
        return signing.signed_url(video.pk, path, viewer, ttl)

    return sign


def stream(request, video_id: int, path: str):
    viewer = signing.viewer_of(request.user)
    if not signing.check(video_id, path, request.GET, viewer):
        return HttpResponseForbidden(_("This link has expired or is not yours. Reload the page to get a new one."))
    video = Video.objects.filter(pk=video_id, status=VideoStatus.READY).first()
    key = key_for(video, path) if video else None
    if key is None:
        raise Http404
    if not can_stream(request.user, video):
        return HttpResponseForbidden(_("You can no longer watch this film."))
    rewritten = path.endswith(".m3u8") or (path.startswith("storyboard/") and path.endswith(".vtt"))
    # With S3, a file handed out as bytes is not looked up first: a HEAD per segment would double the
    # bucket's requests at the busiest moment. The signed path came from a playlist that lists the
    # file, and a missing object gets its 404 from the bucket.
    if (rewritten or not storage.is_s3()) and not storage.exists(key):
        raise Http404
    ttl = settings.VIDEO_SEGMENT_URL_TTL
    if path.endswith(".m3u8"):
        body = rewrite_playlist(storage.read_text(key), path, signer(video, viewer, ttl))
        return _private(HttpResponse(body, content_type=CONTENT_TYPES[".m3u8"]), cache=False)
    if rewritten:
        body = rewrite_vtt_images(storage.read_text(key), path, signer(video, viewer, ttl))
        return _private(HttpResponse(body, content_type=CONTENT_TYPES[".vtt"]), cache=False)
    if storage.is_s3():
        # The bytes come from the bucket, through a presigned GET the player follows at once.
        from django.shortcuts import redirect

        return redirect(storage.storage().url(key, expire=settings.VIDEO_PRESIGNED_URL_TTL))
    return ranged_file(request, storage.local_path(key))


def _private(response, cache: bool):
    response["Cache-Control"] = "private, max-age=3600" if cache else "private, no-store"
    return response


def ranged_file(request, path):
    """The file, whole (200) or one byte range of it (206); HEAD too. Multi-range requests get it whole."""
    size = path.stat().st_size
    content_type = (
        CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    header = request.headers.get("Range", "").strip()
    match = RANGE.match(header) if header else None
    if match and any(match.groups()):
        first, last = match.groups()
        if first == "":  # suffix: the last N bytes
            length = int(last)
            start, end = max(0, size - length), size - 1
            satisfiable = length > 0 and size > 0
        else:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
            satisfiable = start < size and (not last or int(last) >= start)
        if not satisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return _private(response, cache=True)
        length = end - start + 1
        if request.method == "HEAD":
            response = HttpResponse(status=206, content_type=content_type)
        else:
            response = StreamingHttpResponse(_read_range(path, start, length), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    else:
        if request.method == "HEAD":
            response = HttpResponse(content_type=content_type)
            response["Content-Length"] = str(size)
        else:
            response = FileResponse(path.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    return _private(response, cache=True)


def _read_range(path, start: int, length: int):
    with path.open("rb") as fh:
        fh.seek(start)
        while length > 0:
            chunk = fh.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk


stream = require_http_methods(["GET", "HEAD"])(stream)
