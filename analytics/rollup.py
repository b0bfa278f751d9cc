"""Each day's playback sessions, page views, purchases and donations, rolled up per film.

`roll_up(day)` rewrites that day's `FilmDay` rows from the raw data (so running it again, or late,
gives the same rows); `roll_up_recent()` does today and yesterday (a play that crossed midnight
belongs to the day it started) and then deletes sessions older than
`ANALYTICS_KEEP_SESSIONS_DAYS`.

The day's sessions are read as a stream, ordered by film, and each is folded into its film's
`FilmDayTally` as it is read; when a film's sessions end, its figures are made and the tally
dropped. So the memory a rollup needs is one film's tally (its running totals and the set of its
distinct viewers) plus the finished figures of each film (a few KB each), however many plays the
day had. The finished figures are saved together at the end, in one short transaction as before:
readers never see a day half rewritten, and nothing is written while the read is open (on SQLite,
a connection that writes while its read is open fails once a session report has committed since
the read began).

The rules of one film's day (`FilmDayTally`, plain Python, testable without a database):

- a **play** is a session of the film's main video with at least `MIN_PLAY_SECONDS` watched; a
  session of its trailer with as much is a **trailer play**; shorter sessions count for nothing;
- **viewers**: distinct members ("u<id>") or anonymous viewer hashes among the plays;
- **watch seconds**: the plays' seconds watched, summed, rounded to the millisecond;
- **average share**: the share of the film each play watched (at most 1; plays of a video without
  a length add 0), summed and divided by the number of plays, rounded to 4 decimals;
- **completions**: plays that reached the last two seconds (`ranges.completed`, stored per session);
- **retention**: for each of the 100 points across the film (`ranges.retention_points`), the
  share of plays that watched it, rounded to 4 decimals; `[]` without plays;
- **sources**, **devices**: plays counted by where they came from and by kind of device, in the
  order each first appears.

Sums are made as the built-in `sum()` makes them (`RunningSum`), so folding gives exactly the
figures of summing each film's list of plays at once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import add, itemgetter

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from donations.models import Order, OrderKind, OrderStatus

from . import ranges
from .models import FilmDay, PageViewCount, PlaybackSession

MIN_PLAY_SECONDS = 1.0
KEPT = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
# A session as the rollup reads it: its film, then the arguments of `FilmDayTally.add`, in order.
SESSION_COLUMNS = (
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
READ_CHUNK = 2000  # sessions fetched from the database at a time


class RunningSum:
    """A sum of floats added one at a time, equal to the built-in `sum()` of them all.

    `sum()` of floats (Python 3.12+) is compensated (Neumaier): it carries the rounding error of
    each addition apart and adds it at the end. A plain `total += x` drifts from it (by about a
    millionth of a second over a big film's day, enough to change a rounded figure now and then).
    Like `sum()`, the total of nothing is the integer 0.
    """

    def __init__(self) -> None:
        self._total = 0.0
        self._error = 0.0
        self._count = 0

    def add(self, value: float) -> None:
        value = float(value)
        total = self._total + value
        if abs(self._total) >= abs(value):
            self._error += (self._total - total) + value
        else:
            self._error += (value - total) + self._total
        self._total = total
        self._count += 1

    def total(self) -> float | int:
        if not self._count:
            return 0
        if self._error and math.isfinite(self._error):
            return self._total + self._error
        return self._total


class FilmDayTally:
    """One film's day, folded one session at a time (`add`), its figures made at the end
    (`figures`); the rules are in the module's docstring."""

    def __init__(self) -> None:
        self.plays = 0
        self.viewers: set[str] = set()
        self.watch_seconds = RunningSum()
        self.shares = RunningSum()
        self.completions = 0
        self.curve = [0] * ranges.RETENTION_POINTS  # plays that watched each point
        self.sources: Counter[str] = Counter()
        self.devices: Counter[str] = Counter()
        self.trailer_plays = 0

    def add(
        self,
        ranges_: list,
        duration: float,
        watched_seconds: float,
        completed: bool,
        viewer: str,
        source: str,
        device: str,
        is_trailer: bool,
    ) -> None:
        """Fold in one session (the values of `SESSION_COLUMNS` after the film)."""
        if not watched_seconds >= MIN_PLAY_SECONDS:  # (not `<`: a NaN is no play either)
            return
        if is_trailer:
            self.trailer_plays += 1
            return
        self.plays += 1
        self.viewers.add(viewer)
        self.watch_seconds.add(watched_seconds)
        if duration:
            self.shares.add(min(1.0, watched_seconds / duration))
        self.completions += bool(completed)
        self.curve = list(map(add, self.curve, ranges.retention_points(ranges_, duration)))
        self.sources[source] += 1
        self.devices[device] += 1

    def figures(self) -> dict:
        """The FilmDay figures of the sessions added so far."""
        count = self.plays
        return {
            "plays": count,
            "viewers": len(self.viewers),
            "watch_seconds": round(self.watch_seconds.total(), 3),
            "average_share": round(self.shares.total() / count, 4) if count else 0.0,
            "completions": self.completions,
            "retention": [round(value / count, 4) for value in self.curve] if count else [],
            "sources": dict(self.sources),
            "devices": dict(self.devices),
            "trailer_plays": self.trailer_plays,
        }


def film_day_figures(sessions: Iterable[dict]) -> dict:
    """The figures of one film's day from its sessions (dicts with `ranges`, `duration`,
    `watched_seconds`, `completed`, `viewer`, `source`, `device`, `is_trailer`)."""
    tally = FilmDayTally()
    for session in sessions:
        tally.add(*(session[column] for column in SESSION_COLUMNS[1:]))
    return tally.figures()


def film_days(rows: Iterable[tuple]) -> Iterator[tuple[int, dict]]:
    """(film id, figures) for each film of `rows` (tuples of `SESSION_COLUMNS`, ordered by film),
    each as soon as the film's rows end; one film's tally is held at a time."""
    previous = None
    for film, sessions in groupby(rows, key=itemgetter(0)):
        if previous is not None and film <= previous:
            raise ValueError("Sessions must come ordered by film.")
        previous = film
        tally = FilmDayTally()
        for _film, *session in sessions:
            tally.add(*session)
        yield film, tally.figures()


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def roll_up(day: date) -> int:
    """Rewrite `day`'s FilmDay rows; returns how many films had anything that day."""
    # Ordered by film (the (day, film) index), then by id, so that a film's plays are summed in the
    # same order every time; read in chunks, never all at once.
    sessions = (
        PlaybackSession.objects.filter(day=day)
        .order_by("film_id", "pk")
        .values_list(*SESSION_COLUMNS)
        .iterator(chunk_size=READ_CHUNK)
    )
    figures = dict(film_days(sessions))

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
