"""Load on the local cluster (`bin/cluster`): nginx, three app servers, Redis, PostgreSQL and S3.

    bin/cluster                                   # start the cluster first (a few minutes)
    .venv/bin/python -m bench.bench_cluster       # every phase, then a table
    .venv/bin/python -m bench.bench_cluster --phases pages,donations

Phases, each bounded (seconds, not minutes):

- **shared**: what the app servers share. A member's session made in this process (Redis) opens
  /me/ on every app server; a page rendered by one app server is served from the page cache by the
  others; publishing a page in this process retires the cached copies on all of them.
- **pages**: 1,000 anonymous requests at once (home, catalogue, a film page) through nginx.
- **donations**: 200 members donate at once through the sandbox provider (form, checkout,
  confirmation) while anonymous visitors keep reading pages; then the project's total must equal
  the sum of its orders and the ledger's, and its ledger chain must verify.
- **viewers**: 200 viewers at once start a free film: playback API, master and variant playlists,
  the first segments (each a /stream/ request answered by a redirect to S3, then the bytes from S3).
  Reports the app servers' CPU time.
- **restart**: `bin/cluster rolling-restart` (each app server stopped gracefully and started again
  in turn) while 40 visitors keep asking for pages and the API; not one request may fail.

Client and cluster share this machine's cores (the table says how many): every figure is what the
cluster does while the same machine also generates its load. Reads the cluster's settings from
CLUSTER_DIR (/tmp/reelvision-cluster)/cluster.env; results also go to CLUSTER_DIR/bench.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.http_load import Answer, Visitor, percentile

ROOT = Path(__file__).resolve().parent.parent
CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", "/tmp/reelvision-cluster"))
PHASES = ("shared", "pages", "donations", "viewers", "restart")
PAGE_PATHS = ("/", "/films/", "/films/winter-bus-stop/")
FREE_FILM_SLUG = "winter-bus-stop"
SEGMENTS_PER_VIEWER = 3
DONATION_AMOUNT = 5000
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_TOKEN_FIELD = re.compile(r'name="client_token" value="([^"]+)"')


def load_cluster_environment() -> None:
    """The cluster's own settings (database, Redis, S3, secret key), so this process shares its state."""
    env_file = CLUSTER_DIR / "cluster.env"
    if not env_file.exists():
        raise SystemExit(f"No cluster in {CLUSTER_DIR}: start one with bin/cluster.")
    for line in env_file.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            os.environ[name] = value


@dataclass
class Result:
    phase: str
    requests: int = 0
    errors: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    ok: bool = True


def summarise(phase: str, answers: list, seconds: float, good=lambda answer: answer.status == 200) -> Result:
    """Latency figures of the answers that came; exceptions and unexpected statuses count as errors."""
    fine = [answer for answer in answers if isinstance(answer, Answer) and good(answer)]
    times = [answer.seconds * 1000 for answer in fine]
    return Result(
        phase,
        requests=len(answers),
        errors=len(answers) - len(fine),
        p50_ms=percentile(times, 0.5),
        p95_ms=percentile(times, 0.95),
        max_ms=max(times, default=0.0),
        seconds=seconds,
    )


def error_sample(answers: list) -> str:
    """One failure, in words, for the notes."""
    for answer in answers:
        if isinstance(answer, BaseException):
            return f"{type(answer).__name__}: {answer}"[:160]
        if answer.status >= 400:
            return f"HTTP {answer.status} from {answer.url}"
    return ""


async def gather(coroutines) -> tuple[list, float]:
    started = time.perf_counter()
    answers = await asyncio.gather(*coroutines, return_exceptions=True)
    return answers, time.perf_counter() - started


# --- processes' CPU time, from /proc --------------------------------------------------------------


def cluster_pids(name_prefix: str) -> list[int]:
    """The pids bin/cluster recorded under ``name_prefix`` and all their children (gunicorn's workers)."""
    masters = []
    for pid_file in (CLUSTER_DIR / "pids").glob(f"{name_prefix}*.pid"):
        masters.append(int(pid_file.read_text().strip()))
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) in masters:
            children.append(int(stat.parent.name))
    return masters + children


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (a process that ended counts 0)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


