"""The players' session reports: requests per second of `POST /analytics/session/` next to a bare view.

    bench/run heartbeat                   # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bench/run heartbeat   # an EMPTY database

A watching player reports the seconds it played every ~10 s (`static/js/player.js`): its random
play id, the session token of the watch page (`analytics.sessions.session_token`), the ranges
played since its last report, where the play came from and its random viewer id. The bench makes
BENCH_FILMS films with ready videos, BENCH_PLAYS anonymous plays of them and BENCH_MEMBERS
members signed in (a session cookie each) with a play each, then sends their reports to gunicorn
(2 sync workers, production settings) from BENCH_CONCURRENCY clients, each client owning its plays
and sending each play's reports in order: the next 10 s after the last, now and then a seek (two
ranges). In the same run, through the same gunicorn, BENCH_SECONDS each:

1. **bare view (reference)**: the same bodies to `/api/bench/bare-session/` (`bench/views.py`), which
   parses the JSON and answers 204, recording nothing: what every report pays anyway;
2. **first reports**: one report per play, each creating its play's row;
3. **later reports**, anonymous viewers, then members (their session and user are read first).

Each row prints requests per second, the ratio to the bare view, and the CPU the gunicorn workers
(and on PostgreSQL the database's backends for them) spent per report, read from /proc; then the
rows the reports left (one per play, not per report), the SQL of one report in process, and what
10,000 viewers reporting every 10 s (1,000 reports a second) would take at that cost. The load
comes from Python processes on the same machine, so on two cores the absolute req/s are low and
the ratio and the CPU per report are the figures to compare. Not part of the test suite.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

from bench.throwaway import bench_database

ROOT = Path(__file__).resolve().parent.parent
FILMS = int(os.environ.get("BENCH_FILMS", "20"))
PLAYS = int(os.environ.get("BENCH_PLAYS", "2000"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "200"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = 2
PROCESSES = 2  # load processes, CONCURRENCY // PROCESSES threads each
REPORT_PATH = "/analytics/session/"
BARE_PATH = "/api/bench/bare-session/"
BEAT = 10.0  # seconds of film between a player's reports
VIEWERS = 10_000
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
SOURCES = ("home", "catalogue", "search", "direct", "share")


@dataclass
class Play:
    """One player: what it sends, and where in the film it is."""

    session: str
    token: str
    viewer: str
    duration: float
    position: float
    user_agent: str
    source: str
    cookie: str = ""
    beats: int = 0
    seed: int = 0

    def next_report(self) -> bytes:
        """The next report's body, advancing the play: the next BEAT seconds, or on every 12th
        report a seek forward (the range up to the seek, then the one after it)."""
        start = self.position
        self.beats += 1
        if self.beats % 12 == 0 and start + 3 * BEAT < self.duration:
            ranges = [[round(start, 3), round(start + 4.2, 3)], [round(start + 64.2, 3), round(start + 70.0, 3)]]
            self.position = start + 70.0
        else:
            end = min(self.duration, start + BEAT + (self.seed % 7) / 10)
            ranges = [[round(start, 3), round(end, 3)]]
            self.position = end if end < self.duration else 0.0
        body = {
            "session": self.session,
            "token": self.token,
            "ranges": ranges,
            "source": self.source,
            "viewer": self.viewer,
        }
        return json.dumps(body, separators=(",", ":")).encode()

    def request(self, port: int, path: str) -> bytes:
        body = self.next_report()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {self.user_agent}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        )
        if self.cookie:
            head += f"Cookie: {self.cookie}\r\n"
        return (head + "\r\n").encode() + body


# --- the site's rows ------------------------------------------------------------------------------


def films_with_videos(count: int, durations: list[float]) -> list[tuple[int, int, float]]:
    """`count` live film pages, each with a ready main video of one of `durations` (seconds, in
    turn); returns (film id, video id, duration) for each."""
    from films.models import FilmIndexPage, FilmPage
    from videos.models import Video, VideoStatus

    index = FilmIndexPage.objects.order_by("path").first()
    lengths = [durations[n % len(durations)] for n in range(count)]
    videos = Video.objects.bulk_create(
        [Video(title=f"bench film {n}", status=VideoStatus.READY, duration=length) for n, length in enumerate(lengths)]
    )
    films = []
    for n, (video, length) in enumerate(zip(videos, lengths, strict=True)):
        page = index.add_child(
            instance=FilmPage(title=f"벤치 영화 {n}", slug=f"bench-film-{n}", main_video=video, graduation_year=2024)
        )
        films.append((page.pk, video.pk, length))
    return films


def make_plays(films: list[tuple[int, int, float]]) -> tuple[list[Play], list[Play]]:
    """BENCH_PLAYS anonymous plays and BENCH_MEMBERS members' plays (signed in, a session
    cookie each), spread over `films`, with tokens made as the watch page makes them."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import AnonymousUser

    from analytics.sessions import session_token
    from films.models import FilmPage
    from members.models import User
    from videos.models import Video

    rng = random.Random(1)  # noqa: S311 - synthetic data
    pages = FilmPage.objects.in_bulk([film for film, _, _ in films])
    videos = Video.objects.in_bulk([video for _, video, _ in films])

    def play(n: int, user, cookie: str = "") -> Play:
        film, video, duration = films[n % len(films)]
        return Play(
            session=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            token=session_token(videos[video], pages[film], trailer=False, user=user),
            viewer=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            duration=duration,
            position=0.0 if rng.random() < 0.7 else round(rng.uniform(0, duration / 2), 1),
            user_agent=PHONE if rng.random() < 0.4 else DESKTOP,
            source=rng.choice(SOURCES),
            cookie=cookie,
            beats=n % 12,  # plays seek at different times
            seed=n,
        )

    anonymous = [play(n, AnonymousUser()) for n in range(PLAYS)]
    members = User.objects.bulk_create(
        [User(email=f"heartbeat{n}@example.com", password="!") for n in range(MEMBERS)], batch_size=1000
    )
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    signed_in = []
    for n, member in enumerate(members):
        store = store_class()
        store[SESSION_KEY] = str(member.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = member.get_session_auth_hash()
        store.create()
        signed_in.append(play(n, member, cookie=f"{settings.SESSION_COOKIE_NAME}={store.session_key}"))
    return anonymous, signed_in


# --- load -----------------------------------------------------------------------------------------


def _send(port: int, payload: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(payload)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]) if answer else 0


