"""Playback sessions: the player's reports of what a play watched, merged into one row per play.

The watch page's player configuration carries a session token (`session_token`, added by this
app's `playback_config` hook): an HMAC over the video, the film, trailer or not, the viewer
("u<id>" or "anon") and the video's length, valid for `TOKEN_HOURS`. The page checked that the
viewer may watch before it made the token, so a report needs no access query: `record` checks the
token, reads the ranges (`ranges.clean`) and merges them into the session row under a row lock
(two queries: the locked read of the five columns the merge needs, and an INSERT of a new play or
an UPDATE of four columns by primary key). Reports from bots are ignored; a report whose session
belongs to another video or viewer is refused.

A report costs what the request costs: no model is loaded for a later report, and the user only
when the request carries a session (a member: their session and user row, which Django's
authentication reads to check that the session still stands; an anonymous player sends no
session cookie, so nothing is read). On PostgreSQL a report's commit does not wait for its WAL
flush (`_commit_without_waiting`).

Reports come every ~10 seconds and on page hide (`navigator.sendBeacon`, which sends no custom
header: the endpoint takes the token instead of a CSRF token, and does nothing a forged request
could use, since a token is bound to its viewer).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from videos import signing
from watching.progress import ProgressRefused, anonymous_viewer_key

from . import ranges
from .models import Device, PlaybackSession, Source

SALT = "reelvision.analytics.session"
TOKEN_HOURS = 12
SESSION_KEY = re.compile(r"[A-Za-z0-9\-]{8,64}")
BOT = re.compile(r"bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|curl|wget|python-requests", re.I)
TV = re.compile(r"smart-?tv|tizen|web0?os|appletv|crkey|bravia|hbbtv|aft[a-z]|roku|googletv", re.I)
PHONE = re.compile(r"mobi|iphone|ipod|android.+mobile|windows phone", re.I)


class SessionRefused(ProgressRefused):
    """A report that is not recorded; `status` says why (400, 403, 409)."""


@dataclass(frozen=True)
class Token:
    video_id: int
    film_id: int
    trailer: bool
    viewer: str
    duration: float
    expires: int

    def _message(self) -> str:
        return (
            f"{self.video_id}\n{self.film_id}\n{int(self.trailer)}\n{self.viewer}\n{self.duration:.3f}\n{self.expires}"
        )

    def signature(self) -> str:
        return salted_hmac(SALT, self._message(), algorithm="sha256").hexdigest()


def session_token(video, film, *, trailer: bool, user, now: float | None = None) -> str:
    """The token a player sends with its reports: `<video>.<film>.<trailer>.<duration ms>.<expires>.<sig>`."""
    token = Token(
        video.pk,
        film.pk,
        trailer,
        signing.viewer_of(user),
        round(float(video.duration or 0) * 1000) / 1000,
        int((now if now is not None else time.time()) + TOKEN_HOURS * 3600),
    )
    milliseconds = round(token.duration * 1000)
    return f"{token.video_id}.{token.film_id}.{int(trailer)}.{milliseconds}.{token.expires}.{token.signature()}"


def read_token(value, user, now: float | None = None) -> Token:
    """The token's contents, when it is genuine, unexpired and the requesting viewer's."""
    try:
        video_id, film_id, trailer, duration, expires, sig = str(value).split(".", 5)
        token = Token(
            int(video_id), int(film_id), trailer == "1", signing.viewer_of(user), int(duration) / 1000, int(expires)
        )
    except ValueError:
        raise SessionRefused(_("This report carries no valid session token.")) from None
    if not constant_time_compare(sig, token.signature()):
        raise SessionRefused(_("This report's session token is not yours. Reload the page."), status=403)
    if token.expires < (now if now is not None else time.time()):
        raise SessionRefused(_("This report's session token has expired. Reload the page."), status=403)
    return token


def device_of(user_agent: str) -> str:
    if TV.search(user_agent):
        return Device.TV
    if PHONE.search(user_agent):
        return Device.PHONE
    return Device.DESKTOP


def is_bot(request) -> bool:
    return bool(BOT.search(request.headers.get("User-Agent", ""))) or request.headers.get("Sec-Purpose", "").startswith(
        "prefetch"
    )


def _commit_without_waiting() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the disk.

    A report is a few seconds of one play, sent again in ten seconds with the next ones (ranges
    merge, so a repeat does no harm): losing the last fraction of a second of reports in a
    database crash costs nothing anyone would notice, while waiting for the flush is most of a
    report's wall time, during which a sync worker serves no one. Only the durability of this
    transaction changes (`SET LOCAL` ends with it): the row lock, the order of commits and what
    other transactions see are as before, and the database stays consistent after a crash.
    https://www.postgresql.org/docs/current/wal-async-commit.html
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _locked(key: str) -> tuple | None:
    """(pk, video id, viewer, duration, ranges) of session `key`, its row locked until the end of
    the transaction (SQLite: the whole database, from BEGIN IMMEDIATE); None when there is none.
    Values, not a model: the merge needs five columns, and `key` is unique, so no ORDER BY/LIMIT."""
    rows = (
        PlaybackSession.objects.select_for_update()
        .filter(key=key)
        .values_list("pk", "video_id", "viewer", "duration", "ranges")
    )
    for row in rows:
        return row
    return None


def record(request, data: dict) -> bool:
    """Merge one report into its session; False when it was ignored (a bot). Raises SessionRefused."""
    if is_bot(request):
        return False
    key = str(data.get("session", ""))
    if not SESSION_KEY.fullmatch(key):
        raise SessionRefused(_("session must be the player's random id for this play."))
    token = read_token(data.get("token"), request.user)
    watched = ranges.clean(data.get("ranges"), token.duration)
    source = data.get("source") if data.get("source") in Source.values else Source.OTHER
    if request.user.is_authenticated:
        user, viewer = request.user, token.viewer
    else:
        user, viewer = None, anonymous_viewer_key(str(data.get("viewer", "")))
    for _attempt in range(2):
        try:
            with transaction.atomic():
                _commit_without_waiting()
                found = _locked(key)
                if found is None:
                    merged = ranges.merge(watched)
                    PlaybackSession.objects.create(
                        key=key,
                        film_id=token.film_id,
                        video_id=token.video_id,
                        is_trailer=token.trailer,
                        user=user,
                        viewer=viewer,
                        source=source,
                        device=device_of(request.headers.get("User-Agent", "")),
                        duration=token.duration,
                        ranges=[list(pair) for pair in merged],
                        watched_seconds=ranges.watched_seconds(merged),
                        completed=ranges.completed(merged, token.duration),
                        day=timezone.localdate(),
                    )
                    return True
                pk, video_id, session_viewer, duration, stored = found
                if video_id != token.video_id or session_viewer != viewer:
                    raise SessionRefused(_("This session belongs to another play."), status=409)
                merged = ranges.merge([*stored, *watched])
                PlaybackSession.objects.filter(pk=pk).update(
                    ranges=[list(pair) for pair in merged],
                    watched_seconds=ranges.watched_seconds(merged),
                    completed=ranges.completed(merged, duration),
                    updated_at=timezone.now(),
                )
                return True
        except IntegrityError:
            continue  # the first report of this session was created beside us: merge into it
    raise SessionRefused(_("The report could not be saved. It will be sent again."), status=409)