# --- Django-side set-up and checks (run outside the event loop) -----------------------------------


def session_for(user) -> str:
    """A logged-in session for ``user`` in the cluster's session store (Redis); returns its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def make_members(count: int, run: str) -> list[dict[str, str]]:
    """``count`` members with confirmed addresses, each with a session cookie."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import get_user_model

    User = get_user_model()
    cookies = []
    for number in range(count):
        email = f"bench-{run}-{number}@bench.reelvision.local"
        user = User.objects.create_user(email=email, password=None, display_name=f"Bench {number}")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        cookies.append({settings.SESSION_COOKIE_NAME: session_for(user)})
    return cookies


def funding_figures(project_id: int) -> dict:
    """The project's total three ways (its FundingTotal, its orders, its ledger) and the chain's check."""
    from django.db.models import F, Sum

    from donations import ledger
    from donations.models import Order, OrderKind, OrderStatus
    from films.models import FundingTotal

    settled = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED)
    orders = Order.objects.filter(project_id=project_id, kind=OrderKind.DONATION, status__in=settled)
    verification = ledger.verify(ledger.title_chain_key(project_id, True))
    return {
        "total": FundingTotal.objects.get(project_id=project_id).amount,
        "orders": orders.aggregate(net=Sum(F("amount") - F("refunded_amount")))["net"] or 0,
        "ledger": ledger.project_totals_from_ledger(project_id)[0],
        "ledger_ok": verification.ok,
        "ledger_entries": verification.entries,
    }


# --- phases ---------------------------------------------------------------------------------------


async def fetch_page(visitor: Visitor, base: str, path: str) -> Answer:
    return await visitor.request("GET", base + path)


