"""A day's rollup over a million watched ranges: time and peak memory of `analytics.rollup.roll_up`.

    bench/run rollup                      # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bench/run rollup   # an EMPTY database

Writes one day of plays as the site's rows (`bulk_create`): BENCH_SESSIONS playback sessions
(200,000) with BENCH_RANGES watched ranges each (5: a play that seeked four times) across
BENCH_FILMS films (50, 25 to 110 minutes long, the first films far more watched than the last),
about one in twenty a trailer play, viewers drawn from a pool so that some watch several films,
and the day's page views. Then, each in a fresh Python process so that one's memory cannot hide
the other's:

1. **reference**: read the same rows and columns as `roll_up` reads them, in the same order
   (`.order_by("film_id", "pk").values_list(*SESSION_COLUMNS).iterator(chunk_size=READ_CHUNK)`)
   and do nothing with them: the cost of reading;
2. **roll_up(day)**, as the periodic task runs it.

Each is timed untraced, then run again under `tracemalloc`. Peak MB is tracemalloc's peak above what
the process held before; resident +MB is how far the process's resident high-water mark rose above
its resident size during the timed run (`VmHWM`, reset first; Linux). `roll_up` holds one film's
running figures at a time, so the bench also prints the most watched film's plays and distinct
viewers: what its peak should follow. Not part of the test suite.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from bench.bench_recommendations import reset_high_water, resident_mb
from bench.throwaway import bench_database

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "200000"))
RANGES = int(os.environ.get("BENCH_RANGES", "5"))
FILMS = int(os.environ.get("BENCH_FILMS", "50"))
CHUNK = 10_000  # sessions built and written at a time
VIEWER_POOL = 0.6  # distinct viewers per play


def write_day(day: date) -> dict:
    """BENCH_SESSIONS plays of `day` across BENCH_FILMS films, and the day's page views."""
    from analytics import ranges
    from analytics.models import Device, PageViewCount, PlaybackSession, Source
    from bench.bench_heartbeat import films_with_videos

    started = time.perf_counter()
    films = films_with_videos(FILMS, [25 * 60.0, 60 * 60.0, 90 * 60.0, 110 * 60.0])
    popularity = [1 / (rank + 1) for rank in range(len(films))]
    rng = random.Random(1)  # noqa: S311 - synthetic data
    viewers = max(1, int(SESSIONS * VIEWER_POOL))
    sources, devices = list(Source.values), list(Device.values)
    written = stored_ranges = 0
    while written < SESSIONS:
        batch = []
        for n in range(written, min(SESSIONS, written + CHUNK)):
            film, video, duration = rng.choices(films, popularity)[0]
            points = sorted(rng.uniform(0, duration) for _ in range(2 * RANGES - 1))
            merged = ranges.merge(zip([0.0, *points[1::2]], points[::2], strict=True))
            viewer = rng.randrange(viewers)
            batch.append(
                PlaybackSession(
                    key=f"bench-rollup-{n:012d}",
                    film_id=film,
                    video_id=video,
                    is_trailer=rng.random() < 0.05,
                    viewer=f"u{viewer}" if viewer % 3 == 0 else f"a{viewer:040x}",
                    source=rng.choice(sources),
                    device=rng.choice(devices),
                    duration=duration,
                    ranges=[[round(start, 3), round(end, 3)] for start, end in merged],
                    watched_seconds=ranges.watched_seconds(merged),
                    completed=ranges.completed(merged, duration),
                    day=day,
                )
            )
            stored_ranges += len(merged)
        PlaybackSession.objects.bulk_create(batch, batch_size=2000)
        written += len(batch)
    PageViewCount.objects.bulk_create(
        [PageViewCount(film_id=film, day=day, count=rng.randrange(100, 5000)) for film, _, _ in films]
    )
    return {"sessions": written, "ranges": stored_ranges, "seconds": time.perf_counter() - started}


# --- one measurement, in a process of its own ------------------------------------------------------


