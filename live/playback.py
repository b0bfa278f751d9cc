"""Playing a premiere: its live HLS, signed per viewer, how many are watching, and the player's configuration.

nginx writes each broadcast's HLS to LIVE_DIR/hls/premiere-<id>/ (`index.m3u8` and 2-second `.ts`
fragments). Viewers never reach that folder directly: `/live/<id>/hls/<path>` serves it, signed
like a paid film's stream (`videos.signing`, with a salt of its own so a live link cannot open a
video and back), checking on every playlist and segment that the viewer may still watch.

A link is bound to its viewer: "u<id>" for a member, "anon-<random>" for a visitor (one random id
per page view, inside the signature, so it cannot be forged), which also tells viewers apart for
the count: each viewer's playlist fetches are counted once per 10-second window, in the default
cache, and "watching now" is the larger of the current window's count and the last whole one's.
"""

from __future__ import annotations

import posixpath
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from live.access import may_watch_premiere
from live.ingest import stream_name
from live.models import Premiere, PremiereStatus
from live.nginx_rtmp import folders
from live.schedule import shown
from videos import signing
from watching.views import player_strings as watching_player_strings

SALT = "reelvision.live.stream"
PLAYLIST = "index.m3u8"
SAFE_PATH = re.compile(r"^[A-Za-z0-9_.\-]+\.(m3u8|ts)$")
ANONYMOUS_PREFIX = "anon-"
COUNT_WINDOW = 10  # seconds
# Fragment links: a live fragment is fetched within seconds of being listed (the playlist spans 20 s).
SEGMENT_URL_TTL = 120
CONTENT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}


def new_viewer(user) -> str:
    """The id a viewer's links are bound to (a fresh one for each visitor's page view)."""
    return f"u{user.pk}" if user.is_authenticated else ANONYMOUS_PREFIX + secrets.token_urlsafe(9)


def viewer_matches(claimed: str, user) -> bool:
    """A link's viewer is the requester: the same member, or any visitor id for a visitor."""
    if user.is_authenticated:
        return claimed == f"u{user.pk}"
    return claimed.startswith(ANONYMOUS_PREFIX) and len(claimed) > len(ANONYMOUS_PREFIX)


def signed_url(premiere_id: int, path: str, viewer: str, ttl: int, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + ttl)
    sig = signing.signature(premiere_id, path, viewer, expires, salt=SALT)
    return reverse("live:hls", args=[premiere_id, path]) + "?" + urlencode({"e": expires, "v": viewer, "s": sig})


def check(premiere_id: int, path: str, params, user, now: float | None = None) -> str | None:
    """The viewer id of a valid, unexpired link for this requester, or None."""
    claimed = params.get("v", "")
    if not viewer_matches(claimed, user):
        return None
    if not signing.check(premiere_id, path, params, claimed, now=now, salt=SALT):
        return None
    return claimed


def file_path(premiere: Premiere, path: str) -> Path | None:
    """The file behind ``path`` in the premiere's HLS folder, or None for any other name."""
    if not SAFE_PATH.match(path) or posixpath.basename(path) != path:
        return None
    return folders().hls / stream_name(premiere) / path


def rewrite(playlist: str, sign) -> str:
    """nginx's live playlist with every fragment replaced by its signed link."""
    lines = []
    for line in playlist.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append(sign(stripped) if SAFE_PATH.match(stripped) else "")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


# --- watching now -----------------------------------------------------------------------------


def _window(now: float) -> int:
    return int(now // COUNT_WINDOW)


def count_viewer(premiere_id: int, viewer: str, now: float | None = None) -> None:
    """Count ``viewer`` once in the current window (a playlist fetch; players refresh every 2 s)."""
    window = _window(now if now is not None else time.time())
    lifetime = COUNT_WINDOW * 3
    if cache.add(f"live:seen:{premiere_id}:{window}:{viewer}", 1, lifetime):
        counter = f"live:viewers:{premiere_id}:{window}"
        cache.add(counter, 0, lifetime)
        try:
            cache.incr(counter)
        except ValueError:  # expired between the two calls: this viewer starts it again
            cache.add(counter, 1, lifetime)


def viewer_count(premiere_id: int, now: float | None = None) -> int:
    """Distinct viewers who fetched the playlist in the last 10 to 20 seconds."""
    window = _window(now if now is not None else time.time())
    counts = cache.get_many([f"live:viewers:{premiere_id}:{window}", f"live:viewers:{premiere_id}:{window - 1}"])
    return max(counts.values(), default=0)


# --- the player -------------------------------------------------------------------------------


def player_strings() -> dict:
    """The site player's strings (its buttons' labels among them), with a premiere's own notices."""
    return {
        **watching_player_strings(),
        "watching": _("%(count)s watching"),
        "error": _("The stream could not be loaded. Reload the page to try again."),
        "ended": _("The premiere has ended."),
    }


def live_config(request, premiere: Premiere) -> dict | None:
    """What the site's player needs to play the live stream, or None when the premiere is not live.

    Access is the caller's to check (`live.access.may_watch_premiere`); the links are checked again
    at every fetch. The playlist link lives as long as a broadcast may last: the player reloads it
    every few seconds for the whole premiere.
    """
    if premiere.status != PremiereStatus.LIVE:
        return None
    viewer = new_viewer(request.user)
    ttl = settings.LIVE_MAX_HOURS * 3600 + settings.LIVE_EARLY_MINUTES * 60
    return {
        "live": True,
        "premiere_id": premiere.pk,
        "master_url": request.build_absolute_uri(signed_url(premiere.pk, PLAYLIST, viewer, ttl)),
        "status_url": request.build_absolute_uri(reverse("live:status", args=[premiere.pk])),
        "captions": [],
        "duration": 0,
        "resume_at": 0,
        "is_trailer": False,
    }


def live_playback_for_page(request, page) -> dict | None:
    """The `live_playback_for_page` hook (the playback API asks it): the page's premiere streaming now,
    with the requester's signed playlist when they may watch it, or None when none is live."""
    premiere = shown().filter(page_id=page.pk, status=PremiereStatus.LIVE).first()
    if premiere is None:
        return None
    allowed = may_watch_premiere(request.user, premiere)
    config = live_config(request, premiere) if allowed else None
    return {
        "premiere_id": premiere.pk,
        "title": premiere.title,
        "can_watch": allowed,
        "ticket_price": premiere.ticket_price,
        "master_url": config["master_url"] if config else None,
        "status_url": request.build_absolute_uri(reverse("live:status", args=[premiere.pk])),
    }