def phase_shared(base: str, app_servers: list[str]) -> Result:
    """Sessions and the page cache are shared by the app servers; a publish anywhere retires pages everywhere."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    result = Result("shared")
    member = get_user_model().objects.filter(is_superuser=True).first()
    cookie = {settings.SESSION_COOKIE_NAME: session_for(member)}
    # Each app server asked directly, for the site's own address (the page cache keys on the host).
    site = {"Host": urlsplit(base).netloc}

    async def probe() -> dict:
        me = [await Visitor(1, dict(cookie)).request("GET", server + "/me/", headers=site) for server in app_servers]
        for server in app_servers:  # make sure the page is in the cache
            await Visitor(2).request("GET", server + "/", headers=site)
        return {"me": [answer.status for answer in me]}

    found = asyncio.run(probe())
    result.requests += len(app_servers) * 2
    if found["me"] != [200] * len(app_servers):
        result.ok = False
    result.notes.append(f"session made here opens /me/ on each app server: {found['me']}")

    home = Site.objects.get(is_default_site=True).root_page.specific
    home.save_revision(log_action=False).publish()

    async def after_publish() -> list[str]:
        marks = []
        for server in app_servers:
            answer = await Visitor(3).request("GET", server + "/", headers=site)
            marks.append(answer.headers.get("x-page-cache", "none"))
        return marks

    marks = asyncio.run(after_publish())
    result.requests += len(app_servers)
    # The first app server asked after the publish renders the page again; the others serve its copy.
    expected = ["miss"] + ["hit"] * (len(app_servers) - 1)
    if marks != expected:
        result.ok = False
    result.notes.append(f"after a publish in this process, / on each app server in turn: {marks} (want {expected})")
    return result


def phase_pages(base: str, count: int) -> Result:
    async def run() -> Result:
        for path in PAGE_PATHS:  # each page rendered once, so the burst measures the cache path
            for _ in range(5):
                if (await fetch_page(Visitor(0), base, path)).headers.get("x-page-cache") == "hit":
                    break
        answers, seconds = await gather(
            fetch_page(Visitor(10 + number), base, PAGE_PATHS[number % len(PAGE_PATHS)]) for number in range(count)
        )
        result = summarise("pages", answers, seconds)
        hits = sum(
            1 for answer in answers if isinstance(answer, Answer) and answer.headers.get("x-page-cache") == "hit"
        )
        result.notes.append(f"{count} at once over {', '.join(PAGE_PATHS)}: {hits} page-cache hits")
        result.notes.append(f"{count / seconds:.0f} requests/s over the burst")
        if result.errors:
            result.notes.append(f"first error: {error_sample(answers)}")
        return result

    return asyncio.run(run())


async def donate(visitor: Visitor, base: str, project_id: int) -> Answer:
    """The whole sandbox checkout as a browser does it; the order page at the end."""
    origin = {"Origin": base, "Referer": f"{base}/support/{project_id}/"}
    form_page = await visitor.request("GET", f"{base}/support/{project_id}/")
    if form_page.status != 200:
        return form_page
    csrf, token = CSRF_FIELD.search(form_page.text), CLIENT_TOKEN_FIELD.search(form_page.text)
    posted = await visitor.request(
        "POST",
        f"{base}/support/{project_id}/",
        headers=origin,
        form={
            "csrfmiddlewaretoken": csrf.group(1),
            "client_token": token.group(1),
            "tier": "",
            "amount": str(DONATION_AMOUNT),
            "provider": "sandbox",
            "message": "",
        },
    )
    if posted.status != 302 or "/pay/sandbox/" not in posted.headers.get("location", ""):
        return posted
    checkout_url = urljoin(posted.url, posted.headers["location"])
    checkout = await visitor.request("GET", checkout_url)
    csrf = CSRF_FIELD.search(checkout.text)
    if checkout.status != 200 or csrf is None:
        return checkout
    return await visitor.request(
        "POST",
        checkout_url,
        headers={"Origin": base, "Referer": checkout_url},
        form={"csrfmiddlewaretoken": csrf.group(1), "outcome": "pay"},
        follow=True,
    )


def phase_donations(base: str, count: int) -> Result:
    from films.models import FundingProjectPage

    project = FundingProjectPage.objects.live().public().filter(minimum_donation__lte=DONATION_AMOUNT).first()
    project = project or FundingProjectPage.objects.live().public().filter(minimum_donation__isnull=True).first()
    before = funding_figures(project.pk)
    members = make_members(count, secrets.token_hex(4))

    async def run() -> tuple[Result, int, int, int]:
        readers_done = asyncio.Event()
        reads: list = []

        async def read_pages() -> None:  # anonymous visitors keep reading while the money moves
            number = 0
            while not readers_done.is_set():
                batch = [fetch_page(Visitor(5000 + number + i), base, PAGE_PATHS[i % 3]) for i in range(20)]
                reads.extend(await asyncio.gather(*batch, return_exceptions=True))
                number += 20

        reader = asyncio.create_task(read_pages())
        answers, seconds = await gather(
            donate(Visitor(2000 + number, cookies), base, project.pk) for number, cookies in enumerate(members)
        )
        readers_done.set()
        await reader
        result = summarise("donations", answers, seconds, good=lambda a: a.status == 200 and "/orders/" in a.url)
        if result.errors:
            result.notes.append(f"first error: {error_sample(answers)}")
        hits = sum(1 for answer in reads if isinstance(answer, Answer) and answer.headers.get("x-page-cache") == "hit")
        failed_reads = sum(1 for answer in reads if not isinstance(answer, Answer) or answer.status != 200)
        if failed_reads:
            result.notes.append(f"first failed page read: {error_sample(reads)}")
        return result, hits, len(reads), failed_reads

    result, hits, read_count, failed_reads = asyncio.run(run())
    after = funding_figures(project.pk)
    raised = after["total"] - before["total"]
    paid = raised // DONATION_AMOUNT
    result.notes.append(f"{count} members, {DONATION_AMOUNT:,} KRW each, to project {project.pk}: {paid} paid")
    result.notes.append(
        f"total {after['total']:,} = orders {after['orders']:,} = ledger {after['ledger']:,} KRW; "
        f"ledger chain verifies: {after['ledger_ok']} ({after['ledger_entries']} entries)"
    )
    result.notes.append(f"meanwhile {read_count} anonymous page reads: {hits} cache hits, {failed_reads} failed")
    exact = after["total"] == after["orders"] == after["ledger"] and raised == count * DONATION_AMOUNT
    result.ok = exact and after["ledger_ok"] and result.errors == 0 and failed_reads == 0
    return result


def ready_free_film(wait: float):
    """The free demo film once its main video is ready (waiting up to ``wait`` seconds), or None."""
    from films.models import FilmBasePage
    from videos.models import VideoStatus

    deadline = time.monotonic() + wait
    while True:
        film = FilmBasePage.objects.filter(slug=FREE_FILM_SLUG).select_related("main_video").first()
        if film and film.main_video and film.main_video.status == VideoStatus.READY:
            return film
        if time.monotonic() > deadline:
            return None
        time.sleep(2)


@dataclass
class Viewing:
    """What the viewers measured: every segment's latency, each start-up, every request made."""

    segment_seconds: list[float] = field(default_factory=list)
    start_seconds: list[float] = field(default_factory=list)
    requests: int = 0