def measure(what: str, day: date) -> dict:
    """Time `what` ("reference" or "rollup") untraced, then its tracemalloc peak in a second run."""
    import django

    django.setup()
    from analytics.models import PlaybackSession
    from analytics.rollup import READ_CHUNK, SESSION_COLUMNS, roll_up

    def reference() -> int:
        rows = 0
        sessions = PlaybackSession.objects.filter(day=day).order_by("film_id", "pk").values_list(*SESSION_COLUMNS)
        for _row in sessions.iterator(chunk_size=READ_CHUNK):
            rows += 1
        return rows

    work = {"reference": reference, "rollup": lambda: roll_up(day)}[what]
    PlaybackSession.objects.filter(day=day).exists()  # connected, the models' modules loaded
    reset_high_water()
    before = resident_mb()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    resident = resident_mb("VmHWM") - before
    tracemalloc.start()
    held = tracemalloc.get_traced_memory()[0]
    work()
    peak = tracemalloc.get_traced_memory()[1] - held
    tracemalloc.stop()
    return {"seconds": seconds, "peak_mb": peak / 1024**2, "resident_mb": resident, "result": result}


def in_own_process(what: str, day: date) -> dict:
    answer = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.bench_rollup", "measure", what, day.isoformat()],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
    )
    if answer.returncode != 0:
        raise SystemExit(f"bench: measuring {what} failed:\n{answer.stderr[-3000:]}")
    return json.loads(answer.stdout.strip().splitlines()[-1])


# --- the run ----------------------------------------------------------------------------------------


def run() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from analytics.models import FilmDay, PlaybackSession

    call_command("migrate", verbosity=0, interactive=False)
    day = timezone.localdate() - timedelta(days=1)  # yesterday, as the periodic task rolls it up
    built = write_day(day)
    print(
        f"  {built['sessions']:,} plays with {built['ranges']:,} ranges on {day} across {FILMS} films: "
        f"{built['seconds']:.1f} s"
    )
    vendor = connection.vendor
    connection.close()

    reference = in_own_process("reference", day)
    rollup = in_own_process("rollup", day)
    film_days = FilmDay.objects.filter(day=day).count()
    biggest = (
        PlaybackSession.objects.filter(day=day, is_trailer=False)
        .values("film_id")
        .annotate(plays=Count("pk"), viewers=Count("viewer", distinct=True))
        .order_by("-plays")
        .first()
    )

    print(
        f"\nA day's rollup: {built['sessions']:,} plays, {built['ranges']:,} ranges, {FILMS} films, {vendor}, "
        f"each measured in a process of its own"
    )
    print(f"  {'':52} {'seconds':>8} {'ratio':>7} {'peak MB':>8} {'resident +MB':>13}")
    for name, result in (
        ("read the rows as roll_up reads them (reference)", reference),
        ("roll_up(day)", rollup),
    ):
        print(
            f"  {name:52} {result['seconds']:>8.2f} {result['seconds'] / reference['seconds']:>6.1f}× "
            f"{result['peak_mb']:>8.1f} {result['resident_mb']:>13.0f}"
        )
    plays = built["sessions"]
    print(
        f"  roll_up wrote {film_days} FilmDay rows (reference read {reference['result']:,} rows); per play: "
        f"{rollup['seconds'] / plays * 1e6:.0f} µs, {rollup['peak_mb'] * 1024**2 / plays / 1024:.2f} KB at the peak "
        f"(reading alone: {reference['seconds'] / plays * 1e6:.0f} µs, "
        f"{reference['peak_mb'] * 1024**2 / plays / 1024:.2f} KB)"
    )
    print(
        f"  the most watched film: {biggest['plays']:,} sessions ({biggest['plays'] / plays:.0%} of the day's), "
        f"{biggest['viewers']:,} distinct viewers"
    )
    print(f"1-minute load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    if sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure(sys.argv[2], date.fromisoformat(sys.argv[3]))))
        return
    with bench_database("rollup"):
        run()


if __name__ == "__main__":
    main()
