"""What an uncached render of the home, catalogue, film and funding pages costs, for a visitor and
for a member, against a cached page and a bare view.

    bench/run render                      # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bench/run render   # an EMPTY database

Builds the site of `bench/run home` (`bench_home.build_site`: the demo catalogue at BENCH_FILMS
films, each with a ready video, a viewing log of BENCH_MEMBERS members, one recommendation
recompute) and measures the member with the longest history. The pages are those `bench/run`
measures (`bench_pages.measured_pages`). Then, in process with Django's test client,
BENCH_RENDERS times each (200):

- **anonymous miss**: a visitor's page rendered by the view, the whole-page cache bypassed (the
  middleware never stores the page, so every request looks it up, misses and renders), while the
  parts every viewer shares (`page_cache.fragments`) stay cached as they do between publishes;
- **member**: the same page for the member (a session never reads or fills the page cache);
- **anonymous hit**: the page served from the whole-page cache;
- **bare**: `bench/views.py`'s view returning the anonymous page's bytes through the same
  middleware, with no work behind it.

And BENCH_COLD_RENDERS times (20) the anonymous page right after a publish (generation bumped
before each render: nothing shared is cached yet).

BENCH_RENDER_PAGES (space-separated, e.g. "film funding") measures only those pages. With
BENCH_PROFILE set to a directory, each measured page is then rendered BENCH_RENDERS more times for
the visitor (whole-page cache bypassed) and for the member under cProfile; the profiles are written
there as `<page>-visitor.prof` and `<page>-member.prof` and their costliest functions printed.

Prints CPU time of this process per render (`time.process_time`, the steadier figure on a busy
machine; on SQLite it includes the database's work, on PostgreSQL the server's is left out) as
median and p95, the wall median, the SQL queries of one render, the aims, and the ratios of each
render to the cached page and to the bare view. Not part of the test suite.
"""

import cProfile
import os
import pstats
import statistics
import time
from pathlib import Path
from unittest import mock

from bench.bench_home import build_site
from bench.throwaway import bench_database

RENDERS = int(os.environ.get("BENCH_RENDERS", "200"))
COLD_RENDERS = int(os.environ.get("BENCH_COLD_RENDERS", "20"))
PAGES = tuple(os.environ.get("BENCH_RENDER_PAGES", "home catalogue film funding").split())
PROFILE_DIR = os.environ.get("BENCH_PROFILE")
PROFILE_LINES = 40
# CPU milliseconds per uncached render, anonymous and member alike.
AIMS_MS = {"home": 25, "catalogue": 15, "film": 11, "funding": 11}
WARM_UP = 5


def count_queries(client, url: str) -> int:
    """The SQL queries of one GET of `url`."""
    from django.db import connection

    queries = []
    # Counted by a wrapper: a request resets the connection's own query log when it starts.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        fetch(client, url)
    return len(queries)


def fetch(client, url: str, cache: str | None = None):
    """GET `url`; stop the bench unless it answered 200 (and, with `cache`, with that X-Page-Cache)."""
    response = client.get(url)
    if response.status_code != 200 or (cache is not None and response.get("X-Page-Cache") != cache):
        raise SystemExit(f"bench: {url} answered {response.status_code} (X-Page-Cache {response.get('X-Page-Cache')})")
    return response