async def watch(visitor: Visitor, base: str, film_id: int, viewing: Viewing) -> Answer:
    """Start the film as hls.js does: playback API, master, first variant, its first segments."""
    started = time.perf_counter()

    async def get(url: str, follow: bool = False) -> Answer:
        answer = await visitor.request("GET", url, follow=follow)
        viewing.requests += 2 if follow else 1  # a segment: the /stream/ redirect, then S3
        return answer

    api = await get(f"{base}/api/v2/playback/{film_id}/")
    if api.status != 200:
        return api
    master_url = json.loads(api.body)["film"]["master_url"]
    master = await get(master_url)
    variants = [line for line in master.text.splitlines() if line and not line.startswith("#")]
    if master.status != 200 or not variants:
        return master
    variant_url = urljoin(master_url, variants[0])
    variant = await get(variant_url)
    segments = [line for line in variant.text.splitlines() if line and not line.startswith("#")]
    if variant.status != 200 or not segments:
        return variant
    answer = variant
    for segment in segments[:SEGMENTS_PER_VIEWER]:
        answer = await get(urljoin(variant_url, segment), follow=True)
        if answer.status != 200:
            return answer
        viewing.segment_seconds.append(answer.seconds)
    viewing.start_seconds.append(time.perf_counter() - started)
    return answer


def phase_viewers(base: str, count: int, wait: float) -> Result:
    film = ready_free_film(wait)
    if film is None:
        result = Result("viewers", ok=False)
        result.notes.append(f"no ready video for {FREE_FILM_SLUG} after {wait:.0f}s: the transcoder is still busy")
        return result
    app_pids = cluster_pids("web-")
    s3_pids = cluster_pids("s3")
    viewing = Viewing()

    async def run() -> Result:
        answers, seconds = await gather(
            watch(Visitor(8000 + number), base, film.pk, viewing) for number in range(count)
        )
        result = Result("viewers", seconds=seconds)
        result.errors = sum(1 for answer in answers if not isinstance(answer, Answer) or answer.status != 200)
        if result.errors:
            result.notes.append(f"first error: {error_sample(answers)}")
        return result

    app_before, s3_before = cpu_seconds(app_pids), cpu_seconds(s3_pids)
    result = asyncio.run(run())
    app_cpu, s3_cpu = cpu_seconds(app_pids) - app_before, cpu_seconds(s3_pids) - s3_before
    # The table's latencies are the segments' (the /stream/ redirect and the bytes from S3).
    segments = [seconds * 1000 for seconds in viewing.segment_seconds]
    result.requests = viewing.requests
    result.p50_ms, result.p95_ms = percentile(segments, 0.5), percentile(segments, 0.95)
    result.max_ms = max(segments, default=0.0)
    starts = viewing.start_seconds
    result.notes.append(
        f"{count} viewers of {FREE_FILM_SLUG} at once, {len(segments)} segments; latencies in the table are "
        f"per segment (redirect + S3); start-up (API to {SEGMENTS_PER_VIEWER} segments) "
        f"p50 {percentile(starts, 0.5):.1f} s, p95 {percentile(starts, 0.95):.1f} s"
    )
    result.notes.append(
        f"app servers' CPU {app_cpu:.1f} s over {result.seconds:.1f} s ({app_cpu / result.seconds:.2f} cores, "
        f"{app_cpu * 1000 / max(1, viewing.requests - len(segments)):.0f} ms per Django request); "
        f"S3 server {s3_cpu:.1f} s"
    )
    result.ok = result.errors == 0
    return result


