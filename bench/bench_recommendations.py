"""The recommendation recompute at 10,000 members × 1,000 films: time and peak memory.

    bench/run recommendations             # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bench/run recommendations   # an EMPTY database

One synthetic viewing log (`recommendations.evaluation.synthetic_log`, seed 1: BENCH_MEMBERS
members, BENCH_FILMS films, BENCH_MEAN_FILMS films each on average) is measured twice:

1. **In memory**, through the scoring alone (`recommendations.engine`): the item-to-item table and
   every member's recommendations. The reference, measured in the same run, is the simplest
   recommender over the same log: count each film's members, then give every member the most
   popular films they have not had (the evaluation's popularity baseline).
2. **Through the database**: the log is written as the site's own rows (films with ready videos,
   members, watch progress, purchases, views of the last week, picked genres) and the whole
   recompute runs as the periodic task runs it (read the signals, score, rewrite the tables). The
   reference, in the same run, reads the watch-progress table with a bare cursor and writes as
   many rows as the recompute wrote into a scratch table with the plain multi-row INSERTs the
   recompute itself uses: the I/O floor.

Times are wall seconds of one run each (timed runs are never traced); peak memory is measured
in a second, traced run (`tracemalloc`: what Python allocated at most above what it held before)
and as the process's resident high-water mark during the timed run. Not part of the test suite.
"""

import os
import time
import tracemalloc
from pathlib import Path

from bench.throwaway import bench_database

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "10000"))
FILMS = int(os.environ.get("BENCH_FILMS", "1000"))
MEAN_FILMS = float(os.environ.get("BENCH_MEAN_FILMS", "25"))


def resident_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_high_water() -> None:
    """Start VmHWM again from the current resident size (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def traced_peak_mb(function, *args) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    function(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - before) / 1024**2


# --- 1. in memory -----------------------------------------------------------------------------------


def in_memory(log) -> list[tuple[str, float, float]]:
    from recommendations import engine

    histories = list(log.histories.values())

    def recommend_everyone(catalogue, similar):
        for member in log.histories:
            engine.recommend(log.member(member), catalogue, similar)

    def most_popular_for_everyone():
        catalogue = engine.Catalogue(log.film_genres, log.recommendable, engine.members_per_film(histories))
        for member in log.histories:
            engine.most_popular(catalogue, log.member(member), engine.RECOMMENDATIONS_PER_MEMBER)

    _, reference = timed(most_popular_for_everyone)
    similar, pairs = timed(engine.similar_films, histories)
    catalogue = engine.Catalogue(log.film_genres, log.recommendable, engine.members_per_film(histories))
    _, scoring = timed(recommend_everyone, catalogue, similar)
    return [
        ("most popular unseen films for everyone (reference)", reference, traced_peak_mb(most_popular_for_everyone)),
        ("similar films (co-occurrence)", pairs, traced_peak_mb(engine.similar_films, histories)),
        ("every member's recommendations", scoring, traced_peak_mb(recommend_everyone, catalogue, similar)),
    ]


# --- 2. through the database ------------------------------------------------------------------------


def write_log(log) -> None:
    """The synthetic log as the site's rows: films with ready videos and genres, then the members'
    activity (`write_activity`)."""
    from films.models import FilmBasePage, FilmIndexPage, FilmPage, Genre
    from videos.models import Video, VideoStatus

    started = time.perf_counter()
    index = FilmIndexPage.objects.order_by("path").first()
    genres = list(Genre.objects.order_by("pk").values_list("pk", flat=True))
    videos = Video.objects.bulk_create(
        [Video(title=f"film {n}", status=VideoStatus.READY, duration=1200) for n in log.film_genres]
    )
    page_of, video_of = {}, {}
    for film, video in zip(log.film_genres, videos, strict=True):
        page = index.add_child(
            instance=FilmPage(title=f"벤치 영화 {film}", slug=f"bench-{film}", main_video=video, graduation_year=2024)
        )
        page_of[film], video_of[film] = page.pk, video.pk
    through = FilmBasePage.genres.through
    through.objects.bulk_create(
        [
            through(filmbasepage_id=page_of[film], genre_id=genres[(genre - 1) % len(genres)])
            for film, film_genres in log.film_genres.items()
            for genre in film_genres
        ]
    )
    print(f"  {len(page_of):,} films: {time.perf_counter() - started:.1f} s")
    write_activity(log, page_of, video_of)


def write_activity(log, page_of: dict[int, int], video_of: dict[int, int], duration: float = 1200) -> dict[int, int]:
    """The log's members and what they did as the site's rows (progress, purchases, a week of views,
    picked genres), the log's films being the pages `page_of` with the videos `video_of` (each
    `duration` seconds long). Returns the member ids by the log's member numbers."""
    import random

    from django.utils import timezone

    from films.models import Genre
    from members.models import User
    from recommendations import engine
    from recommendations.models import PickedGenre
    from watching.models import DailyView, Entitlement, EntitlementSource, WatchProgress

    genres = list(Genre.objects.order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [User(email=f"bench{member}@example.com", password="!") for member in log.histories], batch_size=2000
    )
    user_of = {member: user.pk for member, user in zip(log.histories, users, strict=True)}
    rng = random.Random(1)  # noqa: S311 - synthetic data
    progress, owned, views = [], [], []
    half = duration * 0.6  # past half: counts as watched, not finished (still "continue watching")
    today = timezone.localdate()
    for member, history in log.histories.items():
        for film, weight in history.items():
            finished = weight != engine.WATCHED_HALF
            progress.append(
                WatchProgress(
                    user_id=user_of[member],
                    video_id=video_of[film],
                    film_id=page_of[film],
                    position=duration if finished else half,
                    duration=duration,
                    watched_seconds=duration if finished else half,
                    completed=finished,
                )
            )
            if weight > engine.COMPLETED:  # bought, then finished
                owned.append(
                    Entitlement(user_id=user_of[member], film_id=page_of[film], source=EntitlementSource.PURCHASE)
                )
            if rng.random() < 0.2:  # a fifth of it watched in the last week
                views.append(
                    DailyView(
                        video_id=video_of[film],
                        film_id=page_of[film],
                        user_id=user_of[member],
                        viewer_key=f"u{user_of[member]}",
                        day=today - timezone.timedelta(days=rng.randrange(7)),
                        watched_seconds=duration * 0.8,
                    )
                )
    WatchProgress.objects.bulk_create(progress, batch_size=5000)
    Entitlement.objects.bulk_create(owned, batch_size=5000)
    DailyView.objects.bulk_create(views, batch_size=5000)
    PickedGenre.objects.bulk_create(
        [
            PickedGenre(user_id=user_of[member], genre_id=genres[(genre - 1) % len(genres)])
            for member, picked in log.picked.items()
            for genre in picked
        ],
        batch_size=5000,
    )
    print(
        f"  {len(users):,} members, {len(progress):,} progress rows, {len(owned):,} purchases, "
        f"{len(views):,} views this week, {sum(map(len, log.picked.values())):,} picked genres: "
        f"{time.perf_counter() - started:.1f} s"
    )
    return user_of


