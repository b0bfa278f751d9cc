"""Signed, expiring stream URLs bound to one viewer and one video.

A URL ``/stream/<video_id>/<path>?e=<expiry>&v=<viewer>&s=<signature>`` is valid until ``e`` (Unix
seconds) for the viewer ``v`` ("u<id>" for a member, "anon" for anyone not logged in); the
signature is an HMAC-SHA256 (key derived from SECRET_KEY) over all four parts, so changing the
video, the path, the viewer or the expiry breaks it.

One kind of file is signed for every viewer (``v=*``): the hover preview clips below
``preview/``, which film cards carry, and cards are rendered once and shared by every viewer. The
stream view still asks whether the viewer may watch the video each clip comes from.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "reelvision.video.stream"
ANYONE = "*"
ANYONE_PATHS = "preview/"  # the only paths a URL for ANYONE may name (videos.preview_clip.PREVIEW_DIR)


def viewer_of(user) -> str:
    return f"u{user.pk}" if user.is_authenticated else "anon"


def signature(video_id: int, path: str, viewer: str, expires: int, *, salt: str = SALT) -> str:
    """The HMAC of one link. Another kind of stream (the live app's) passes a ``salt`` of its own, so
    its links and a video's can never stand in for each other."""
    return salted_hmac(salt, f"{video_id}\n{path}\n{viewer}\n{expires}", algorithm="sha256").hexdigest()


def signed_url(video_id: int, path: str, viewer: str, ttl: int, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + ttl)
    query = urlencode({"e": expires, "v": viewer, "s": signature(video_id, path, viewer, expires)})
    return reverse("videos:video_stream", args=[video_id, path]) + "?" + query


def check(video_id: int, path: str, params, viewer: str, now: float | None = None, *, salt: str = SALT) -> bool:
    """True when ``params`` (the query) carry a valid, unexpired signature for this viewer."""
    try:
        expires = int(params.get("e", ""))
    except ValueError:
        return False
    claimed_viewer, sig = params.get("v", ""), params.get("s", "")
    if claimed_viewer == ANYONE and not path.startswith(ANYONE_PATHS):
        return False
    if claimed_viewer not in (viewer, ANYONE) or expires < (now if now is not None else time.time()):
        return False
    return constant_time_compare(sig, signature(video_id, path, claimed_viewer, expires, salt=salt))