def phase_restart(base: str, visitors: int) -> Result:
    from films.models import FundingProjectPage

    project_id = FundingProjectPage.objects.live().values_list("pk", flat=True).first()
    paths = (*PAGE_PATHS, f"/api/v2/funding/{project_id}/")  # the API is never cached: Django answers

    async def run() -> Result:
        answers: list = []
        restart = await asyncio.create_subprocess_exec(
            str(ROOT / "bin" / "cluster"),
            "rolling-restart",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )

        async def keep_asking(number: int) -> None:
            turn = 0
            while restart.returncode is None:
                answers.append(await fetch_page(Visitor(9000 + number), base, paths[(number + turn) % len(paths)]))
                turn += 1

        started = time.perf_counter()
        askers = [asyncio.create_task(keep_asking(number)) for number in range(visitors)]
        output, _ = await restart.communicate()
        await asyncio.gather(*askers, return_exceptions=True)
        result = summarise("restart", answers, time.perf_counter() - started)
        result.notes.append(
            f"bin/cluster rolling-restart (3 app servers, one at a time) exited {restart.returncode} "
            f"while {visitors} visitors kept asking for {', '.join(paths)}"
        )
        if restart.returncode:
            result.notes.append(output.decode(errors="replace").strip()[-300:])
        if result.errors:
            result.notes.append(f"first error: {error_sample(answers)}")
        result.ok = result.errors == 0 and restart.returncode == 0
        return result

    return asyncio.run(run())


def report(results: list[Result]) -> str:
    cores = os.cpu_count()
    load = os.getloadavg()[0]
    lines = [
        f"ReelVision cluster bench — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — {cores} CPUs shared by "
        f"client and cluster (load average {load:.1f} at the end)",
        "nginx → 3 app servers (gunicorn, 2 sync workers each) · Redis · PostgreSQL · S3 (moto or MinIO)",
        "",
        f"{'phase':<10} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'seconds':>8}  result",
    ]
    for result in results:
        lines.append(
            f"{result.phase:<10} {result.requests:>8} {result.errors:>6} {result.p50_ms:>8.0f} {result.p95_ms:>8.0f} "
            f"{result.max_ms:>8.0f} {result.seconds:>8.1f}  {'pass' if result.ok else 'FAIL'}"
        )
    lines.append("")
    for result in results:
        lines += [f"{result.phase}: {note}" for note in result.notes]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, of {', '.join(PHASES)}")
    parser.add_argument("--pages", type=int, default=1000, help="anonymous requests at once")
    parser.add_argument("--donors", type=int, default=200, help="members donating at once")
    parser.add_argument("--viewers", type=int, default=200, help="viewers starting the film at once")
    parser.add_argument("--video-wait", type=float, default=300, help="seconds to wait for the free film's video")
    args = parser.parse_args()
    phases = [phase.strip() for phase in args.phases.split(",") if phase.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")

    load_cluster_environment()
    import django

    django.setup()
    base = os.environ["CLUSTER_URL"]
    port = int(base.rsplit(":", 1)[1])
    app_servers = [f"http://127.0.0.1:{port + number}" for number in (1, 2, 3)]
    runners = {
        "shared": lambda: phase_shared(base, app_servers),
        "pages": lambda: phase_pages(base, args.pages),
        "donations": lambda: phase_donations(base, args.donors),
        "viewers": lambda: phase_viewers(base, args.viewers, args.video_wait),
        "restart": lambda: phase_restart(base, 40),
    }
    results = []
    for phase in PHASES:
        if phase in phases:
            print(f"== {phase}", flush=True)
            results.append(runners[phase]())
    text = report(results)
    print("\n" + text)
    (CLUSTER_DIR / "bench.json").write_text(json.dumps([asdict(result) for result in results], indent=2))
    raise SystemExit(0 if all(result.ok for result in results) else 1)


if __name__ == "__main__":
    main()
