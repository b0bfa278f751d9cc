"""The steps of `bench/run`, one sub-command each; results go to JSON files in the work directory.

    python -m bench.bench_pages check-empty        # refuse to fill a database that holds anything
    python -m bench.bench_pages pick               # choose the pages to measure -> pages.json
    python -m bench.bench_pages http               # req/s against gunicorn -> http.json
    python -m bench.bench_pages render-time        # uncached film page, in-process -> render.json
    python -m bench.bench_pages queries --label big
    python -m bench.bench_pages shrink --films 10  # delete films until N are left
    python -m bench.bench_pages report             # the table

Run with DJANGO_SETTINGS_MODULE=bench.settings and BENCH_WORK set (bench/run does both).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from multiprocessing import Pool
from pathlib import Path

WORK = Path(os.environ.get("BENCH_WORK", "/tmp/reelvision-bench"))
HTTP_PAGES = ("home", "catalogue", "film")


def django_setup():
    import django

    django.setup()


def save_json(name: str, data) -> None:
    (WORK / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))


def load_json(name: str):
    path = WORK / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


# --- choosing pages -----------------------------------------------------------


def check_empty(_args) -> None:
    django_setup()
    from django.db import connection

    if "django_migrations" in connection.introspection.table_names():
        sys.exit(
            "bench: the database already has tables. The bench fills it with 1,000 films and then deletes most "
            "of them: give it an empty, throwaway database (or leave DATABASE_URL unset for a temporary SQLite file)."
        )


def _home_film_ids(home) -> list[int]:
    """Films the home page shows by hand (hero, rows of chosen films), in order."""
    ids = []
    for block in home.body:
        if block.block_type == "hero" and block.value["film"]:
            ids.append(block.value["film"].pk)
        elif block.block_type == "film_row":
            ids.extend(page.pk for page in block.value["films"] if page)
    return ids


def pick(_args) -> None:
    """Choose the pages to measure (`measured_pages`) and save them for the other steps."""
    django_setup()
    pages, film, collection = measured_pages()
    save_json("pages", {"urls": pages, "film_id": film.pk, "collection_id": collection.pk})
    for name, url in pages.items():
        print(f"  {name:16} {url}")


def measured_pages():
    """The pages to measure by name, with the film and collection chosen: the home's hero film is
    "the film page"; the others are the first of their kind. Also used by `bench_render`."""
    from films.models import CollectionPage, FilmIndexPage, FilmPage, FundingProjectPage
    from home.models import HomePage

    home = HomePage.objects.order_by("path").first()
    catalogue = FilmIndexPage.objects.order_by("path").first()
    hand_picked = _home_film_ids(home)
    film = FilmPage.objects.get(pk=hand_picked[0]) if hand_picked else FilmPage.objects.order_by("path").first()
    project = FundingProjectPage.objects.live().order_by("path").first()
    collection = CollectionPage.objects.live().order_by("path").first()
    director = film.credits.select_related("person").order_by("sort_order").first().person
    genre = film.genres.order_by("sort_order").first()
    pages = {
        "home": home.url,
        "catalogue": catalogue.url,
        "catalogue_genre": f"{catalogue.url}?genre={genre.slug}",
        "film": film.url,
        "funding": project.url,
        "collection": collection.url,
        "person": director.get_absolute_url(),
    }
    return pages, film, collection


# --- query counts -------------------------------------------------------------


def _uncached_get(client, url):
    from page_cache.cache import invalidate_all_pages

    invalidate_all_pages()
    response = client.get(url)
    if response.status_code != 200 or response.get("X-Page-Cache") != "miss":
        raise SystemExit(f"bench: {url} answered {response.status_code} {response.get('X-Page-Cache')!r}")
    return response


def queries(args) -> None:
    django_setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from films.models import FilmPage

    if "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        raise SystemExit("bench: count queries with BENCH_PRIVATE_CACHE=1 (the cache is emptied before each page)")
    client = Client()
    counts = {}
    for name, url in load_json("pages")["urls"].items():
        _uncached_get(client, url)  # creates the image renditions: one-off work, not counted
        # An empty cache, as after a restart or an eviction: a card whose poster rendition is
        # not prefetched costs a query here, where a warm rendition cache would hide it.
        for alias in ("default", "pages"):
            caches[alias].clear()
        with CaptureQueriesContext(connection) as captured:
            _uncached_get(client, url)
        counts[name] = {"count": len(captured), "sql": [q["sql"] for q in captured.captured_queries]}
    films = FilmPage.objects.live().count()
    save_json(f"queries-{args.label}", {"films": films, "pages": counts})
    print(f"  {films} films: " + ", ".join(f"{name} {data['count']}" for name, data in counts.items()))


def shrink(args) -> None:
    """Delete finished films until `--films` are left, keeping those the measured pages name.

    Kept first: the home's hand-picked films, the measured film, one film of
    each collection and of each genre a home row shows, so every section still
    has something to render (an empty row would skip its queries and make the
    counts differ for the wrong reason).
    """
    django_setup()
    from films.models import CollectionItem, FilmPage
    from home.models import HomePage

    picked = load_json("pages")
    home = HomePage.objects.order_by("path").first()
    keep = [picked["film_id"], *_home_film_ids(home)]
    keep += list(
        CollectionItem.objects.filter(page_id=picked["collection_id"])
        .order_by("sort_order")
        .values_list("film_id", flat=True)[:1]
    )
    for block in home.body:
        if block.block_type == "auto_film_row":
            if block.value.get("genre"):
                keep += list(
                    FilmPage.objects.live().filter(genres=block.value["genre"]).values_list("pk", flat=True)[:1]
                )
            if block.value.get("collection"):
                keep += list(
                    CollectionItem.objects.filter(page=block.value["collection"]).values_list("film_id", flat=True)[:1]
                )
    keep = list(dict.fromkeys(keep))
    rest = FilmPage.objects.exclude(pk__in=keep).order_by("path").values_list("pk", flat=True)
    keep += list(rest[: max(0, args.films - len(keep))])
    doomed = FilmPage.objects.exclude(pk__in=keep)
    # Page.delete() one by one keeps the tree counts right; a queryset delete on the
    # base class does the same in one pass.
    from wagtail.models import Page

    Page.objects.filter(pk__in=doomed.values("pk")).delete()
    print(f"  {FilmPage.objects.count()} films left (asked for {args.films}; {len(keep)} kept on purpose)")


# --- server time of an uncached film page --------------------------------------


def _missed_get(client, url):
    response = client.get(url)
    if response.status_code != 200 or response.get("X-Page-Cache") != "miss":
        raise SystemExit(f"bench: {url} answered {response.status_code} {response.get('X-Page-Cache')!r}")
    return response


def render_time(args) -> None:
    django_setup()
    from django.test import Client
    from django.test.utils import override_settings

    urls = load_json("pages")["urls"]
    url = urls["film"]
    client = Client()
    for _ in range(5):
        _uncached_get(client, url)
    # A page-cache miss on a site that is otherwise warm, as when a visitor opens a
    # film nobody has opened since its copy expired. The home page, opened after the
    # last invalidation, caches the header's navigation (rebuilt once per publish);
    # then the film's copies expire as soon as they are stored, so each request
    # renders it. (A query string no longer makes a miss: the page cache ignores
    # parameters a page does not read.)
    _uncached_get(client, urls["home"])
    times, cpu_times = [], []
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=0):
        for _ in range(args.renders):
            started, cpu_started = time.perf_counter(), time.process_time()
            _missed_get(client, url)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
    times.sort()
    cpu_times.sort()
    result = {
        "url": url,
        "renders": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "min_ms": times[0],
        # CPU time of this process: what the render costs, less the time other processes held the CPU.
        # On SQLite it includes the database's work; on PostgreSQL that runs in the server and is left out.
        "cpu_median_ms": statistics.median(cpu_times),
        "cpu_p95_ms": cpu_times[int(len(cpu_times) * 0.95) - 1],
        "load_average": os.getloadavg()[0],
    }
    save_json("render", result)
    print(
        f"  uncached film page: median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
        f"(CPU median {result['cpu_median_ms']:.1f} ms)"
    )


# --- requests per second ------------------------------------------------------


def _fetch(port: int, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def _ab(port: int, path: str, seconds: float, concurrency: int) -> dict:
    output = subprocess.run(
        ["ab", "-q", "-t", str(seconds), "-n", "10000000", "-c", str(concurrency), f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", output)
    return {"rps": rps, "errors": int(non_2xx.group(1)) if non_2xx else 0}


def _python_worker(job) -> tuple[int, int]:
    """One load process: `threads` keep-alive clients hammering `path` until `deadline`."""
    port, path, deadline, threads = job
    done, errors = [0] * threads, [0] * threads

    def client(slot):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.time() < deadline:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done[slot] += 1
                else:
                    errors[slot] += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                conn.close()
        conn.close()

    workers = [threading.Thread(target=client, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done), sum(errors)


def _python_load(port: int, path: str, seconds: float, concurrency: int) -> dict:
    processes = 2
    threads = max(1, concurrency // processes)
    started = time.time()
    deadline = started + seconds
    with Pool(processes) as pool:
        results = pool.map(_python_worker, [(port, path, deadline, threads)] * processes)
    elapsed = time.time() - started
    return {"rps": sum(r[0] for r in results) / elapsed, "errors": sum(r[1] for r in results)}


def http_bench(args) -> None:
    urls = load_json("pages")["urls"]
    pages_dir = Path(os.environ.get("BENCH_PAGES_DIR", WORK / "pages"))
    pages_dir.mkdir(parents=True, exist_ok=True)
    loader = _ab if (args.loader == "ab" or (args.loader == "auto" and shutil.which("ab"))) else _python_load
    results = {"loader": "ab" if loader is _ab else "python", "seconds": args.seconds, "concurrency": args.concurrency}
    for name in HTTP_PAGES:
        path = urls[name]
        status, _headers, body = _fetch(args.port, path)
        if status != 200:
            raise SystemExit(f"bench: {path} answered {status}")
        (pages_dir / f"{name}.html").write_bytes(body)
        bare = f"/api/bench/bare/{name}/"
        # Warm both workers: each has its own local-memory cache and its own saved-page copy.
        for _ in range(40):
            _fetch(args.port, path)
            _fetch(args.port, bare)
        status, headers, cached_body = _fetch(args.port, path)
        _, _, bare_body = _fetch(args.port, bare)
        if headers.get("X-Page-Cache") != "hit":
            print(f"  warning: {path} is not served from the page cache (X-Page-Cache: {headers.get('X-Page-Cache')})")
        if bare_body != cached_body:
            print(f"  warning: the bare view's bytes differ from {path}'s")
        page = loader(args.port, path, args.seconds, args.concurrency)
        baseline = loader(args.port, bare, args.seconds, args.concurrency)
        results[name] = {
            "url": path,
            "bytes": len(body),
            "cache": headers.get("X-Page-Cache"),
            "rps": page["rps"],
            "bare_rps": baseline["rps"],
            "errors": page["errors"] + baseline["errors"],
        }
        print(f"  {name:10} {page['rps']:8.0f} req/s   bare {baseline['rps']:8.0f} req/s")
    save_json("http", results)


# --- report -------------------------------------------------------------------


def report(args) -> None:
    http_results, render = load_json("http"), load_json("render")
    small, big = load_json("queries-small"), load_json("queries-big")
    lines = [f"ReelVision bench — {time.strftime('%Y-%m-%d %H:%M %Z')} — {os.cpu_count()} CPUs — {args.describe}", ""]
    if http_results:
        lines += [
            f"Anonymous pages, gunicorn 2 sync workers, {http_results['loader']} -c {http_results['concurrency']} "
            f"for {http_results['seconds']}s each (page cache: {args.cache}):",
            f"  {'page':10} {'bytes':>8} {'cache':>6} {'req/s':>8} {'bare req/s':>11} {'ratio':>6}",
        ]
        for name in HTTP_PAGES:
            row = http_results[name]
            ratio = row["rps"] / row["bare_rps"] if row["bare_rps"] else 0
            lines.append(
                f"  {name:10} {row['bytes']:>8} {row['cache'] or '-':>6} {row['rps']:>8.0f} {row['bare_rps']:>11.0f} "
                f"{ratio:>5.2f}×" + (f"  ({row['errors']} errors)" if row["errors"] else "")
            )
        lines.append("  aim: ratio ≥ 0.50")
        lines.append("")
    if render:
        lines += [
            f"Uncached film page ({render['url']}), server time in-process over {render['renders']} renders:",
            f"  wall: median {render['median_ms']:.1f} ms, p95 {render['p95_ms']:.1f} ms, min {render['min_ms']:.1f} ms"
            "   (aim: ≤ 15 ms)",
            f"  CPU:  median {render['cpu_median_ms']:.1f} ms, p95 {render['cpu_p95_ms']:.1f} ms"
            f"   (1-minute load average after: {render['load_average']:.1f})",
            "",
        ]
    if small and big:
        lines += [
            "SQL queries per page, rendered with an empty cache (no page cache, no rendition cache):",
            f"  {'page':16} {str(small['films']) + ' films':>10} {str(big['films']) + ' films':>12}  equal",
        ]
        all_equal = True
        for name, data in big["pages"].items():
            few = small["pages"].get(name, {}).get("count")
            equal = few == data["count"]
            all_equal &= equal
            lines.append(f"  {name:16} {few!s:>10} {data['count']:>12}  {'yes' if equal else 'NO'}")
        lines.append(f"  equal: {'yes' if all_equal else 'no'}")
        if not all_equal:
            lines.append(f"  (the SQL of each page is in {WORK}/queries-*.json)")
    text = "\n".join(lines)
    print(text)
    (WORK / "report.txt").write_text(text + "\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="bench_pages", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check-empty").set_defaults(func=check_empty)
    commands.add_parser("pick").set_defaults(func=pick)
    command = commands.add_parser("queries")
    command.add_argument("--label", required=True)
    command.set_defaults(func=queries)
    command = commands.add_parser("shrink")
    command.add_argument("--films", type=int, default=10)
    command.set_defaults(func=shrink)
    command = commands.add_parser("render-time")
    command.add_argument("--renders", type=int, default=200)
    command.set_defaults(func=render_time)
    command = commands.add_parser("http")
    command.add_argument("--port", type=int, default=8100)
    command.add_argument("--seconds", type=float, default=10)
    command.add_argument("--concurrency", type=int, default=8)
    command.add_argument("--loader", choices=["auto", "ab", "python"], default="auto")
    command.set_defaults(func=http_bench)
    command = commands.add_parser("report")
    command.add_argument("--cache", default="local memory")
    command.add_argument("--describe", default="")
    command.set_defaults(func=report)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
