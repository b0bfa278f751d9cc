"""What members did on the site, read into the plain data the scoring takes (`engine.ViewingLog`).

A fixed number of queries for the whole site, each returning plain tuples (no model instances), so
that reading 10,000 members' activity stays quick and small. The signals:

- **watching** (`WatchProgress` of a film's own video, not its trailer): finished (the player
  reached 95 %) or watched at least half (by position or by seconds played); a film started and
  not finished is "continue watching" and never recommended;
- **views** (`DailyView`): a day on which the member played at least half of the film;
- **purchases** (`Entitlement` from a purchase; grants by staff count as owned, not as taste);
- **donations** (paid `Order`s to a funding project: the project's page is the film);
- **picked genres** (`PickedGenre`).

Never offered: films the member owns, finished, is watching, or made (owns the page of).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Max
from django.utils import timezone

from donations.models import Order, OrderKind, OrderStatus
from films.models import FilmBasePage
from watching.models import DailyView, Entitlement, EntitlementSource, WatchProgress
from watching.playback import RESUME_MIN_SECONDS

from . import engine
from .models import PickedGenre

HALF = 0.5
# Money that stayed: a donation refunded in full says nothing any more.
KEPT_DONATION = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
# What each kind of event adds to a film's popularity in a week.
WEEKLY_WEIGHTS = {"views": 1.0, "completions": 2.0, "purchases": 3.0, "donations": 3.0}


@dataclass
class Week:
    """One film's figures for the seven days up to now."""

    views: int = 0
    completions: int = 0
    purchases: int = 0
    donations: int = 0

    @property
    def score(self) -> float:
        return sum(weight * getattr(self, name) for name, weight in WEEKLY_WEIGHTS.items())


def _moment(value) -> float:
    """A sortable number for a datetime or a date (a day counts from its start)."""
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone()).timestamp()


def _main_video_progress():
    return WatchProgress.objects.filter(film__isnull=False, video_id=F("film__main_video_id")).order_by()


def _half_views():
    """Members' and anonymous viewers' days with at least half of a film played (trailers aside)."""
    return DailyView.objects.filter(
        film__isnull=False, is_trailer=False, video__duration__gt=0, watched_seconds__gte=F("video__duration") * HALF
    ).order_by()


def read_viewing_log() -> engine.ViewingLog:
    """Every member's signals, picked genres and exclusions, and the films (7 queries)."""
    signals: dict[tuple[int, int], list[float]] = defaultdict(list)  # (member, film) → signal weights
    when: dict[tuple[int, int], float] = {}
    excluded: dict[int, set[int]] = defaultdict(set)

    def note(member, film, weight, moment):
        key = (member, film)
        if weight:
            signals[key].append(weight)
        when[key] = max(when.get(key, 0.0), _moment(moment))

    rows = _main_video_progress().values_list(
        "user_id", "film_id", "position", "duration", "watched_seconds", "completed", "updated_at"
    )
    for member, film, position, duration, played, completed, updated_at in rows.iterator(chunk_size=5000):
        if completed:
            note(member, film, engine.COMPLETED, updated_at)
        elif duration and max(position, played) >= HALF * duration:
            note(member, film, engine.WATCHED_HALF, updated_at)
        if completed or position >= RESUME_MIN_SECONDS:
            excluded[member].add(film)
    views = _half_views().filter(user__isnull=False).values_list("user_id", "film_id").annotate(last=Max("day"))
    for member, film, last in views.iterator(chunk_size=5000):
        note(member, film, engine.WATCHED_HALF, last)
    owned = Entitlement.objects.active().order_by().values_list("user_id", "film_id", "source", "created_at")
    for member, film, source, created_at in owned.iterator(chunk_size=5000):
        excluded[member].add(film)
        if source == EntitlementSource.PURCHASE:
            note(member, film, engine.PURCHASED, created_at)
    donations = Order.objects.filter(kind=OrderKind.DONATION, status__in=KEPT_DONATION).order_by()
    for member, project, paid_at, created_at in donations.values_list(
        "member_id", "project_id", "paid_at", "created_at"
    ):
        note(member, project, engine.DONATED, paid_at or created_at)
    for owner, film in FilmBasePage.objects.filter(owner__isnull=False).values_list("owner_id", "pk"):
        excluded[owner].add(film)

    histories: dict[int, dict[int, float]] = defaultdict(dict)
    # Oldest first, so that a member's most recent films are the ones `engine` uses.
    for (member, film), kinds in sorted(signals.items(), key=lambda item: when[item[0]]):
        histories[member][film] = engine.signal_weight(kinds)
    picked: dict[int, set[int]] = defaultdict(set)
    for member, genre in PickedGenre.objects.values_list("user_id", "genre_id"):
        picked[member].add(genre)
    return engine.ViewingLog(
        histories=dict(histories),
        picked={member: frozenset(genres) for member, genres in picked.items()},
        film_genres=film_genres(),
        recommendable=recommendable_films(),
        excluded={member: frozenset(films) for member, films in excluded.items()},
    )


def film_genres() -> dict[int, tuple[int, ...]]:
    genres = defaultdict(list)
    through = FilmBasePage.genres.through.objects.order_by("genre_id")
    for film, genre in through.values_list("filmbasepage_id", "genre_id"):
        genres[film].append(genre)
    return {film: tuple(ids) for film, ids in genres.items()}


def recommendable_films() -> frozenset[int]:
    """Finished films anyone can find and watch now: live, public, their video ready."""
    return frozenset(FilmBasePage.objects.live().public().finished().available().values_list("pk", flat=True))


def read_week(now: datetime | None = None) -> dict[int, Week]:
    """Each film's views, completions, purchases and donations in the seven days up to `now`."""
    now = now or timezone.now()
    since = now - timedelta(days=7)
    first_day = timezone.localdate(now) - timedelta(days=6)
    weeks: dict[int, Week] = defaultdict(Week)
    figures = {
        "views": _half_views().filter(day__gte=first_day).values_list("film_id"),
        "completions": _main_video_progress().filter(completed=True, updated_at__gte=since).values_list("film_id"),
        "purchases": Entitlement.objects.active()
        .filter(source=EntitlementSource.PURCHASE, created_at__gte=since)
        .order_by()
        .values_list("film_id"),
        "donations": Order.objects.filter(kind=OrderKind.DONATION, status__in=KEPT_DONATION, paid_at__gte=since)
        .order_by()
        .values_list("project_id"),
    }
    for name, rows in figures.items():
        for film, count in rows.annotate(count=Count("pk")):
            setattr(weeks[film], name, count)
    return dict(weeks)
