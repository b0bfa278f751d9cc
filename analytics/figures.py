"""The figures the dashboard, its CSV files and the apps' API show: read from the daily rollups.

Who sees what is decided here once (`visible_films`): staff (superusers and the Staff group) every
film and project, anyone else the pages they own. Every other function takes films from that
queryset, so no view can show another creator's figures by passing an id.

A period is a range of whole days, both ends included (`Period`, at most `MAX_DAYS`). Sums over a
period add the days; "viewers" adds each day's unique viewers (a viewer on two days counts twice),
the average share watched and the retention curve are weighted by plays.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from films.models import FilmBasePage
from videos.access import is_staff_member

from .models import FilmDay
from .ranges import RETENTION_POINTS

DEFAULT_DAYS = 28
MAX_DAYS = 366
SUMMED = (
    "plays",
    "viewers",
    "watch_seconds",
    "completions",
    "trailer_plays",
    "page_views",
    "purchases",
    "purchase_amount",
    "donations",
    "donation_amount",
)


class BadPeriod(ValueError):
    """A period that cannot be shown; the message says why, in the viewer's language."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @classmethod
    def from_params(cls, params, today: date | None = None) -> Period:
        """`from` and `to` (YYYY-MM-DD) from a query; the last DEFAULT_DAYS days up to today by default."""
        today = today or timezone.localdate()
        try:
            end = date.fromisoformat(params.get("to")) if params.get("to") else today
            start = date.fromisoformat(params.get("from")) if params.get("from") else end - timedelta(DEFAULT_DAYS - 1)
        except (TypeError, ValueError):
            raise BadPeriod(_("Give the dates as YYYY-MM-DD.")) from None
        if start > end:
            raise BadPeriod(_("The first day must not be after the last."))
        if (end - start).days + 1 > MAX_DAYS:
            raise BadPeriod(_("Choose at most %(days)s days.") % {"days": MAX_DAYS})
        return cls(start, end)


def sees_everything(user) -> bool:
    return is_staff_member(user)


def visible_films(user) -> QuerySet:
    """The film and project pages whose figures `user` may see."""
    films = FilmBasePage.objects.all()
    if sees_everything(user):
        return films
    if not user.is_authenticated:
        return films.none()
    return films.filter(owner=user)


def _rows(films: QuerySet, period: Period):
    return FilmDay.objects.filter(film__in=films.values("pk"), day__gte=period.start, day__lte=period.end)


def _with_ratios(figures: dict, share_weight: float) -> dict:
    plays = figures["plays"]
    figures["average_share"] = round(share_weight / plays, 4) if plays else 0.0
    figures["conversion"] = round(plays / figures["page_views"], 4) if figures["page_views"] else None
    figures["watch_hours"] = round(figures["watch_seconds"] / 3600, 2)
    return figures


def film_table(films: QuerySet, period: Period) -> list[dict]:
    """One row per film with anything in the period (its title, then the summed figures), most
    played first; films without figures are left out."""
    by_film: dict[int, dict] = {}
    weights: Counter = Counter()
    for row in _rows(films, period).values("film_id", "average_share", *SUMMED):
        figures = by_film.setdefault(row["film_id"], dict.fromkeys(SUMMED, 0))
        for name in SUMMED:
            figures[name] += row[name]
        weights[row["film_id"]] += row["average_share"] * row["plays"]
    pages = {page.pk: page for page in FilmBasePage.objects.filter(pk__in=by_film).specific()}
    table = []
    for film_id, figures in by_film.items():
        page = pages.get(film_id)
        if page is None:
            continue
        table.append({"film_id": film_id, "title": page.display_title, **_with_ratios(figures, weights[film_id])})
    return sorted(table, key=lambda row: (-row["plays"], -row["donation_amount"], row["film_id"]))


def totals(table: list[dict]) -> dict:
    """The table's figures added up (the department's totals when the table is every film)."""
    figures = dict.fromkeys(SUMMED, 0)
    weight = 0.0
    for row in table:
        for name in SUMMED:
            figures[name] += row[name]
        weight += row["average_share"] * row["plays"]
    return _with_ratios(figures, weight)


def daily(film: FilmBasePage, period: Period) -> list[dict]:
    """One row per day of the period, days without figures as zeros."""
    found = {row["day"]: row for row in _rows(FilmBasePage.objects.filter(pk=film.pk), period).values("day", *SUMMED)}
    empty = dict.fromkeys(SUMMED, 0)
    return [{"day": day, **{name: found.get(day, empty)[name] for name in SUMMED}} for day in period.days]


def breakdown(film: FilmBasePage, period: Period) -> dict:
    """The period's retention curve (RETENTION_POINTS shares, weighted by plays), sources and devices."""
    curve = [0.0] * RETENTION_POINTS
    plays = 0
    sources: Counter = Counter()
    devices: Counter = Counter()
    for row in _rows(FilmBasePage.objects.filter(pk=film.pk), period).values(
        "plays", "retention", "sources", "devices"
    ):
        if row["retention"]:
            for i, share in enumerate(row["retention"][:RETENTION_POINTS]):
                curve[i] += share * row["plays"]
        plays += row["plays"]
        sources.update(row["sources"])
        devices.update(row["devices"])
    return {
        "retention": [round(value / plays, 4) for value in curve] if plays else [0.0] * RETENTION_POINTS,
        "sources": dict(sources.most_common()),
        "devices": dict(devices.most_common()),
    }