def timed(client, url: str, renders: int, cache: str | None = None, before=None) -> dict:
    """CPU and wall milliseconds of `renders` GETs of `url` (after a warm-up), with `before()` called
    untimed ahead of each."""
    for _ in range(WARM_UP):
        if before:
            before()
        fetch(client, url, cache)
    cpu, wall = [], []
    for _ in range(renders):
        if before:
            before()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = fetch(client, url, cache)
        cpu.append((time.process_time() - cpu_started) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return {
        "cpu": statistics.median(cpu),
        "cpu_p95": statistics.quantiles(cpu, n=20, method="inclusive")[18],
        "wall": statistics.median(wall),
        "bytes": len(response.content),
    }


def whole_page_cache_bypassed():
    """The page cache looks every page up and misses: it never stores one."""
    return mock.patch("page_cache.cache._store", return_value=False)


def measure_page(name: str, url: str, visitor, member) -> dict:
    from django.conf import settings

    from page_cache.cache import invalidate_all_pages

    with whole_page_cache_bypassed():
        anonymous = timed(visitor, url, RENDERS)
        anonymous["queries"] = count_queries(visitor, url)
        cold = timed(visitor, url, COLD_RENDERS, before=invalidate_all_pages)
        # One render after a publish: what the first visitor pays.
        invalidate_all_pages()
        cold["queries"] = count_queries(visitor, url)
    signed_in = timed(member, url, RENDERS)
    signed_in["queries"] = count_queries(member, url)

    page = fetch(visitor, url)  # stored now, as it would be outside the bench
    hit = timed(visitor, url, RENDERS, cache="hit")
    (settings.BENCH_PAGES_DIR / f"{name}.html").write_bytes(page.content)
    bare = timed(visitor, f"/api/bench/bare/{name}/", RENDERS)
    return {"anonymous miss": anonymous, "member": signed_in, "after a publish": cold, "hit": hit, "bare": bare}


def profile_page(name: str, url: str, visitor, member, directory: Path) -> None:
    """cProfile over RENDERS uncached renders of `url`, for the visitor then the member; each profile
    written to `directory` and its costliest functions (own time) printed."""
    from page_cache.cache import invalidate_all_pages

    directory.mkdir(parents=True, exist_ok=True)
    # The measurement stored the visitor's page: without a new generation it would be a hit here.
    invalidate_all_pages()
    for who, client in (("visitor", visitor), ("member", member)):
        with whole_page_cache_bypassed():
            for _ in range(WARM_UP):
                fetch(client, url)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(RENDERS):
                fetch(client, url)
            profiler.disable()
        path = directory / f"{name}-{who}.prof"
        profiler.dump_stats(path)
        print(f"\n{name}, {who}: {RENDERS} renders profiled, written to {path}")
        pstats.Stats(str(path)).sort_stats("tottime").print_stats(PROFILE_LINES)


def report(results: dict, urls: dict) -> None:
    from django.db import connection

    print(
        f"\nUncached renders at {int(os.environ.get('BENCH_FILMS', '1000')):,} films, in process, {connection.vendor}: "
        f"{RENDERS} renders each ({COLD_RENDERS} after a publish); CPU and wall in ms per render"
    )
    print(
        f"{'page':10} {'render':16} {'CPU median':>10} {'CPU p95':>8} {'wall':>7} {'aim':>6} {'queries':>8} "
        f"{'bytes':>7} {'÷ hit':>7} {'÷ bare':>7}"
    )
    for name in PAGES:
        rows = results[name]
        hit, bare = rows["hit"]["cpu"], rows["bare"]["cpu"]
        for render in ("anonymous miss", "member", "after a publish", "hit", "bare"):
            row = rows[render]
            aim = f"≤ {AIMS_MS[name]}" if render in ("anonymous miss", "member") else ""
            met = "" if not aim else (" ✓" if row["cpu"] <= AIMS_MS[name] else " ✗")
            queries = str(row["queries"]) if "queries" in row else ""
            print(
                f"{name if render == 'anonymous miss' else '':10} {render:16} {row['cpu']:>7.1f} ms "
                f"{row['cpu_p95']:>5.1f} ms {row['wall']:>7.1f} {aim:>6}{met:2} {queries:>6} {row['bytes']:>7} "
                f"{row['cpu'] / hit:>6.1f}× {row['cpu'] / bare:>6.1f}×"
            )
        print(f"{'':10} ({urls[name]})")
    print(f"1-minute load average after: {os.getloadavg()[0]:.1f}")


def run(work) -> None:
    from django.conf import settings
    from django.test import Client

    from bench.bench_pages import measured_pages
    from members.models import User

    member = User.objects.get(pk=build_site())
    urls = measured_pages()[0]
    settings.BENCH_PAGES_DIR = work / "pages"
    settings.BENCH_PAGES_DIR.mkdir(exist_ok=True)
    visitor, signed_in = Client(), Client()
    signed_in.force_login(member)
    results = {}
    for name in PAGES:
        results[name] = measure_page(name, urls[name], visitor, signed_in)
        print(f"  {name}: measured")
    report(results, urls)
    if PROFILE_DIR:
        for name in PAGES:
            profile_page(name, urls[name], visitor, signed_in, Path(PROFILE_DIR))


def main() -> None:
    with bench_database("render") as work:
        run(work)


if __name__ == "__main__":
    main()
