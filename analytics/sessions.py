"""Playback sessions: the player's reports of what a play watched, merged into one row per play.

The watch page's player configuration carries a session token (`session_token`, added by this
app's `playback_config` hook): an HMAC over the video, the film, trailer or not, the viewer
("u<id>" or "anon") and the video's length, valid for `TOKEN_HOURS`. The page checked that the
viewer may watch before it made the token, so a report needs no access query: `record` checks the
token, reads the ranges (`ranges.clean`) and merges them into the session row under a row lock
(two queries: the locked read and the write). Reports from bots are ignored; a report whose
session belongs to another video or viewer is refused.

Kept cheap, since every player sends one every ~10 s: a later report loads no model (the locked
read takes the five columns the merge needs as values, the write is `update()` of four columns by
primary key; only a play's first report creates one), and on PostgreSQL its commit does not wait
for the WAL flush (`_commit_without_waiting`). `request.user` is lazy and
read only once the report has a well-formed session id: for an anonymous player (no session
cookie) that costs no query; for a member it is their session and user rows, which Django's
authentication needs to tell that the session still stands (not logged out, password unchanged,
account active) before the token can be checked against "u<id>".

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
    """On PostgreSQL, let the current transaction's commit return before its WAL reaches the disk.

    A report is a few seconds of one play, and the player sends the next ones ten seconds later:
    losing the last fraction of a second of reports if the database server crashes costs nothing
    anyone would notice, while waiting for the flush is most of a report's wall time, during which
    a sync worker serves no one. Only this transaction's durability changes (`SET LOCAL` ends with
    it): row locks, the order of commits and what other transactions see are as before, and the
    database is consistent after a crash. (SQLite has no such setting.)
    https://www.postgresql.org/docs/current/wal-async-commit.html
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# What the merge needs of a session, its row locked (SQLite: the database, from BEGIN IMMEDIATE).
# Built once: `_locked` only adds the key, so each report compiles one query and loads no model.
_SESSIONS_TO_MERGE = PlaybackSession.objects.select_for_update().values_list(
    "pk", "video_id", "viewer", "duration", "ranges"
)


def _locked(key: str) -> tuple[int, int, str, float, list] | None:
    """(pk, video id, viewer, duration, ranges) of session `key`, locked until the transaction
    ends; None when there is none. `key` is unique: no ORDER BY or LIMIT needed."""
    for row in _SESSIONS_TO_MERGE.filter(key=key):
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
    # SET LOCAL would reach a caller's transaction too: only for a transaction of our own.
    own_transaction = not connection.in_atomic_block
    for _attempt in range(2):
        try:
            with transaction.atomic():
                if own_transaction:
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
