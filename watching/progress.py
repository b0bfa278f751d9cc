"""Progress reports from a player: where a member is (for "resume"), and one view per viewer per day.

The watch page's player posts to `/watch/progress/` (session, CSRF), apps to
`POST /api/v2/progress/` (JWT or session); both hand the report to `record_progress`, so the rules
are the same: the video must be ready and belong to the film (as its main video or its trailer),
the main video only for viewers who may watch the film (`access.can_watch`), positions no further
than the end, at most 30 seconds of playing counted per report. Trailers count views but save no
resume position.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from hashlib import sha256

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from films.models import FilmBasePage
from videos import signing
from videos.models import Video, VideoStatus
from watching.access import can_watch
from watching.models import DailyView, WatchProgress
from watching.signals import film_watched

MAX_PLAYED_PER_REPORT = 30.0
# A film counts as watched by a member after this many seconds of it (or once they reach its end).
WATCHED_SECONDS = 60
# How far past the video's end a position may be (players round, and durations differ a little).
END_TOLERANCE_SECONDS = 5
ANONYMOUS_VIEWER = re.compile(r"[A-Za-z0-9\-]{8,64}")


class ProgressRefused(Exception):
    """A report that is not saved; `status` is the HTTP status that says why (400, 403, 404)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ProgressReport:
    video_id: int
    film_id: int
    position: float  # seconds from the start
    duration: float  # what the player thinks the length is; the video's own duration wins
    played: float  # seconds actually played since the last report

    @classmethod
    def from_data(cls, data: Mapping) -> ProgressReport:
        """Read a report from decoded JSON; refuses anything that is not an id or a non-negative number."""
        position, duration, played = (_number(data.get(key, 0)) for key in ("position", "duration", "played"))
        if None in (position, duration, played):
            raise ProgressRefused(_("position, duration and played must be non-negative numbers."))
        video_id, film_id = _id(data.get("video_id")), _id(data.get("film_id"))
        if video_id is None or film_id is None:
            raise ProgressRefused(_("video_id and film_id must be the ids the player was given."))
        return cls(video_id=video_id, film_id=film_id, position=position, duration=duration, played=played)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value) or None
    return None


def anonymous_viewer_key(player_id: str) -> str:
    """The key an anonymous viewer's views count under: a hash of the random id their player keeps."""
    player_id = str(player_id or "")[:64]
    if not ANONYMOUS_VIEWER.fullmatch(player_id):
        raise ProgressRefused(_("viewer must be the player's random id."))
    return "a" + sha256(player_id.encode()).hexdigest()[:40]


def record_progress(user, report: ProgressReport, *, anonymous_viewer: str = "") -> bool:
    """Save `report` for `user` (a member, or AnonymousUser with the player's random id).

    Returns True when this report started today's view of the video by this viewer. Raises
    ProgressRefused when nothing may be saved; nothing is written then.
    """
    video = Video.objects.filter(pk=report.video_id, status=VideoStatus.READY).first()
    if video is None:
        raise ProgressRefused(_("No such video."), status=404)
    film = FilmBasePage.objects.live().filter(pk=report.film_id).select_related("main_video").first()
    if film is None:
        raise ProgressRefused(_("No such film."), status=404)
    is_trailer = film.trailer_id == video.pk
    if not is_trailer and film.main_video_id != video.pk:
        raise ProgressRefused(_("That video does not belong to that film."))
    if not is_trailer and not can_watch(user, film):
        raise ProgressRefused(_("You cannot watch this film."), status=403)
    if report.position > (video.duration or report.duration) + END_TOLERANCE_SECONDS:
        raise ProgressRefused(_("position is past the end of the video."))
    played = min(report.played, MAX_PLAYED_PER_REPORT)

    if user.is_authenticated:
        viewer_key = signing.viewer_of(user)
    else:
        viewer_key = anonymous_viewer_key(anonymous_viewer)
    if user.is_authenticated and not is_trailer:
        if _save_progress(user, video, film, report.position, video.duration or report.duration, played):
            # Only when a film just became "watched": nothing that counts watched films changes otherwise.
            film_watched.send_robust(sender=WatchProgress, user=user, film_id=film.pk)
    return _count_view(video, film, user, viewer_key, played, is_trailer)


def _counts_as_watched(completed: bool, watched_seconds: float) -> bool:
    return completed or watched_seconds >= WATCHED_SECONDS


def _save_progress(user, video, film, position, duration, played) -> bool:
    """Save where the member is; True when this report made the film count as watched."""
    completed = duration > 0 and position >= 0.95 * duration
    before = WatchProgress.objects.filter(user=user, video=video).values_list("completed", "watched_seconds").first()
    was_watched = before is not None and _counts_as_watched(*before)
    now_watched = _counts_as_watched(completed, (before[1] if before else 0) + played)
    updated = WatchProgress.objects.filter(user=user, video=video).update(
        position=position,
        duration=duration,
        completed=completed,
        film=film,
        watched_seconds=F("watched_seconds") + played,
        updated_at=timezone.now(),
    )
    if not updated:
        try:
            with transaction.atomic():
                WatchProgress.objects.create(
                    user=user,
                    video=video,
                    film=film,
                    position=position,
                    duration=duration,
                    completed=completed,
                    watched_seconds=played,
                )
        except IntegrityError:  # a concurrent report created it first
            return _save_progress(user, video, film, position, duration, played)
    return now_watched and not was_watched


def _count_view(video, film, user, viewer_key, played, is_trailer) -> bool:
    today: date = timezone.localdate()
    rows = DailyView.objects.filter(video=video, viewer_key=viewer_key, day=today)
    if rows.update(watched_seconds=F("watched_seconds") + played):
        return False
    try:
        with transaction.atomic():
            DailyView.objects.create(
                video=video,
                film=film,
                user=user if user.is_authenticated else None,
                viewer_key=viewer_key,
                day=today,
                watched_seconds=played,
                is_trailer=is_trailer,
            )
    except IntegrityError:
        rows.update(watched_seconds=F("watched_seconds") + played)
        return False
    return True