def io_floor(rows_written: int) -> float:
    """Read the progress table with a bare cursor; write `rows_written` rows into a scratch table
    with the same plain multi-row INSERTs the recompute uses."""
    from django.db import connection, transaction

    from recommendations.recompute import insert_rows

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT user_id, film_id, position, duration, watched_seconds, completed, updated_at "
            "FROM films_watchprogress"
        )
        rows = cursor.fetchall()
    data = [(rows[n % len(rows)][0], rows[n % len(rows)][1], n % 36, 1.0) for n in range(rows_written)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (user_id bigint, film_id bigint, rank smallint, score float)")
        insert_rows("bench_floor", ["user_id", "film_id", "rank", "score"], data)
        cursor.execute("DROP TABLE bench_floor")
    return time.perf_counter() - started


def through_database(log) -> tuple[list[tuple[str, float, float]], object, float]:
    from recommendations.recompute import recompute_all

    write_log(log)
    reset_high_water()
    before = resident_mb()
    report, seconds = timed(recompute_all)
    high_water = resident_mb("VmHWM") - before
    traced = traced_peak_mb(recompute_all)
    floor = io_floor(report.recommendations + report.films_with_neighbours * 30)
    rows = [
        ("read log + write as many rows, bare SQL (reference)", floor, float("nan")),
        ("recompute (read signals, score, rewrite the tables)", seconds, traced),
    ]
    return rows, report, high_water


def table(title: str, rows, reference: float) -> None:
    if title:
        print(f"\n{title}")
    print(f"  {'':<54} {'seconds':>8} {'ratio':>7} {'peak MB':>8}")
    for name, seconds, peak in rows:
        memory = "" if peak != peak else f"{peak:8.1f}"  # NaN: not traced
        print(f"  {name:<54} {seconds:>8.2f} {seconds / reference:>6.1f}× {memory:>8}")


def main() -> None:
    with bench_database("recommendations"):
        run()


def run() -> None:
    from django.core.management import call_command

    from recommendations import evaluation

    call_command("migrate", verbosity=0, interactive=False)

    log, seconds = timed(lambda: evaluation.synthetic_log(members=MEMBERS, films=FILMS, mean_films=MEAN_FILMS, seed=1))
    print(
        f"synthetic log: {MEMBERS:,} members × {FILMS:,} films, {log.interactions:,} films watched, bought or "
        f"backed ({log.interactions / MEMBERS:.1f} a member), {len(log.picked):,} members with picked genres "
        f"({seconds:.1f} s)"
    )
    memory = in_memory(log)
    table("1. In memory (the scoring alone)", memory, memory[0][1])

    print("\n2. Through the database")
    rows, report, high_water = through_database(log)
    table("", rows, rows[0][1])
    print(
        f"  wrote {report.recommendations:,} recommendations for {report.members:,} members, similar films for "
        f"{report.films_with_neighbours:,} films, {report.popular_films:,} films popular this week; resident "
        f"memory rose by {high_water:.0f} MB at most during the timed run"
    )


if __name__ == "__main__":
    main()
