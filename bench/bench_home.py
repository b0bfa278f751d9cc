"""The home page of a member with history against the anonymous home, both rendered without a cache.

    bench/run home                        # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bench/run home   # an EMPTY database

Builds the demo catalogue at BENCH_FILMS films (1,000), gives every film a ready video, writes a
synthetic viewing log of BENCH_MEMBERS members (2,000; `recommendations.evaluation.synthetic_log`)
as the site's rows (`bench_recommendations.write_activity`), runs the recommendation recompute as
its periodic task does, and picks the member with the longest history that still has films
half-watched (so every personal row has something to show). Then, in process, BENCH_RENDERS times each (200):

- **reference**: the anonymous home with nothing cached (no page copy, no shared sections or
  cards): what the first visitor after a publish waits for;
- **measured**: the same home for that member (never page-cached: it holds their rows), once with
  nothing cached, then as between publishes, with the curated sections and film cards every
  viewer shares taken from the cache (`page_cache.fragments`) and the member's marks filled in.

Prints the CPU time of this process per render (on SQLite it includes the database's work; on
PostgreSQL the server's is left out, so the wall time is printed too), the SQL queries of each, and
the ratio. Not part of the test suite.
"""

import os
import statistics
import time

from bench.bench_recommendations import write_activity
from bench.throwaway import bench_database

FILMS = int(os.environ.get("BENCH_FILMS", "1000"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "2000"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "200"))
MINUTES = 60


def build_site() -> int:
    """The catalogue, the viewing log and the recompute; returns the member to measure."""
    from django.core.management import call_command
    from django.db.models import Count, Q

    from films.models import FilmPage
    from members.models import User
    from recommendations import evaluation
    from recommendations.recompute import recompute_all
    from videos.models import Video, VideoStatus

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", scale=FILMS, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    films = list(FilmPage.objects.live().order_by("pk").values_list("pk", "main_video_id"))
    without = [pk for pk, video in films if video is None]
    videos = Video.objects.bulk_create(
        [Video(title=f"film {pk}", status=VideoStatus.READY, duration=20 * MINUTES) for pk in without]
    )
    for pk, video in zip(without, videos, strict=True):
        FilmPage.objects.filter(pk=pk).update(main_video=video)
    Video.objects.filter(pk__in=[video for _, video in films if video]).update(status=VideoStatus.READY)
    video_of = dict(FilmPage.objects.filter(pk__in=[pk for pk, _ in films]).values_list("pk", "main_video_id"))
    print(f"  demo catalogue at {len(films):,} films: {time.perf_counter() - started:.1f} s")

    log = evaluation.synthetic_log(members=MEMBERS, films=len(films), seed=1)
    film_at = {n: pk for n, (pk, _) in enumerate(films, start=1)}
    user_of = write_activity(log, film_at, {n: video_of[pk] for n, pk in film_at.items()}, duration=float(20 * MINUTES))
    started = time.perf_counter()
    recompute_all()
    print(f"  recommendation recompute: {time.perf_counter() - started:.1f} s")

    member = (
        User.objects.filter(pk__in=user_of.values())
        .annotate(
            films=Count("watch_progress"),
            halfway=Count("watch_progress", filter=Q(watch_progress__completed=False)),
        )
        .filter(halfway__gte=2)
        .order_by("-films", "pk")
        .values_list("pk", "films", "halfway")
        .first()
    )
    print(f"  measured member: {member[1]} films in their history, {member[2]} half-watched")
    return member[0]


def measure(client, renders: int) -> dict:
    from django.db import connection

    for _ in range(5):  # warm: templates, connections, the navigation cache
        client.get("/")
    queries = []
    # Counted by a wrapper: a request resets the connection's own query log when it starts.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.get("/")
    if response.status_code != 200:
        raise SystemExit(f"bench: the home page answered {response.status_code}")
    wall, cpu = [], []
    for _ in range(renders):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/")
        cpu.append((time.process_time() - cpu_started) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        if response.get("X-Page-Cache") == "hit":
            raise SystemExit("bench: the home page came from the page cache")
    return {
        "cpu": statistics.median(cpu),
        "cpu_p95": statistics.quantiles(cpu, n=20, method="inclusive")[18],
        "wall": statistics.median(wall),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def run() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from members.models import User

    member = User.objects.get(pk=build_site())
    visitor = Client()
    signed_in = Client()
    signed_in.force_login(member)
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=0):  # nothing kept: every render starts cold
        anonymous = measure(visitor, RENDERS)
        member_cold = measure(signed_in, RENDERS)
    member_warm = measure(signed_in, RENDERS)  # the shared sections and cards kept, as between publishes

    print(f"\nThe home page at {FILMS:,} films, {RENDERS} renders each, in process, {connection.vendor}")
    print(f"{'':46} {'CPU median':>10} {'CPU p95':>8} {'wall':>8} {'queries':>8} {'bytes':>8}")
    for name, result in (
        ("anonymous, nothing cached (reference)", anonymous),
        ("member with history, nothing cached", member_cold),
        ("member with history, shared parts cached", member_warm),
    ):
        print(
            f"{name:46} {result['cpu']:>7.1f} ms {result['cpu_p95']:>5.1f} ms {result['wall']:>5.1f} ms "
            f"{result['queries']:>8} {result['bytes']:>8}"
        )
    print(
        f"\nCPU ratio member (shared parts cached) / anonymous reference: {member_warm['cpu'] / anonymous['cpu']:.2f}×"
        f"; member nothing cached / reference: {member_cold['cpu'] / anonymous['cpu']:.2f}× (aim: member ≤ 30 ms CPU)"
    )
    print(f"1-minute load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    with bench_database("home"):
        run()


if __name__ == "__main__":
    main()
