"""One premiere's chat under load: 200 WebSocket clients read while its creator writes.

    .venv/bin/python -m bench.bench_chat                      # 200 clients, 200 messages
    BENCH_CLIENTS=500 BENCH_MESSAGES=100 BENCH_RATE=20 .venv/bin/python -m bench.bench_chat

Builds a throwaway database (bench/throwaway.py: SQLite in a temporary directory unless
DATABASE_URL names an EMPTY one), starts one daphne on production settings (in-memory channel
layer, unless REDIS_URL is set) on a free port, connects the readers, then sends the messages as
the page's owner (slow mode never holds them up) at BENCH_RATE a second. Each message carries the
time it was sent; every reader notes when it arrives. Prints the delivery time (p50, p95, max) over
all readers and messages, how many deliveries were missing, and daphne's CPU time per message
(user + system, read with psutil). Clients and server share this machine's cores: every figure
is what the server does while the same machine runs 200 clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import websockets

from bench.http_load import percentile
from bench.throwaway import bench_database
from tests.ports import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "200"))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "200"))
RATE = float(os.environ.get("BENCH_RATE", "10"))
# How long a reader waits for the next message before it counts the rest as missing.
SETTLE_SECONDS = 30
# Readers opening their connection at once: viewers arrive over a few seconds, not in one instant
# (daphne gives each handshake 5 seconds).
HANDSHAKES_AT_ONCE = 20


def prepare() -> tuple[int, str]:
    """Migrate, and make a live premiere whose page belongs to a creator; returns the premiere's id and
    the creator's session key."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from films.tests.factories import FilmPageFactory, film_index
    from live.models import Premiere, PremiereStatus
    from members.tests.factories import CreatorFactory

    call_command("migrate", verbosity=0)
    call_command("setup_roles", verbosity=0)
    creator = CreatorFactory()
    page = FilmPageFactory(parent=film_index(), owner=creator)
    now = timezone.now()
    premiere = Premiere.objects.create(
        page=page, title="Bench premiere", starts_at=now, status=PremiereStatus.LIVE, went_live_at=now
    )
    client = Client()
    client.force_login(creator)
    return premiere.pk, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def start_daphne(port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - argv list, no shell
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "reelvision.asgi:application"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_CONN_MAX_AGE": "600"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_listening(port, server, "daphne")
    except RuntimeError as error:
        server.kill()
        sys.exit(str(error))
    return server


async def read_until_done(address: str, origin: str, arrivals: Arrivals) -> int:
    """One reader: connect (a few at a time, as viewers arrive), take the hello, then note each bench
    message's delivery time. Returns how many it received; a reader that could not connect counts
    as failed and receives none."""
    received = 0
    try:
        async with arrivals.handshakes:
            connection = await websockets.connect(address, origin=origin, max_queue=None, open_timeout=60)
            hello = json.loads(await connection.recv())
            assert hello["type"] == "hello", hello
    except (OSError, TimeoutError, websockets.WebSocketException):
        arrivals.arrived(failed=True)
        return 0
    arrivals.arrived(failed=False)
    async with connection:
        try:
            while received < MESSAGES:
                frame = json.loads(await asyncio.wait_for(connection.recv(), timeout=SETTLE_SECONDS))
                if frame["type"] != "message":
                    continue
                arrivals.delays.append(time.time() - json.loads(frame["message"]["body"])["sent"])
                received += 1
        except (TimeoutError, websockets.ConnectionClosed):
            pass
    return received


class Arrivals:
    """The readers' shared state: how many are connected or failed, and every delivery time."""

    def __init__(self):
        self.handshakes = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        self.connected = self.failed = 0
        self.all_in = asyncio.Event()
        self.delays: list[float] = []

    def arrived(self, *, failed: bool) -> None:
        if failed:
            self.failed += 1
        else:
            self.connected += 1
        if self.connected + self.failed == CLIENTS:
            self.all_in.set()


async def write(address: str, origin: str, cookie: str) -> None:
    async with websockets.connect(address, origin=origin, additional_headers={"Cookie": cookie}) as connection:
        hello = json.loads(await connection.recv())
        assert hello["can_moderate"], "the writer must be the page's owner (no slow mode)"
        for number in range(MESSAGES):
            await connection.send(
                json.dumps(
                    {"action": "send", "kind": "message", "body": json.dumps({"n": number, "sent": time.time()})}
                )
            )
            await asyncio.sleep(1 / RATE)
        # Stay until the last message comes back: daphne cancels a closed connection's unread frames
        # after --application-close-timeout, so leaving early would drop messages never written.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SETTLE_SECONDS * 4):
                while True:
                    frame = json.loads(await connection.recv())
                    if frame["type"] == "message" and json.loads(frame["message"]["body"])["n"] == MESSAGES - 1:
                        break


async def run_load(port: int, premiere_id: int, cookie: str, server: psutil.Process) -> dict:
    address = f"ws://127.0.0.1:{port}/ws/live/{premiere_id}/chat/?lang=en"
    origin = f"http://127.0.0.1:{port}"
    arrivals = Arrivals()
    readers = [asyncio.create_task(read_until_done(address, origin, arrivals)) for _ in range(CLIENTS)]
    await arrivals.all_in.wait()
    before = server.cpu_times()
    started = time.monotonic()
    await write(address, origin, cookie)
    received = await asyncio.gather(*readers)
    elapsed = time.monotonic() - started
    after = server.cpu_times()
    cpu = (after.user - before.user) + (after.system - before.system)
    return {
        "received": sum(received),
        "expected": CLIENTS * MESSAGES,
        "failed_connections": arrivals.failed,
        "delays": sorted(arrivals.delays),
        "cpu_seconds": cpu,
        "elapsed": elapsed,
    }


def main() -> None:
    with bench_database("chat"):
        premiere_id, cookie = prepare()
        port = free_port()
        daphne = start_daphne(port)
        try:
            result = asyncio.run(run_load(port, premiere_id, cookie, psutil.Process(daphne.pid)))
        finally:
            daphne.terminate()
            daphne.wait(timeout=20)
    delays = result["delays"]
    print(
        f"chat: {CLIENTS} clients, {MESSAGES} messages at {RATE:g}/s, {psutil.cpu_count()} cores shared with the clients"
    )
    print(f"{'connections refused':<28}{result['failed_connections']:>10}")
    print(f"{'deliveries':<28}{result['received']:>10} of {result['expected']}")
    if delays:
        for label, fraction in (("delivery p50 (ms)", 0.50), ("delivery p95 (ms)", 0.95), ("delivery max (ms)", 1.0)):
            print(f"{label:<28}{percentile(delays, fraction) * 1000:>10.1f}")
        within = sum(1 for delay in delays if delay <= 1.0) / result["expected"]
        print(f"{'delivered within 1 s':<28}{within:>10.1%}")
    print(f"{'daphne CPU per message (ms)':<28}{result['cpu_seconds'] / MESSAGES * 1000:>10.1f}")
    print(
        f"{'daphne CPU per delivery (µs)':<28}{result['cpu_seconds'] / max(1, result['received']) * 1_000_000:>10.1f}"
    )


if __name__ == "__main__":
    main()
