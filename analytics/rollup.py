"""Each day's playback sessions, page views, purchases and donations, rolled up per film.

`roll_up(day)` rewrites that day's `FilmDay` rows from the raw data (so running it again, or late,
gives the same rows); `roll_up_recent()` does today and yesterday (a play that crossed midnight
belongs to the day it started) and then deletes sessions older than
`ANALYTICS_KEEP_SESSIONS_DAYS`. The arithmetic of one film's day is `film_day_figures`, a plain
function over sessions' values.

A play is a session of the film's main video with at least one second watched; trailer plays are
counted apart. Viewers are distinct members or anonymous viewer hashes; a completion reached the
last two seconds (`ranges.completed`); the retention curve is, for each of 100 points across the
film, the share of plays that watched it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from donations.models import Order, OrderKind, OrderStatus

from . import ranges
from .models import FilmDay, PageViewCount, PlaybackSession

MIN_PLAY_SECONDS = 1.0
KEPT = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)


def film_day_figures(sessions: list[dict]) -> dict:
    """The figures of one film's day from its sessions (dicts with `ranges`, `duration`,
    `watched_seconds`, `completed`, `viewer`, `source`, `device`, `is_trailer`)."""
    plays = [s for s in sessions if not s["is_trailer"] and s["watched_seconds"] >= MIN_PLAY_SECONDS]
    trailer_plays = sum(1 for s in sessions if s["is_trailer"] and s["watched_seconds"] >= MIN_PLAY_SECONDS)
    curve = [0] * ranges.RETENTION_POINTS
    for play in plays:
        for i, watched in enumerate(ranges.retention_points(play["ranges"], play["duration"])):
            curve[i] += watched
    count = len(plays)
    return {
        "plays": count,
        "viewers": len({play["viewer"] for play in plays}),
        "watch_seconds": round(sum(play["watched_seconds"] for play in plays), 3),
        "average_share": (
            round(sum(min(1.0, p["watched_seconds"] / p["duration"]) for p in plays if p["duration"]) / count, 4)
            if count
            else 0.0
        ),
        "completions": sum(1 for play in plays if play["completed"]),
        "retention": [round(value / count, 4) for value in curve] if count else [],
        "sources": dict(Counter(play["source"] for play in plays)),
        "devices": dict(Counter(play["device"] for play in plays)),
        "trailer_plays": trailer_plays,
    }


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def roll_up(day: date) -> int:
    """Rewrite `day`'s FilmDay rows; returns how many films had anything that day."""
    by_film: dict[int, list[dict]] = defaultdict(list)
    fields = (
        "film_id",
        "ranges",
        "duration",
        "watched_seconds",
        "completed",
        "viewer",
        "source",
        "device",
        "is_trailer",
    )
    for session in PlaybackSession.objects.filter(day=day).values(*fields).iterator(chunk_size=2000):
        by_film[session["film_id"]].append(session)
    figures = {film: film_day_figures(sessions) for film, sessions in by_film.items()}

    for film, views in PageViewCount.objects.filter(day=day).values_list("film_id", "count"):
        figures.setdefault(film, film_day_figures([]))["page_views"] = views
    start, end = _bounds(day)
    paid = Order.objects.filter(status__in=KEPT, paid_at__gte=start, paid_at__lt=end)
    kept = Sum(F("amount") - F("refunded_amount"))
    for film, number, amount in (
        paid.filter(kind=OrderKind.PURCHASE)
        .values("film_id")
        .annotate(n=Count("pk"), a=kept)
        .values_list("film_id", "n", "a")
    ):
        row = figures.setdefault(film, film_day_figures([]))
        row["purchases"], row["purchase_amount"] = number, amount or 0
    for film, number, amount in (
        paid.filter(kind=OrderKind.DONATION)
        .values("project_id")
        .annotate(n=Count("pk"), a=kept)
        .values_list("project_id", "n", "a")
    ):
        row = figures.setdefault(film, film_day_figures([]))
        row["donations"], row["donation_amount"] = number, amount or 0

    with transaction.atomic():
        FilmDay.objects.filter(day=day).delete()
        FilmDay.objects.bulk_create(
            [FilmDay(film_id=film, day=day, **values) for film, values in figures.items() if film is not None],
            batch_size=500,
        )
    return len(figures)


def prune_sessions(today: date | None = None) -> int:
    """Delete sessions older than ANALYTICS_KEEP_SESSIONS_DAYS (their days are rolled up)."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.ANALYTICS_KEEP_SESSIONS_DAYS)
    deleted, _ = PlaybackSession.objects.filter(day__lt=cutoff).delete()
    return deleted


def roll_up_recent() -> dict:
    """Today and yesterday rolled up, old sessions pruned (what the periodic task runs)."""
    today = timezone.localdate()
    films = roll_up(today - timedelta(days=1)) + roll_up(today)
    return {"films": films, "pruned": prune_sessions(today)}
