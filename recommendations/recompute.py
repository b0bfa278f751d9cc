"""Rewrite the tables pages read: similar films, each member's recommendations, this week's
popularity. Run by the periodic `recompute` task (`tasks.py`) or `manage.py
recompute_recommendations`; never while a page is served.

Readers never see a half-written table: similar films and the week's popularity are replaced in
one transaction each, and recommendations member by member in short transactions (a chunk of
members at a time, so a long run never holds SQLite's write lock for long). Rows of members who no
longer have any are removed at the end.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from . import activity, engine
from .models import FilmPopularity, Recommendation, SimilarFilm

MEMBERS_PER_TRANSACTION = 500
ROWS_PER_STATEMENT = 1000
WEEKS_KEPT = 52


@dataclass
class RecomputeReport:
    members: int = 0
    recommendations: int = 0
    films_with_neighbours: int = 0
    popular_films: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def recompute_all(now: datetime | None = None) -> RecomputeReport:
    """Read every signal, score every member, replace the tables."""
    started = time.perf_counter()
    now = now or timezone.now()
    log = activity.read_viewing_log()
    week = activity.read_week(now)
    popularity = engine.members_per_film(log.histories.values())
    for film, figures in week.items():
        popularity[film] = popularity.get(film, 0.0) + figures.score
    catalogue = engine.Catalogue(log.film_genres, log.recommendable, popularity)
    similar = engine.similar_films(log.histories.values())

    report = RecomputeReport()
    report.films_with_neighbours = write_similar_films(similar)
    report.popular_films = write_week(week, week_of(timezone.localdate(now)))
    members = sorted(set(log.histories) | set(log.picked))
    computed_at = connection.ops.adapt_datetimefield_value(now)
    for start in range(0, len(members), MEMBERS_PER_TRANSACTION):
        chunk = members[start : start + MEMBERS_PER_TRANSACTION]
        rows = []
        for member in chunk:
            scored = engine.recommend(log.member(member), catalogue, similar)
            rows.extend(recommendation_rows(member, scored, computed_at))
        with transaction.atomic():
            Recommendation.objects.filter(user_id__in=chunk).delete()
            insert(Recommendation, RECOMMENDATION_FIELDS, rows)
        report.recommendations += len(rows)
    Recommendation.objects.filter(computed_at__lt=now).delete()  # members left with nothing to go on
    report.members = len(members)
    report.seconds = time.perf_counter() - started
    return report


RECOMMENDATION_FIELDS = ("user", "film", "rank", "score", "reason", "because_film", "because_genre", "computed_at")


def recommendation_rows(member: int, scored: list[engine.Scored], computed_at) -> list[tuple]:
    return [
        (member, item.film, rank, item.score, item.reason, item.because_film, item.because_genre, computed_at)
        for rank, item in enumerate(scored, start=1)
    ]


def insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """`rows` (values of `fields`, in order) into `model`'s table, with `insert_rows`."""
    insert_rows(model._meta.db_table, [model._meta.get_field(name).column for name in fields], rows)


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Plain multi-row INSERTs (up to `ROWS_PER_STATEMENT` rows each). `bulk_create` builds a model
    instance and the SQL of every row, which was most of the recompute's time at 10,000 members;
    `executemany` sends one row at a time to PostgreSQL (psycopg2), which was slower still
    (`bench/run recommendations`)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, min(ROWS_PER_STATEMENT, (connection.features.max_query_params or 2**16 - 1) // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            # Table and column names are ours (the models'); every value is a parameter.
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([one_row] * len(batch))}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])


def write_similar_films(similar: dict[int, list[tuple[int, float]]]) -> int:
    rows = [
        (film, other, rank, score)
        for film, neighbours in similar.items()
        for rank, (other, score) in enumerate(neighbours, start=1)
    ]
    with transaction.atomic():
        SimilarFilm.objects.all().delete()
        insert(SimilarFilm, ("film", "other", "rank", "score"), rows)
    return len(similar)


def write_week(week: dict[int, activity.Week], monday: date) -> int:
    day = connection.ops.adapt_datefield_value(monday)
    rows = [
        (film, day, figures.views, figures.completions, figures.purchases, figures.donations, figures.score)
        for film, figures in week.items()
        if figures.score
    ]
    fields = ("film", "week", "views", "completions", "purchases", "donations", "score")
    with transaction.atomic():
        FilmPopularity.objects.filter(week=monday).delete()
        insert(FilmPopularity, fields, rows)
        FilmPopularity.objects.filter(week__lt=monday - timedelta(weeks=WEEKS_KEPT)).delete()
    return len(rows)