def _load_process(job) -> tuple[dict, list[Play]]:
    """One load process: a thread per slice of `plays`, each sending its plays' reports in turn
    until `deadline` (or, with `once`, one report per play). Returns the answers' statuses and the
    plays, advanced."""
    port, path, plays, threads, deadline, once = job
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client(mine: list[Play]) -> None:
        counted: dict[int, int] = {}
        n = 0
        while mine and (n < len(mine) if once else time.time() < deadline):
            try:
                status = _send(port, mine[n % len(mine)].request(port, path))
            except OSError:
                status = 0
            counted[status] = counted.get(status, 0) + 1
            n += 1
        with lock:
            for status, number in counted.items():
                statuses[status] = statuses.get(status, 0) + number

    workers = [threading.Thread(target=client, args=(plays[slot::threads],)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses, plays


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each of `pids` so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        spent[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return spent


def server_pids(master: int) -> list[int]:
    """The gunicorn workers, and on PostgreSQL the database backends serving this database."""
    from django.db import connection

    pids = [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids += [row[0] for row in cursor.fetchall()]
        connection.close()
    return pids


def load(port: int, master: int, path: str, plays: list[Play], *, once: bool = False) -> tuple[dict, list[Play]]:
    """Send reports of `plays` to `path` for BENCH_SECONDS (or one per play). Returns req/s, the
    server's CPU per request, the answers, and the plays advanced."""
    threads = max(1, CONCURRENCY // PROCESSES)
    shares = [share for share in (plays[slot::PROCESSES] for slot in range(PROCESSES)) if share]
    before = cpu_seconds(server_pids(master))
    started = time.time()
    with Pool(len(shares)) as pool:
        results = pool.map(_load_process, [(port, path, share, threads, started + SECONDS, once) for share in shares])
    elapsed = time.time() - started
    after = cpu_seconds(server_pids(master))
    cpu = sum(spent - before.get(pid, 0.0) for pid, spent in after.items())  # a new backend counts from zero
    statuses: dict[int, int] = {}
    for counted, _ in results:
        for status, number in counted.items():
            statuses[status] = statuses.get(status, 0) + number
    requests = sum(statuses.values())
    advanced = [play for _, share in results for play in share]
    return {
        "requests": requests,
        "ok": statuses.get(204, 0),
        "errors": {status: number for status, number in statuses.items() if status != 204},
        "rps": requests / elapsed,
        "cpu_ms": cpu * 1000 / requests if requests else float("nan"),
    }, advanced


def start_gunicorn(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "reelvision.wsgi:application", "--workers", str(WORKERS)]
        + ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=dict(os.environ),
    )
    probe = f"POST {BARE_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    for _ in range(100):
        try:
            if _send(port, probe.encode()) == 204:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("bench: gunicorn did not answer")


# --- what one report costs the database -----------------------------------------------------------


def _statement(sql: str) -> str:
    """`SELECT analytics_playbacksession FOR UPDATE`: the verb, the table, and a row lock if taken (a
    setting: `SET LOCAL synchronous_commit`)."""
    if sql.upper().startswith("SET "):  # PostgreSQL's SET LOCAL synchronous_commit TO OFF
        return " ".join(sql.split()[:3])
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
    if table is None:  # SQLite's BEGIN IMMEDIATE
        return " ".join(sql.split()[:2]).upper()
    lock = " FOR UPDATE" if "FOR UPDATE" in sql.upper() else ""
    return f"{sql.split()[0].upper()} {table.group(1)}{lock}"


def statements_per_report(anonymous: Play, member: Play) -> dict[str, list[str]]:
    """The SQL of a play's first and of a later report, anonymous and signed in, sent in process."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    found = {}
    for name, play in (("anonymous", anonymous), ("member", member)):
        client = Client(HTTP_USER_AGENT=play.user_agent)
        if play.cookie:
            client.cookies[settings.SESSION_COOKIE_NAME] = play.cookie.split("=", 1)[1]
        for beat in ("first", "later"):
            statements: list[str] = []
            with connection.execute_wrapper(
                lambda execute, sql, *args, seen=statements: seen.append(sql) or execute(sql, *args)
            ):
                response = client.post(REPORT_PATH, data=play.next_report(), content_type="application/json")
            if response.status_code != 204:
                raise SystemExit(f"bench: a report answered {response.status_code}: {response.content[:200]!r}")
            found[f"{name}, {beat} report"] = [_statement(sql) for sql in statements]
    return found


def rows_left(plays: list[Play]) -> dict:
    from analytics.models import PlaybackSession

    keys = [play.session for play in plays]
    rows = PlaybackSession.objects.filter(key__in=keys).values_list("ranges", "watched_seconds")
    ranges = [len(value) for value, _ in rows]
    return {
        "rows": len(ranges),
        "mean_ranges": sum(ranges) / len(ranges),
        "max_ranges": max(ranges),
        "watched": sum(seconds for _, seconds in rows) / len(ranges),
    }


# --- the run ----------------------------------------------------------------------------------------


def run() -> None:
    import copy

    from django.core.management import call_command
    from django.db import connection

    from bench.bench_video import free_port

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    films = films_with_videos(FILMS, [90 * 60.0, 110 * 60.0, 25 * 60.0])
    anonymous, members = make_plays(films)
    print(
        f"  {len(films)} films with ready videos, {len(anonymous):,} anonymous plays, {len(members):,} members signed "
        f"in with a play each: {time.perf_counter() - started:.1f} s"
    )
    vendor = connection.vendor
    connection.close()  # the load processes are forked from here

    port = free_port()
    gunicorn = start_gunicorn(port)
    try:
        master = gunicorn.pid
        warm = copy.deepcopy(anonymous[:16])
        for play in warm:  # every worker's imports, URL resolver and database connection
            play.session = play.session[:-4] + "warm"
            for path in (BARE_PATH, REPORT_PATH, BARE_PATH, REPORT_PATH):
                _send(port, play.request(port, path))
        bare, _ = load(port, master, BARE_PATH, copy.deepcopy(anonymous))
        first, anonymous = load(port, master, REPORT_PATH, anonymous, once=True)
        later, anonymous = load(port, master, REPORT_PATH, anonymous)
        members_first, members = load(port, master, REPORT_PATH, members, once=True)
        members_later, members = load(port, master, REPORT_PATH, members)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait()

    plays = anonymous + members
    reports = sum(result["ok"] for result in (first, later, members_first, members_later))
    left = rows_left(plays)
    fresh = copy.deepcopy((anonymous[0], members[0]))
    for play in fresh:
        play.session = str(uuid.uuid4())
    statements = statements_per_report(*fresh)

    print(
        f"\nSession reports (POST {REPORT_PATH}), gunicorn {WORKERS} sync workers, {CONCURRENCY} Python clients "
        f"for {SECONDS:.0f} s each, {vendor}, {os.cpu_count()} CPUs"
    )
    server = "gunicorn workers" + (" + database backends" if vendor == "postgresql" else "")
    print(f"  {'':46} {'req/s':>7} {'ratio':>7} {'CPU/report':>11} {'reports':>8}  not 204")
    for name, result in (
        ("bare view, same bodies (reference)", bare),
        ("anonymous, first report of a play (a new row)", first),
        ("anonymous, later reports", later),
        ("members signed in, first report of a play", members_first),
        ("members signed in, later reports", members_later),
    ):
        errors = ", ".join(f"{number} × {status or 'no answer'}" for status, number in result["errors"].items())
        print(
            f"  {name:46} {result['rps']:>7.0f} {result['rps'] / bare['rps']:>6.2f}× {result['cpu_ms']:>8.2f} ms "
            f"{result['requests']:>8,}  {errors or '0'}"
        )
    print(f"  (CPU/report: CPU time of the {server} per request, from /proc)")

    print(
        f"\nRows: {len(plays):,} plays sent {reports:,} reports (answered 204) and left {left['rows']:,} "
        f"PlaybackSession rows: one per play ({left['rows'] / reports:.2f} rows per report); ranges per row "
        f"{left['mean_ranges']:.1f} on average, {left['max_ranges']} at most; {left['watched']:.0f} s watched a play."
    )
    print("SQL of one report (in process; each report is one transaction with one write):")
    for name, sql in statements.items():
        print(f"  {name:28} {len(sql)}: {', '.join(sql)}")

    need = VIEWERS / BEAT
    print(
        f"\n{VIEWERS:,} viewers reporting every {BEAT:.0f} s send {need:,.0f} reports a second.\n"
        f"  measured here: {later['rps']:,.0f} req/s anonymous, {members_later['rps']:,.0f} signed in "
        f"(gunicorn and the load clients sharing {os.cpu_count()} cores): {later['rps'] / need:.2f}× and "
        f"{members_later['rps'] / need:.2f}× of it.\n"
        f"  per core: a later report costs {later['cpu_ms']:.2f} ms of CPU anonymous, {members_later['cpu_ms']:.2f} ms "
        f"signed in ({1000 / later['cpu_ms']:,.0f} and {1000 / members_later['cpu_ms']:,.0f} reports per core-second; "
        f"bare view {bare['cpu_ms']:.2f} ms), so {need:,.0f} reports a second need about "
        f"{need * later['cpu_ms'] / 1000:.1f} and {need * members_later['cpu_ms'] / 1000:.1f} cores of {server}."
    )
    print(f"1-minute load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    with bench_database("heartbeat"):
        run()


if __name__ == "__main__":
    main()
