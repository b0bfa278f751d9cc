"""Search at scale: a fixed list of queries over 1,000 films and 100,000 caption lines.

    bench/run search                      # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bench/run search   # an EMPTY database

Builds a throwaway database: the demo catalogue at BENCH_FILMS films (1,000), then
BENCH_CUES caption lines (100,000) spread over the films' main videos, written as
real WebVTT tracks and indexed through the same code the site uses. Then times
each query of QUERIES (BENCH_ROUNDS rounds, in process, no cache) through the site
search, and, as the reference measured in the same run, through the plain substring
search the site had before (`icontains` over titles, loglines, names and caption
text). Prints p50 and p95 per engine, the ratio, and the memory the analyser added
to the process.
"""

import os
import random
import resource
import statistics
import time

from bench.throwaway import bench_database

QUERIES = [
    "겨울정류장",
    "겨울 정류장",
    "다큐",
    "졸업",
    "기다리다",
    "걷다",
    "같이 걸을까요",
    "사랑했던 사람",
    "바다로 떠나다",
    "정류장에서 기다리는",
    "막차",
    "박서연",
    "서연",
    "park",
    "documentary",
    "waiting for the bus",
    "walk together",
    "lighthouse",
    "비가 오면",
    "잠수함",
]

# Lines the synthetic tracks are made of (Korean and English), with a number to tell them apart.
KOREAN_LINES = [
    "버스가 오기를 기다리는 중이에요",
    "우리 같이 걸을까요",
    "눈이 오면 정류장이 하얗게 변해요",
    "사랑했던 사람들은 모두 떠났어요",
    "바다로 떠나는 마지막 여름이야",
    "비가 오면 우산을 같이 써요",
    "막차를 놓치면 걸어가야 해",
    "엄마가 끓여 준 된장찌개가 그리워",
    "카메라를 켜고 다시 시작하자",
    "졸업하면 무엇을 할 거야",
]
ENGLISH_LINES = [
    "I'm waiting for the bus to come",
    "Shall we walk together",
    "When it snows the stop turns white",
    "Everyone I loved has left",
    "The last summer by the sea",
]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def setup_database(films: int, cues: int) -> None:
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from films.models import FilmPage
    from search.indexing import rebuild
    from videos.captions import import_caption
    from videos.models import Video, VideoStatus

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    call_command("load_demo_content", scale=films, verbosity=0)
    print(f"demo catalogue at {films} films: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    rng = random.Random(7)
    pages = list(FilmPage.objects.order_by("pk"))
    per_track = max(1, cues // len(pages))
    made = 0
    for page in pages:
        if made >= cues:
            break
        video = page.main_video or Video.objects.create(title=page.title, status=VideoStatus.READY, duration=3600)
        if page.main_video_id is None:
            FilmPage.objects.filter(pk=page.pk).update(main_video=video)
        count = min(per_track, cues - made)
        blocks = ["WEBVTT", ""]
        for n in range(count):
            start = n * 6
            pool = ENGLISH_LINES if n % 5 == 4 else KOREAN_LINES
            text = f"{rng.choice(pool)} {n}"
            blocks += [f"{_stamp(start)} --> {_stamp(start + 4)}", text, ""]
        import_caption(video, "ko", "", ContentFile("\n".join(blocks).encode(), name="ko.vtt"))
        made += count
    print(f"{made:,} caption lines in {len(pages)} tracks: {time.perf_counter() - started:.1f} s")

    before = rss_mb()
    started = time.perf_counter()
    counts = rebuild()
    print(
        f"index built: {counts['pages']:,} page entries, {counts['people']:,} person entries, "
        f"{counts['captions']:,} caption lines in {time.perf_counter() - started:.1f} s "
        f"(process memory {before:.0f} → {rss_mb():.0f} MB with the analyser loaded)"
    )


def _stamp(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.000"


def substring_search(query: str) -> int:
    """The reference: the plain substring search (titles, loglines, names, caption text)."""
    from django.db.models import Q

    from films.models import FilmPage, FundingProjectPage, Person

    found = 0
    for model in (FilmPage, FundingProjectPage):
        contains = Q()
        for field in ("title", "title_en", "original_title", "logline", "logline_en"):
            contains |= Q(**{f"{field}__icontains": query})
        found += len(list(model.objects.live().public().filter(contains).values_list("pk", flat=True)[:240]))
    found += len(
        list(Person.objects.filter(Q(name__icontains=query) | Q(name_en__icontains=query)).values_list("pk")[:240])
    )
    found += len(
        list(
            FilmPage.objects.live()
            .public()
            .filter(main_video__captions__text__icontains=query)
            .distinct()
            .values_list("pk", flat=True)[:240]
        )
    )
    return found


def site_search(query: str) -> int:
    from search.site_search import clean_query, run_search

    return run_search(clean_query(query)).total


def time_queries(engine, rounds: int) -> tuple[list[float], dict[str, int], dict[str, float]]:
    timings, totals, slowest = [], {}, {}
    for _round in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            totals[query] = engine(query)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            slowest[query] = max(slowest.get(query, 0.0), elapsed)
    return timings, totals, slowest


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    films = int(os.environ.get("BENCH_FILMS", "1000"))
    cues = int(os.environ.get("BENCH_CUES", "100000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    with bench_database("search"):
        run(films, cues, rounds)


def run(films: int, cues: int, rounds: int) -> None:
    setup_database(films, cues)

    site_search(QUERIES[0])  # warm: the analyser is loaded, connections open
    substring_search(QUERIES[0])
    site, site_totals, site_slowest = time_queries(site_search, rounds)
    reference, reference_totals, reference_slowest = time_queries(substring_search, rounds)

    print(f"\n{len(QUERIES)} queries × {rounds} rounds, in process, no cache")
    print(f"{'query':<24} {'hits':>6} {'slowest ms':>10}   {'reference hits':>14} {'slowest ms':>10}")
    for query in QUERIES:
        print(
            f"{query:<24} {site_totals[query]:>6} {site_slowest[query]:>10.1f}   "
            f"{reference_totals[query]:>14} {reference_slowest[query]:>10.1f}"
        )
    print(f"\n{'engine':<32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in (("site search (word roots)", site), ("substring search (reference)", reference)):
        print(f"{name:<32} {statistics.median(values):>8.1f} {p95(values):>8.1f} {max(values):>8.1f}")
    print(f"\np95 ratio site / reference: {p95(site) / p95(reference):.2f}× (aim: site p95 ≤ 100 ms)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
